import KaonIO
import KaonROOT

/// How the bytes of a branch's entries become column values.
public struct Interpretation: Sendable {
    /// One item of data as stored.
    public indirect enum Item: Sendable, Equatable {
        case primitive(PrimitiveType)
        /// Double32/Float16, unpacked to `output` (float64 or float32).
        case packed(PackedFloat, output: PrimitiveType)
        /// A TString-like string (one length byte, or 255 and an Int32 length).
        case string
        /// vector/set/list: an optional version header, an Int32 count, then the items.
        case container(Item, header: Bool)
        /// map: a member-wise header, a count, all keys then all values; each group is
        /// preceded by one version header when its items are std::strings or containers.
        case map(key: Item, value: Item, keyHeader: Bool, valueHeader: Bool)
    }

    public enum Layout: Sendable {
        /// The same number of items per entry (scalars and fixed arrays).
        case fixed(Item, shape: [Int])
        /// A variable number of items per entry (`x[n]`), after `headerBytes` per entry.
        case jagged(Item, shape: [Int], headerBytes: Int)
        /// Each entry is one item parsed from its bytes (strings, STL containers).
        case objects(Item)
        /// Several leaves in one branch, each with a fixed shape, stored one after another.
        case leafList([(name: String, type: PrimitiveType, shape: [Int])])
    }

    public var layout: Layout
    /// The C++-like type of an entry, for display (`float[]`, `std::vector<int32_t>`).
    public var typeName: String

    init(layout: Layout, typeName: String) throws {
        // Fixed dimensions come from leaf titles and streamers: reject zero, negative or
        // absurd ones here, so decoding never divides by zero or overflows a size.
        let shapes: [[Int]] = switch layout {
        case .fixed(_, let shape), .jagged(_, let shape, _): [shape]
        case .leafList(let leaves): leaves.map(\.shape)
        case .objects: []
        }
        for shape in shapes {
            guard shape.allSatisfy({ $0 > 0 && $0 < 1 << 24 }), shape.reduce(1, { $0 &* $1 }) < 1 << 28 else {
                throw KaonError(.malformed, "impossible array dimensions \(shape)")
            }
        }
        self.layout = layout
        self.typeName = typeName
    }

    static func make(className: String, leaves: [Leaf], elementClassName: String, elementID: Int,
                     elementType: Int, streamerType: Int, hasSubbranches: Bool,
                     streamers: StreamerRegistry) throws -> Interpretation {
        if className == "TBranchElement" {
            return try element(leaves: leaves, className: elementClassName, id: elementID, type: elementType,
                               streamerType: streamerType, hasSubbranches: hasSubbranches, streamers: streamers)
        }
        guard className == "TBranch" || className == "TBranchElement" || className == "TBranchSTL" else {
            throw KaonError(.unsupported, "branches of class \(className) are not supported")
        }
        guard let first = leaves.first else {
            throw KaonError(.unsupported, "branch has no leaves")
        }
        if leaves.count > 1 {
            let fields = try leaves.map { leaf -> (name: String, type: PrimitiveType, shape: [Int]) in
                guard let type = leaf.primitiveType, leaf.counterName == nil else {
                    throw KaonError(.unsupported, "leaf list member \(leaf.name) of class \(leaf.className) is not supported")
                }
                return (leaf.name, type, leaf.fixedDimensions)
            }
            let names = fields.map { "\(Self.cppName($0.type)) \($0.name)" }.joined(separator: "; ")
            return try Interpretation(layout: .leafList(fields), typeName: "struct {\(names);}")
        }
        let item: Item
        switch first.className {
        case "TLeafC":
            return try Interpretation(layout: .objects(.string), typeName: "char*")
        case "TLeafD32":
            item = .packed(PackedFloat(title: rangeSpec(first.title), isFloat16: false), output: .float64)
        case "TLeafF16":
            item = .packed(PackedFloat(title: rangeSpec(first.title), isFloat16: true), output: .float32)
        default:
            guard let type = first.primitiveType else {
                throw KaonError(.unsupported, "leaves of class \(first.className) are not supported")
            }
            item = .primitive(type)
        }
        var shape = first.fixedDimensions
        if first.className == "TLeafD32" || first.className == "TLeafF16" {
            // These leaves' titles hold the packing range, not the dimensions.
            shape = first.length > 1 ? [first.length] : []
        }
        if first.counterName != nil {
            return try Interpretation(layout: .jagged(item, shape: shape, headerBytes: 0), typeName: typeName(item, shape, jagged: true))
        }
        return try Interpretation(layout: .fixed(item, shape: shape), typeName: typeName(item, shape, jagged: false))
    }

    /// A TBranchElement: a whole object (top level) or one member of a split object.
    static func element(leaves: [Leaf], className: String, id: Int, type: Int, streamerType: Int,
                        hasSubbranches: Bool, streamers: StreamerRegistry) throws -> Interpretation {
        let inCollection = type == 31 || type == 41  // a member of split TClonesArray/STL elements
        let streamerElement: StreamerElement? = {
            guard id >= 0, let info = streamers.info(for: className), id < info.elements.count else { return nil }
            return info.elements[id]
        }()
        if id < 0 || (streamerType == -1 && !inCollection) {
            if hasSubbranches {
                throw KaonError(.unsupported, "branch \(className) is split into sub-branches; read those instead")
            }
            return try wholeObject(CppType(parsing: className), spelled: className)
        }
        let title = streamerElement?.title ?? ""
        let arrayShape: [Int] = {
            guard let element = streamerElement, element.arrayDimension > 0 else {
                return leaves.first.map { $0.length > 1 ? [$0.length] : [] } ?? []
            }
            return Array(element.maxIndex.prefix(element.arrayDimension))
        }()
        func basic(_ code: Int) throws -> Item {
            if code == StreamerType.double32 { return .packed(PackedFloat(title: title, isFloat16: false), output: .float64) }
            if code == StreamerType.float16 { return .packed(PackedFloat(title: title, isFloat16: true), output: .float32) }
            guard let primitive = PrimitiveType(streamerType: code) else {
                throw KaonError(.unsupported, "member type code \(code) is not supported")
            }
            return .primitive(primitive)
        }
        switch streamerType {
        case 1...19:
            let item = try basic(streamerType)
            if inCollection { return try Interpretation(layout: .jagged(item, shape: [], headerBytes: 0), typeName: typeName(item, [], jagged: true)) }
            return try Interpretation(layout: .fixed(item, shape: []), typeName: typeName(item, [], jagged: false))
        case 21...39:
            let item = try basic(streamerType - StreamerType.offsetFixedArray)
            if inCollection { return try Interpretation(layout: .jagged(item, shape: arrayShape, headerBytes: 0), typeName: typeName(item, arrayShape, jagged: true)) }
            return try Interpretation(layout: .fixed(item, shape: arrayShape), typeName: typeName(item, arrayShape, jagged: false))
        case 41...59:
            guard !inCollection else { throw KaonError(.unsupported, "pointer arrays inside split collections are not supported") }
            let item = try basic(streamerType - StreamerType.offsetPointer)
            return try Interpretation(layout: .jagged(item, shape: [], headerBytes: 1), typeName: typeName(item, [], jagged: true))
        case StreamerType.tString, StreamerType.stlString:
            guard !inCollection else { throw KaonError(.unsupported, "strings inside split collections are not supported") }
            return try Interpretation(layout: .objects(.string), typeName: streamerType == StreamerType.tString ? "TString" : "std::string")
        case StreamerType.stl:
            guard !inCollection else { throw KaonError(.unsupported, "containers inside split collections are not supported") }
            let spelled = streamerElement?.typeName ?? className
            return try wholeObject(CppType(parsing: spelled), spelled: spelled)
        default:
            throw KaonError(.unsupported, "member \(streamerElement?.name ?? "?") of type \(streamerElement?.typeName ?? "code \(streamerType)") is not supported")
        }
    }

    /// A branch holding one whole object per entry, interpreted from its C++ type.
    static func wholeObject(_ type: CppType, spelled: String) throws -> Interpretation {
        switch type {
        case .string, .tString:
            return try Interpretation(layout: .objects(.string), typeName: displayName(type))
        case .vector(let inner):
            return try Interpretation(layout: .objects(.container(try containerItem(inner, spelled: spelled), header: true)),
                                  typeName: displayName(type))
        case .map(let key, let value):
            let item = Item.map(key: try containerItem(key, spelled: spelled), value: try containerItem(value, spelled: spelled),
                                keyHeader: groupHeader(key, spelled: spelled), valueHeader: groupHeader(value, spelled: spelled))
            return try Interpretation(layout: .objects(item), typeName: displayName(type))
        case .primitive(let p):
            return try Interpretation(layout: .fixed(.primitive(p), shape: []), typeName: cppName(p))
        default:
            throw KaonError(.unsupported, "branches of type \(spelled) are not supported")
        }
    }

    /// Whether a map's key or value group starts with a version header: std::string and
    /// STL containers have one, TString and numbers do not.
    static func groupHeader(_ type: CppType, spelled: String) -> Bool {
        switch type {
        case .vector, .map: true
        case .string: true
        default: false
        }
    }

    static func containerItem(_ type: CppType, spelled: String) throws -> Item {
        switch type {
        case .primitive(let p): return .primitive(p)
        case .double32: return .packed(PackedFloat(title: "", isFloat16: false), output: .float64)
        case .float16: return .packed(PackedFloat(title: "", isFloat16: true), output: .float32)
        case .string, .tString: return .string
        case .vector(let inner): return .container(try containerItem(inner, spelled: spelled), header: false)
        case .map:
            throw KaonError(.unsupported, "maps nested inside containers (in \(spelled)) are not supported")
        case .object(let name):
            throw KaonError(.unsupported, "containers of \(name) (in \(spelled)) are not supported")
        }
    }

    /// The `[xmin,xmax,nbits]` part of a Double32/Float16 leaf title: the leaf title is the
    /// type letter and the range (`d[-2.71,10,30]`), or `name[dims]/d[...]`.
    static func rangeSpec(_ title: String) -> String {
        if let slash = title.lastIndex(of: "/") { return String(title[slash...]) }
        if title.first == "d" || title.first == "f" { return title }
        return ""
    }

    static func cppName(_ type: PrimitiveType) -> String {
        switch type {
        case .bool: "bool"
        case .float32: "float"
        case .float64: "double"
        default: type.rawValue + "_t"
        }
    }

    static func displayName(_ type: CppType) -> String {
        switch type {
        case .primitive(let p): cppName(p)
        case .double32: "Double32_t"
        case .float16: "Float16_t"
        case .string: "std::string"
        case .tString: "TString"
        case .vector(let inner): "std::vector<\(displayName(inner))>"
        case .map(let key, let value): "std::map<\(displayName(key)), \(displayName(value))>"
        case .object(let name): name
        }
    }

    static func typeName(_ item: Item, _ shape: [Int], jagged: Bool) -> String {
        var base: String
        switch item {
        case .primitive(let p): base = cppName(p)
        case .packed(_, let output): base = output == .float64 ? "Double32_t" : "Float16_t"
        case .string: base = "std::string"
        case .container: base = "container"
        case .map: base = "map"
        }
        if jagged { base += "[]" }
        for d in shape { base += "[\(d)]" }
        return base
    }
}
