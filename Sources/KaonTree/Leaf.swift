import KaonROOT

/// A TLeaf: the type and shape of one value in a branch's entry.
public struct Leaf: Sendable {
    /// The leaf class (`TLeafF`, `TLeafI`, `TLeafElement`, …).
    public var className: String
    public var name: String
    /// The leaf title carries the dimensions and, for Double32/Float16, the packing range
    /// (`Muon_pt[nMuon]`, `x[3]/d[0,10,20]`).
    public var title: String
    /// Items per entry for fixed-size leaves (the product of the fixed dimensions).
    public var length: Int
    /// Bytes per item as stored.
    public var lengthType: Int
    public var isUnsigned: Bool
    /// The name of the leaf holding this leaf's element count (`nMuon`), if jagged.
    public var counterName: String?
    /// For `TLeafElement`: the streamer type code of the member.
    public var elementType: Int

    init(_ object: ROOTObject) {
        className = object.className
        name = object.string("fName") ?? ""
        title = object.string("fTitle") ?? ""
        length = object.int("fLen") ?? 1
        lengthType = object.int("fLenType") ?? 0
        isUnsigned = object["fIsUnsigned"].map { ($0.intValue ?? 0) != 0 } ?? false
        counterName = object.object("fLeafCount")?.string("fName")
        elementType = object.int("fType") ?? -1
    }

    /// The fixed dimensions written in the title after the name, excluding a leading
    /// counted dimension: `x[n][3][2]` → `[3, 2]`, `y[10]` → `[10]`.
    public var fixedDimensions: [Int] {
        var dims: [Int] = []
        var rest = Substring(title)
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            let inside = rest[rest.index(after: open)..<close]
            if let n = Int(inside) { dims.append(n) }
            rest = rest[rest.index(after: close)...]
        }
        return dims
    }

    /// The fixed-width type of a basic leaf (`TLeafB/S/I/L/F/D/O`, `TLeafG`), or nil.
    public var primitiveType: PrimitiveType? {
        switch className {
        case "TLeafO": .bool
        case "TLeafB": isUnsigned ? .uint8 : .int8
        case "TLeafS": isUnsigned ? .uint16 : .int16
        case "TLeafI": isUnsigned ? .uint32 : .int32
        case "TLeafL", "TLeafG": isUnsigned ? .uint64 : .int64
        case "TLeafF": .float32
        case "TLeafD": .float64
        default: nil
        }
    }
}
