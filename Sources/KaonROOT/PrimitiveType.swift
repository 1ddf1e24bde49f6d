/// The fixed-width value types ROOT stores in branches and members.
public enum PrimitiveType: String, Sendable, CaseIterable {
    case bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64

    /// Bytes per value on disk.
    public var size: Int {
        switch self {
        case .bool, .int8, .uint8: 1
        case .int16, .uint16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64: 8
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
    public var isSigned: Bool { [.int8, .int16, .int32, .int64].contains(self) }

    /// The type of a streamer basic type code (1–19, without array offsets), if it is fixed-width.
    public init?(streamerType: Int) {
        switch streamerType {
        case StreamerType.char: self = .int8
        case StreamerType.short: self = .int16
        case StreamerType.int, StreamerType.counter: self = .int32
        case StreamerType.long, StreamerType.long64: self = .int64
        case StreamerType.float: self = .float32
        case StreamerType.double: self = .float64
        case StreamerType.uchar, StreamerType.legacyChar: self = .uint8
        case StreamerType.ushort: self = .uint16
        case StreamerType.uint, StreamerType.bits: self = .uint32
        case StreamerType.ulong, StreamerType.ulong64: self = .uint64
        case StreamerType.bool: self = .bool
        default: return nil
        }
    }

    /// The type of a C++ or ROOT type name (`double`, `Int_t`, `unsigned short`, …).
    public init?(cppName raw: String) {
        var name = raw.trimmingCharacters(in: " ")
        if name.hasPrefix("const ") { name.removeFirst(6) }
        switch name {
        case "bool", "Bool_t": self = .bool
        case "char", "Char_t", "signed char", "int8_t": self = .int8
        case "unsigned char", "UChar_t", "uint8_t", "Byte_t": self = .uint8
        case "short", "Short_t", "short int", "int16_t": self = .int16
        case "unsigned short", "UShort_t", "unsigned short int", "uint16_t": self = .uint16
        case "int", "Int_t", "int32_t": self = .int32
        case "unsigned int", "UInt_t", "unsigned", "uint32_t": self = .uint32
        case "long", "Long_t", "long long", "Long64_t", "int64_t", "long int", "long long int": self = .int64
        case "unsigned long", "ULong_t", "unsigned long long", "ULong64_t", "uint64_t", "size_t": self = .uint64
        case "float", "Float_t": self = .float32
        case "double", "Double_t": self = .float64
        default: return nil
        }
    }
}

/// A C++ type as ROOT spells it in streamers and branch class names, parsed into the
/// shapes Kaon can interpret.
public indirect enum CppType: Sendable, Equatable {
    case primitive(PrimitiveType)
    /// `Double32_t` / `Float16_t` (packed floats).
    case double32, float16
    case string
    /// ROOT's TString: like std::string on disk, but never behind a version header.
    case tString
    /// vector, set, list, deque and RVec: a count and the elements.
    case vector(CppType)
    /// map and unordered_map: stored member-wise (all keys, then all values).
    case map(CppType, CppType)
    /// Any other class.
    case object(String)

    /// Parses `vector<vector<float> >`, `std::string`, `Double32_t`, ….
    public init(parsing raw: String) {
        var name = raw.trimmingCharacters(in: " ")
        if name.hasPrefix("std::") { name.removeFirst(5) }
        if name.hasPrefix("const ") { name.removeFirst(6) }
        if name == "string" { self = .string; return }
        if name == "TString" { self = .tString; return }
        if name == "Double32_t" { self = .double32; return }
        if name == "Float16_t" { self = .float16; return }
        if let p = PrimitiveType(cppName: name) { self = .primitive(p); return }
        let sequences = ["vector<", "set<", "unordered_set<", "list<", "deque<", "ROOT::VecOps::RVec<", "RVec<"]
        for prefix in sequences where name.hasPrefix(prefix) && name.hasSuffix(">") {
            // The first template argument; an explicit allocator or comparator is dropped.
            let arguments = Self.templateArguments(name.dropFirst(prefix.count).dropLast())
            self = .vector(CppType(parsing: arguments[0]))
            return
        }
        for prefix in ["map<", "unordered_map<"] where name.hasPrefix(prefix) && name.hasSuffix(">") {
            let arguments = Self.templateArguments(name.dropFirst(prefix.count).dropLast())
            if arguments.count >= 2 {
                self = .map(CppType(parsing: arguments[0]), CppType(parsing: arguments[1]))
                return
            }
        }
        self = .object(name)
    }

    /// Splits template arguments at top-level commas: `int,vector<short> ` → [`int`, `vector<short>`].
    static func templateArguments(_ text: Substring) -> [String] {
        var result: [String] = []
        var depth = 0
        var current = ""
        for character in text {
            switch character {
            case "<": depth += 1
            case ">": depth -= 1
            case "," where depth == 0:
                result.append(current.trimmingCharacters(in: " "))
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        result.append(current.trimmingCharacters(in: " "))
        return result
    }
}
