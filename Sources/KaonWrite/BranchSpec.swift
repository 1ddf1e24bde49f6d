import KaonIO
import KaonROOT

/// What one branch of a written TTree holds per entry.
public enum BranchType: Sendable, Equatable {
    /// One number (`x/F`).
    case scalar(PrimitiveType)
    /// A fixed-size array (`x[3][2]/F`): `shape` gives the dimensions.
    case array(PrimitiveType, shape: [Int])
    /// A counted array (`Muon_pt[nMuon]/F`, NanoAOD style): the number of items per entry
    /// is the value of the scalar integer branch `counter`, which several branches can share.
    /// `shape` gives fixed inner dimensions (`x[n][3]`).
    case counted(PrimitiveType, counter: String, shape: [Int] = [])
    /// A `std::vector<T>` (a TBranchElement, as ROOT makes for `tree.Branch("v", &vec)`).
    case vector(PrimitiveType)
    /// A `std::vector<std::vector<T>>` (a TBranchElement): a list of lists per entry.
    case vectorVector(PrimitiveType)
    /// A C string (`name/C`, a TLeafC): one length-prefixed string per entry.
    case string
    /// A `std::vector<std::string>` (a TBranchElement): a list of strings per entry.
    case stringVector
    /// A leaf list (`x/I:y/F:z[3]/D`): several fixed-size leaves in one branch, stored one
    /// after another in each entry.
    case leafList([LeafField])
    /// A whole object per entry, given as the bytes ROOT's streamer writes for it (a
    /// TBranchElement of `StreamedClass`): what `kaon copy` uses for maps, sets and nested
    /// containers of strings, whose bytes it moves unchanged.
    case streamed(StreamedClass)

    /// Items per entry of each fixed dimension (1 for scalars).
    var itemsPerEntry: Int {
        switch self {
        case .array(_, let shape), .counted(_, _, let shape): shape.reduce(1, *)
        default: 1
        }
    }

    /// Bytes per entry of a fixed-size branch.
    var fixedEntrySize: Int {
        switch self {
        case .leafList(let fields): fields.reduce(0) { $0 + $1.type.size * $1.shape.reduce(1, *) }
        default: itemsPerEntry * (primitive?.size ?? 1)
        }
    }

    /// The primitive item type, or nil for strings.
    var primitive: PrimitiveType? {
        switch self {
        case .scalar(let p), .array(let p, _), .counted(let p, _, _), .vector(let p), .vectorVector(let p): p
        case .string, .stringVector, .leafList, .streamed: nil
        }
    }

    /// Whether entries are streamed objects copied as bytes.
    var isStreamed: Bool {
        if case .streamed = self { return true }
        return false
    }

    /// Whether entries have variable sizes (baskets then carry entry offsets).
    var isVariable: Bool {
        switch self {
        case .scalar, .array, .leafList: false
        default: true
        }
    }
}

/// One leaf of a leaf-list branch: a name, a type and fixed dimensions (empty: a scalar).
public struct LeafField: Sendable, Equatable {
    /// The leaf's name (`x` in `x/I:y/F`).
    public var name: String
    /// The value type.
    public var type: PrimitiveType
    /// Fixed dimensions (`[3]` for `z[3]/D`); empty for a scalar.
    public var shape: [Int]

    /// A leaf named `name` of `type` with fixed dimensions `shape`.
    public init(_ name: String, _ type: PrimitiveType, shape: [Int] = []) {
        self.name = name
        self.type = type
        self.shape = shape
    }
}

/// A branch to create: a name, a type and an optional title.
public struct BranchSpec: Sendable, Equatable {
    /// The branch name (also its leaf's name, without any `[dims]` suffix).
    public var name: String
    /// What each entry holds.
    public var type: BranchType
    /// The branch title; by default ROOT's leaf-list form (`Muon_pt[nMuon]/F`).
    public var title: String?

    /// A branch named `name` holding `type` values.
    public init(_ name: String, _ type: BranchType, title: String? = nil) {
        self.name = name
        self.type = type
        self.title = title
    }
}

/// Values for a range of entries of one branch, columnar: numbers in native byte order.
public enum BranchValues: Sendable {
    /// `count · itemsPerEntry` fixed-width values, back to back, native byte order.
    case primitive(PrimitiveType, [UInt8])
    /// Variable-length entries: `offsets` (entries + 1, in items, starting anywhere) into
    /// native-order values.
    case jagged(PrimitiveType, offsets: [Int], [UInt8])
    /// One string per entry.
    case strings([String])
    /// A leaf list's values: one `.primitive` per leaf, in leaf order.
    case record([BranchValues])
    /// Lists of strings: `offsets` (entries + 1, starting anywhere) into `strings`.
    case stringLists(offsets: [Int], [String])
    /// Lists of lists of numbers: `outer` (entries + 1, starting anywhere) indexes the
    /// lists, whose items `inner` (lists + 1, starting anywhere) indexes in native-order values.
    case nestedLists(PrimitiveType, outer: [Int], inner: [Int], [UInt8])
    /// Streamed objects for a `.streamed` branch: entry `i` is `bytes[offsets[i]..<offsets[i + 1]]`
    /// (entries + 1 offsets, starting anywhere), in ROOT's big-endian streamed form.
    case serialized(offsets: [Int], [UInt8])

    /// Scalars or fixed arrays from a typed array.
    public static func values<T: BitwiseCopyable>(_ type: PrimitiveType, _ values: [T]) -> BranchValues {
        .primitive(type, values.withUnsafeBytes { Array($0) })
    }

    /// Lists of lists from typed per-entry arrays of arrays.
    public static func nestedLists<T: BitwiseCopyable>(_ type: PrimitiveType, _ lists: [[[T]]]) -> BranchValues {
        var outer = [0], inner = [0]
        var flat: [T] = []
        for list in lists {
            for items in list {
                flat.append(contentsOf: items)
                inner.append(flat.count)
            }
            outer.append(inner.count - 1)
        }
        return .nestedLists(type, outer: outer, inner: inner, flat.withUnsafeBytes { Array($0) })
    }

    /// Jagged values from typed per-entry arrays.
    public static func lists<T: BitwiseCopyable>(_ type: PrimitiveType, _ lists: [[T]]) -> BranchValues {
        var offsets = [0]
        offsets.reserveCapacity(lists.count + 1)
        var flat: [T] = []
        for list in lists {
            flat.append(contentsOf: list)
            offsets.append(flat.count)
        }
        return .jagged(type, offsets: offsets, flat.withUnsafeBytes { Array($0) })
    }

    /// The number of entries these values cover for a branch of `branchType`.
    func entryCount(for branchType: BranchType) -> Int {
        switch self {
        case .primitive(let type, let bytes): return bytes.count / max(1, type.size * branchType.itemsPerEntry)
        case .jagged(_, let offsets, _): return max(0, offsets.count - 1)
        case .strings(let strings): return strings.count
        case .stringLists(let offsets, _): return max(0, offsets.count - 1)
        case .nestedLists(_, let outer, _, _): return max(0, outer.count - 1)
        case .serialized(let offsets, _): return max(0, offsets.count - 1)
        case .record(let fields):
            guard case .leafList(let leaves) = branchType, let first = leaves.first, let values = fields.first,
                  case .primitive(let type, let bytes) = values else { return 0 }
            return bytes.count / max(1, type.size * first.shape.reduce(1, *))
        }
    }
}
