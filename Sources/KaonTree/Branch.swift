import KaonIO
import KaonROOT

/// A TBranch or TBranchElement: where a column's baskets are and how to interpret them.
public final class Branch: Sendable {
    /// The branch's own name (`Muon_pt`, `P3.Px`).
    public let name: String
    /// The path from the tree: parent names joined by `/` (`evt/P3/P3.Px`).
    public let path: String
    public let title: String
    /// `TBranch`, `TBranchElement`, `TBranchObject`, …
    public let className: String
    public let leaves: [Leaf]
    public let branches: [Branch]
    /// Entries in this branch.
    public let entries: Int
    /// The branch's compression setting (`algorithm·100 + level`); see `Tree.compression`.
    public let compression: Int
    /// Stored bytes (`fZipBytes`) and uncompressed bytes (`fTotBytes`) of all baskets.
    public let zipBytes: Int
    public let totalBytes: Int
    let entryOffsetLength: Int
    /// Basket locations: on-disk size, first entry (one more than baskets: the last is the
    /// total) and file offset of each basket key.
    let basketBytes: [Int]
    let basketEntry: [Int]
    let basketSeek: [Int]
    /// Baskets stored inside the TBranch (files whose writer did not close them).
    let embeddedBaskets: [EmbeddedBasket]
    /// For TBranchElement: the class it streams, the member index and types.
    public let elementClassName: String
    /// For TBranchElement: the member's index in the class's streamer (-1: the whole object).
    public let elementID: Int
    /// For TBranchElement: ROOT's fType (0 for a top-level object, -1 for some strings, …).
    public let elementType: Int
    /// For TBranchElement: ROOT's fStreamerType (-1 for a whole object).
    public let streamerType: Int
    /// For TBranchElement: the streamed class's checksum and version (fCheckSum, fClassVersion).
    public let elementCheckSum: UInt32
    public let elementClassVersion: Int
    /// How far ROOT split the object into sub-branches (fSplitLevel).
    public let splitLevel: Int
    /// How to decode this branch's entries, or the reason it cannot be decoded.
    public let interpretation: Result<Interpretation, KaonError>

    init(_ object: ROOTObject, parentPath: String, streamers: StreamerRegistry) throws {
        name = object.string("fName") ?? ""
        path = parentPath.isEmpty ? name : parentPath + "/" + name
        title = object.string("fTitle") ?? ""
        className = object.className
        leaves = object.list("fLeaves").compactMap { $0.objectValue.map(Leaf.init) }
        entries = object.int("fEntries") ?? 0
        compression = object.int("fCompress") ?? 0
        zipBytes = object.int("fZipBytes") ?? 0
        totalBytes = object.int("fTotBytes") ?? 0
        entryOffsetLength = object.int("fEntryOffsetLen") ?? 0
        elementClassName = object.string("fClassName") ?? ""
        elementID = object.int("fID") ?? -1
        elementType = object.int("fType") ?? 0
        streamerType = object.int("fStreamerType") ?? -1
        elementCheckSum = UInt32(truncatingIfNeeded: object.int("fCheckSum") ?? 0)
        elementClassVersion = object.int("fClassVersion") ?? 0
        splitLevel = object.int("fSplitLevel") ?? 0

        let writeBasket = object.int("fWriteBasket") ?? 0
        let bytes = object["fBasketBytes"]?.integersValue ?? []
        let entryStarts = object["fBasketEntry"]?.integersValue ?? []
        let seeks = object["fBasketSeek"]?.integersValue ?? []
        // Only the first fWriteBasket slots describe baskets written to their own keys.
        var count = max(0, min(writeBasket, bytes.count, seeks.count, entryStarts.count - 1))
        while count > 0 && seeks[count - 1] == 0 { count -= 1 }
        basketBytes = bytes.prefix(count).map { Int($0) }
        basketSeek = seeks.prefix(count).map { Int($0) }
        var starts = entryStarts.prefix(count + 1).map { Int($0) }
        if starts.count < count + 1 { starts.append(count == 0 ? 0 : entries) }

        var embedded: [EmbeddedBasket] = []
        var nextEntry = starts.last ?? 0
        for item in object.list("fBaskets") {
            guard let basket = item.objectValue, basket.className == "TBasket",
                  let basketObject = try? EmbeddedBasket(basket, firstEntry: nextEntry, entryOffsetLength: entryOffsetLength)
            else { continue }
            embedded.append(basketObject)
            nextEntry += basketObject.entryCount
        }
        basketEntry = starts
        embeddedBaskets = embedded

        let children = object.list("fBranches").compactMap(\.objectValue)
        let myPath = path
        branches = try children.map { try Branch($0, parentPath: myPath, streamers: streamers) }
        let (leaves, elementClassName, elementID, elementType, streamerType) = (leaves, elementClassName, elementID, elementType, streamerType)
        let basketLayoutValid = zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 } && (starts.first ?? 0) >= 0
            && basketBytes.allSatisfy { $0 >= 0 } && basketSeek.allSatisfy { $0 >= 0 }
        interpretation = Result {
            guard basketLayoutValid else {
                throw KaonError(.malformed, "basket table is inconsistent (negative sizes or decreasing first entries)")
            }
            return try Interpretation.make(className: object.className, leaves: leaves,
                                           elementClassName: elementClassName, elementID: elementID,
                                           elementType: elementType, streamerType: streamerType,
                                           hasSubbranches: !children.isEmpty, streamers: streamers)
        }
        .mapError { ($0 as? KaonError ?? KaonError(.unsupported, "\($0)")).inObject(myPath) }
    }

    /// Number of baskets, including embedded ones.
    public var basketCount: Int { basketBytes.count + embeddedBaskets.count }

    /// This branch and all branches below it, depth first.
    public var flattened: [Branch] { [self] + branches.flatMap(\.flattened) }

    /// Whether this branch holds data of its own (not only sub-branches).
    public var hasData: Bool { branches.isEmpty || (basketCount > 0 && !leaves.isEmpty && (try? interpretation.get()) != nil) }

    /// The range of entries stored in basket `index`.
    func entryRange(ofBasket index: Int) -> Range<Int> {
        if index < basketBytes.count {
            let lower = basketEntry[index]
            return lower..<max(lower, index + 1 < basketEntry.count ? basketEntry[index + 1] : entries)
        }
        let embedded = embeddedBaskets[index - basketBytes.count]
        return embedded.firstEntry..<(embedded.firstEntry + max(0, embedded.entryCount))
    }

    /// The baskets overlapping an entry range.
    func baskets(overlapping range: Range<Int>) -> [Int] {
        (0..<basketCount).filter { entryRange(ofBasket: $0).overlaps(range) }
    }
}
