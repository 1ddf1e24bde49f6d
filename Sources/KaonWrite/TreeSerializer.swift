import KaonIO
import KaonROOT

/// The member-wise serialisation of a TTree v20 with TBranch v13 / TBranchElement v10
/// branches and TLeaf{O,B,S,I,L,F,D,C} v1 / TLeafElement v1 leaves, following the
/// TStreamerInfo records in `StreamerRecords`.
enum TreeSerializer {
    /// ROOT's `ROOT::TIOFeatures` as streamed by ROOT: a byte count, version 0 and the
    /// class checksum (a "foreign" class), then the feature bits (none).
    static func ioFeatures(_ w: inout ByteWriter) {
        let start = w.beginObject(version: 0)
        w.u32(0x1AA1_2F10)
        w.u8(0)
        w.endObject(start)
    }

    /// A TObjArray streamed in place (not behind a pointer): header, TObject, name, size,
    /// lower bound, then one object-any slot per item.
    static func objArray(_ w: inout ByteWriter, count: Int, _ items: (inout ByteWriter) -> Void) {
        let start = w.beginObject(version: 3)
        w.tObject()
        w.tString("")
        w.i32(count)
        w.i32(0)
        items(&w)
        w.endObject(start)
    }

    /// The leaf class for a primitive type and its ROOT type letter.
    static func leafClass(_ type: PrimitiveType) -> (className: String, letter: String) {
        switch type {
        case .bool: ("TLeafO", "O")
        case .int8: ("TLeafB", "B")
        case .uint8: ("TLeafB", "b")
        case .int16: ("TLeafS", "S")
        case .uint16: ("TLeafS", "s")
        case .int32: ("TLeafI", "I")
        case .uint32: ("TLeafI", "i")
        case .int64: ("TLeafL", "L")
        case .uint64: ("TLeafL", "l")
        case .float32: ("TLeafF", "F")
        case .float64: ("TLeafD", "D")
        }
    }

    /// The leaf title: the name and its dimensions (`Muon_pt[nMuon]`, `x[3][2]`).
    static func leafTitle(_ spec: BranchSpec) -> String {
        let name = leafName(spec)
        switch spec.type {
        case .array(_, let shape): return name + shape.map { "[\($0)]" }.joined()
        case .counted(_, let counter, let shape): return name + "[\(counter)]" + shape.map { "[\($0)]" }.joined()
        default: return name
        }
    }

    /// The leaf's name: the branch name without dimensions (ROOT files can have branches
    /// named `x[10]`, whose leaf is `x` with title `x[10]`).
    static func leafName(_ spec: BranchSpec) -> String {
        spec.name.firstIndex(of: "[").map { String(spec.name[..<$0]) } ?? spec.name
    }

    /// The branch title ROOT gives a leaf-list branch (`x[n]/F`), or the name for vectors.
    static func branchTitle(_ spec: BranchSpec) -> String {
        if let title = spec.title { return title }
        switch spec.type {
        case .vector, .stringVector, .vectorVector, .streamed: return spec.name
        case .string: return spec.name + "/C"
        case .leafList(let fields):
            return fields.map { $0.name + $0.shape.map { "[\($0)]" }.joined() + "/" + leafClass($0.type).letter }.joined(separator: ":")
        default: return leafTitle(spec) + "/" + leafClass(spec.type.primitive ?? .int8).letter
        }
    }

    static func write(name: String, title: String, entries: Int, autoFlush: Int, branches: [BasketWriter],
                      compression: Int, basketSize: Int, to w: inout ByteWriter) {
        let tree = w.beginObject(version: 20)
        w.tNamed(name, title, bits: 0x0000_0008)  // kMustCleanup, as ROOT's trees have
        HistogramSerializer.attLine(&w)
        HistogramSerializer.attFill(&w)
        HistogramSerializer.attMarker(&w)
        let totBytes = branches.reduce(0) { $0 + $1.totalBytes }
        let zipBytes = branches.reduce(0) { $0 + $1.zipBytes }
        w.i64(entries)
        w.i64(totBytes)
        w.i64(zipBytes)
        w.i64(0)            // fSavedBytes
        w.i64(zipBytes)     // fFlushedBytes
        w.f64(1)            // fWeight
        w.i32(0)            // fTimerInterval
        w.i32(25)           // fScanField
        w.i32(0)            // fUpdate
        w.i32(1000)         // fDefaultEntryOffsetLen
        w.u32(0)            // fNClusterRange: clusters follow fAutoFlush
        w.i64(1_000_000_000_000)  // fMaxEntries
        w.i64(1_000_000_000_000)  // fMaxEntryLoop
        w.i64(0)            // fMaxVirtualSize
        w.i64(-300_000_000) // fAutoSave
        w.i64(autoFlush > 0 ? autoFlush : -30_000_000)  // fAutoFlush: entries per cluster
        w.i64(1_000_000)    // fEstimate
        w.u8(0)             // fClusterRangeEnd: no array
        w.u8(0)             // fClusterSize: no array
        ioFeatures(&w)

        // Leaves are written inside their branches; the tree's fLeaves and counted leaves'
        // fLeafCount then refer back to them.
        var leafReferences: [String: [UInt32]] = [:]
        objArray(&w, count: branches.count) { w in
            for branch in branches {
                w.objectAny(className: isElement(branch.spec) ? "TBranchElement" : "TBranch") { w in
                    writeBranch(branch, compression: compression, basketSize: max(basketSize, branch.limit),
                                treeEntries: entries, leafReferences: &leafReferences, to: &w)
                }
            }
        }
        let allLeaves = branches.flatMap { leafReferences[$0.spec.name] ?? [] }
        objArray(&w, count: allLeaves.count) { w in
            for reference in allLeaves { w.reference(reference) }
        }
        w.nullPointer()  // fAliases
        w.i32(0)         // fIndexValues (TArrayD)
        w.i32(0)         // fIndex (TArrayI)
        w.nullPointer()  // fTreeIndex
        w.nullPointer()  // fFriends
        w.nullPointer()  // fUserInfo
        w.nullPointer()  // fBranchRef
        w.endObject(tree)
    }

    static func isElement(_ spec: BranchSpec) -> Bool {
        switch spec.type {
        case .vector, .stringVector, .vectorVector, .streamed: true
        default: false
        }
    }

    static func writeBranch(_ branch: BasketWriter, compression: Int, basketSize: Int, treeEntries: Int,
                            leafReferences: inout [String: [UInt32]], to w: inout ByteWriter) {
        let spec = branch.spec
        let element = isElement(spec)
        let outer = element ? w.beginObject(version: 10) : nil
        let start = w.beginObject(version: 13)
        w.tNamed(spec.name, branchTitle(spec), bits: element ? 0x0050_0000 : 0x0040_0000)
        HistogramSerializer.attFill(&w)
        w.i32(compression)
        w.i32(basketSize)
        w.i32(spec.type.isVariable ? 1000 : 0)  // fEntryOffsetLen
        let baskets = branch.basketSeek.count
        w.i32(baskets)                          // fWriteBasket
        w.i64(branch.entries)                   // fEntryNumber
        ioFeatures(&w)
        w.i32(0)                                // fOffset
        let capacity = max(10, baskets + 1)
        w.i32(capacity)                         // fMaxBaskets
        // fSplitLevel: ROOT's 99 for unsplittable vectors; a streamed class keeps its own.
        if case .streamed(let streamed) = spec.type { w.i32(streamed.splitLevel) } else { w.i32(element ? 99 : 0) }
        w.i64(branch.entries)
        w.i64(0)                                // fFirstEntry
        w.i64(branch.totalBytes)
        w.i64(branch.zipBytes)
        objArray(&w, count: 0) { _ in }         // fBranches
        if case .leafList(let fields) = spec.type {
            objArray(&w, count: fields.count) { w in
                var offset = 0
                var references: [UInt32] = []
                for field in fields {
                    references.append(writePrimitiveLeaf(name: field.name, title: field.name + field.shape.map { "[\($0)]" }.joined(),
                                                         type: field.type, length: field.shape.reduce(1, *), offset: offset,
                                                         isCounter: false, maximum: 0, counter: nil, to: &w))
                    offset += field.type.size * field.shape.reduce(1, *)
                }
                leafReferences[spec.name] = references
            }
        } else {
            objArray(&w, count: 1) { w in
                let reference = writeLeaf(branch, leafReferences: leafReferences, to: &w)
                leafReferences[spec.name] = [reference]
            }
        }
        objArray(&w, count: 0) { _ in }         // fBaskets: none embedded
        w.u8(1)
        for i in 0..<capacity { w.i32(i < baskets ? branch.basketBytes[i] : 0) }
        w.u8(1)
        for i in 0..<capacity {
            // First entry of each basket; slot fWriteBasket holds the total.
            w.i64(i < baskets ? Int(branch.basketFirstEntry[i]) : i == baskets ? branch.entries : 0)
        }
        w.u8(1)
        for i in 0..<capacity { w.i64(i < baskets ? branch.basketSeek[i] : 0) }
        w.tString("")                           // fFileName: this file
        w.endObject(start)
        if let outer {
            let streamed = streamedClass(spec)
            w.tString(streamed.className)       // fClassName
            w.tString("")                       // fParentName
            w.tString("")                       // fClonesName
            w.u32(streamed.checksum)
            w.i16(streamed.classVersion)
            w.i32(-1)                           // fID: the whole object
            w.i32(streamed.elementType)         // fType: top-level
            w.i32(streamed.streamerType)        // fStreamerType
            w.i32(0)                            // fMaximum
            w.nullPointer()                     // fBranchCount
            w.nullPointer()                     // fBranchCount2
            w.endObject(outer)
        }
    }

    /// The class a TBranchElement streams: the given one for `.streamed`, else the vector's.
    static func streamedClass(_ spec: BranchSpec) -> StreamedClass {
        if case .streamed(let streamed) = spec.type { return streamed }
        let element = spec.type.primitive?.rawValue ?? "string"
        if case .vectorVector = spec.type {
            let known = StreamerRecords.vectorClasses[element]?.className ?? "vector<\(element)>"
            let className = "vector<\(known) >"
            return StreamedClass(className: className, checksum: Self.nestedVectorChecksums[className] ?? 0, classVersion: 6)
        }
        if let known = StreamerRecords.vectorClasses[element] {
            return StreamedClass(className: known.className, checksum: known.checksum, classVersion: known.classVersion)
        }
        return StreamedClass(className: "vector<\(element)>", checksum: 0, classVersion: 6)
    }

    /// ROOT's class checksums of `vector<vector<T> >` (TClass::GetCheckSum in ROOT 6.40),
    /// which ROOT records in a TBranchElement's fCheckSum.
    static let nestedVectorChecksums: [String: UInt32] = [
        "vector<vector<double> >": 2217838159, "vector<vector<float> >": 2170935584,
        "vector<vector<int> >": 3104527037, "vector<vector<Long64_t> >": 2779175905,
        "vector<vector<short> >": 2170962476, "vector<vector<char> >": 723640794,
        "vector<vector<bool> >": 723642738, "vector<vector<unsigned int> >": 1976510812,
        "vector<vector<unsigned char> >": 1634559415, "vector<vector<unsigned short> >": 608751043,
        "vector<vector<ULong64_t> >": 4042251808,
    ]

    /// Writes the branch's leaf (in an object-any slot); returns its reference.
    static func writeLeaf(_ branch: BasketWriter, leafReferences: [String: [UInt32]], to w: inout ByteWriter) -> UInt32 {
        let spec = branch.spec
        switch spec.type {
        case .vector, .stringVector, .vectorVector, .streamed:
            return w.objectAny(className: "TLeafElement") { w in
                let start = w.beginObject(version: 1)
                leafBase(w: &w, name: spec.name, title: spec.name, length: 1, lengthType: 0, isRange: false,
                         isUnsigned: false, counter: nil)
                w.i32(-1)  // fID
                w.i32(-1)  // fType
                w.endObject(start)
            }
        case .string:
            return w.objectAny(className: "TLeafC") { w in
                let start = w.beginObject(version: 1)
                let length = branch.maximumStringLength + 1
                leafBase(w: &w, name: spec.name, title: spec.name, length: length, lengthType: 1, isRange: false,
                         isUnsigned: false, counter: nil)
                w.i32(0)       // fMinimum
                w.i32(length)  // fMaximum
                w.endObject(start)
            }
        case .scalar(let type), .array(let type, _), .counted(let type, _, _):
            var counter: UInt32?
            if case .counted(_, let name, _) = spec.type { counter = leafReferences[name]?.first }
            return writePrimitiveLeaf(name: leafName(spec), title: leafTitle(spec), type: type, length: spec.type.itemsPerEntry,
                                      offset: 0, isCounter: branch.isCounter, maximum: branch.maximumCount, counter: counter, to: &w)
        case .leafList:
            // Written by writeBranch, one leaf per field.
            w.nullPointer()
            return 0
        }
    }

    /// A TLeafO/B/S/I/L/F/D in an object-any slot; returns its reference.
    static func writePrimitiveLeaf(name: String, title: String, type: PrimitiveType, length: Int, offset: Int,
                                   isCounter: Bool, maximum: Int64, counter: UInt32?, to w: inout ByteWriter) -> UInt32 {
        let (className, _) = leafClass(type)
        return w.objectAny(className: className) { w in
            let start = w.beginObject(version: 1)
            leafBase(w: &w, name: name, title: title, length: length, lengthType: type.size, offset: offset,
                     isRange: isCounter, isUnsigned: !type.isSigned && !type.isFloatingPoint && type != .bool, counter: counter)
            // fMinimum, fMaximum in the leaf's own type; a counter's maximum sizes ROOT's
            // buffers for the arrays it counts.
            switch type {
            case .bool: w.bool(false); w.bool(false)
            case .int8, .uint8: w.u8(0); w.u8(UInt8(truncatingIfNeeded: maximum))
            case .int16, .uint16: w.i16(0); w.i16(Int16(truncatingIfNeeded: maximum))
            case .int32, .uint32: w.i32(0); w.i32(Int32(truncatingIfNeeded: maximum))
            case .int64, .uint64: w.i64(0); w.i64(maximum)
            case .float32: w.f32(0); w.f32(0)
            case .float64: w.f64(0); w.f64(0)
            }
            w.endObject(start)
        }
    }

    /// The TLeaf v2 base: TNamed, fLen, fLenType, fOffset, fIsRange, fIsUnsigned, fLeafCount.
    static func leafBase(w: inout ByteWriter, name: String, title: String, length: Int, lengthType: Int, offset: Int = 0,
                         isRange: Bool, isUnsigned: Bool, counter: UInt32?) {
        let start = w.beginObject(version: 2)
        w.tNamed(name, title)
        w.i32(length)
        w.i32(lengthType)
        w.i32(offset)
        w.bool(isRange)
        w.bool(isUnsigned)
        if let counter { w.reference(counter) } else { w.nullPointer() }
        w.endObject(start)
    }
}
