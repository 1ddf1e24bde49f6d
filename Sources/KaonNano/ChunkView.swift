import KaonColumns
import KaonIO
import KaonTree

/// One block of events seen as NanoAOD-style objects: the per-chunk cache of decoded
/// columns that every ``Event``, ``ObjectCollection`` and object view reads from.
///
/// Nothing is read up front. The first time code touches a collection (`event.muons`) its
/// counter branch (`nMuon`) is read; the first time it touches a property (`muon.pt`)
/// that branch (`Muon_pt`) is read and decoded into one contiguous typed buffer; every
/// later access in the chunk is a pointer check and an indexed load. Each branch is read at
/// most once per chunk.
///
/// ## Errors
/// Property reads are not `throws` — `for muon in event.muons where muon.pt > 30` must
/// read like physics and compile to a load — and they must not trap either. So the first
/// failure in a chunk (a missing branch, a type that cannot hold the values, a read error)
/// is *recorded* here, with the branch named, and the failed column reads as
/// ``ColumnValue/unreadable`` values from then on (NaN, an integer's extreme: memory stays
/// safe and nothing passes for data). The loop drivers rethrow it:
/// ``Events/forEachEvent(_:)`` throws right after the event in which it happened, and
/// engines driving chunks themselves call ``check()`` after each block. Code that wants the
/// error at the access itself uses the throwing ``CollectionStore/buffer(_:as:)-(String,_)``.
///
/// ```swift
/// let view = ChunkView(source: TreeChunk(tree: tree, entries: 0..<tree.entries))
/// var n = 0
/// for i in 0..<view.count {
///     for muon in view[i].muons where muon.pt > 30 { n += 1 }
/// }
/// try view.check()
/// ```
public final class ChunkView {
    /// Where the columns come from.
    public let source: ColumnSource
    /// The number of events.
    public let count: Int
    /// The global entry number of the first event (for ``Event/entry``).
    public let firstEntry: Int
    /// The first failure recorded in this chunk, if any.
    public private(set) var error: KaonError?

    /// Stores of the built-in collections, by ``NanoObject/builtinSlot`` (no hashing on the
    /// per-event path). Unretained: `named` owns every store; handing out `Unmanaged`
    /// references keeps reference counting off the per-object path.
    @usableFromInline let builtins: UnsafeMutablePointer<Unmanaged<CollectionStore>?>
    @usableFromInline static let builtinCapacity = 16
    private var named: [StoreKey: CollectionStore] = [:]
    private var columns: [String: Column] = [:]

    /// A view of `source`'s events; `firstEntry` numbers them globally.
    ///
    /// ```swift
    /// let view = ChunkView(source: chunk, firstEntry: 1000)
    /// ```
    public init(source: ColumnSource, firstEntry: Int = 0) {
        self.source = source
        count = source.count
        self.firstEntry = firstEntry
        builtins = .allocate(capacity: Self.builtinCapacity)
        builtins.initialize(repeating: nil, count: Self.builtinCapacity)
    }

    deinit {
        builtins.deinitialize(count: Self.builtinCapacity)
        builtins.deallocate()
    }

    /// Event `index` (0-based within the chunk).
    ///
    /// ```swift
    /// let first = view[0]
    /// ```
    @inlinable @inline(__always)
    public subscript(index: Int) -> Event {
        precondition(index >= 0 && index < count, "ChunkView: event \(index) out of 0..<\(count)")
        return Event(chunk: self, index: index)
    }

    /// Throws the first failure recorded while reading this chunk.
    ///
    /// ```swift
    /// try view.check()
    /// ```
    public func check() throws {
        if let error { throw error }
    }

    /// Records a failure (the first one wins: later ones are usually its consequences).
    func record(_ failure: KaonError) {
        if error == nil { error = failure }
    }

    // MARK: Stores

    /// The store of `O`'s default collection (`Muon` → `nMuon`, `Muon_*`).
    ///
    /// ```swift
    /// let pt = try view.store(for: Muon.self).buffer("pt", as: Float.self)
    /// ```
    @inlinable
    public func store<O: NanoObject>(for _: O.Type) -> CollectionStore { storeRef(for: O.self).takeUnretainedValue() }

    /// The store of `O`'s default collection, unretained (valid as long as this chunk).
    @inlinable @inline(__always)
    internal func storeRef<O: NanoObject>(for _: O.Type) -> Unmanaged<CollectionStore> {
        let slot = O.builtinSlot
        if slot >= 0, let store = builtins[slot] { return store }
        return makeStore(O.self, prefix: O.defaultPrefix, counter: nil)
    }

    /// The store of `O` objects under another prefix or counter (`PuppiMET` as ``MET``, a
    /// user-defined collection).
    ///
    /// ```swift
    /// let puppi = view.store(for: MET.self, prefix: "PuppiMET")
    /// ```
    public func store<O: NanoObject>(for _: O.Type, prefix: String, counter: String? = nil) -> CollectionStore {
        makeStore(O.self, prefix: prefix, counter: counter).takeUnretainedValue()
    }

    @usableFromInline @inline(never)
    func makeStore<O: NanoObject>(_: O.Type, prefix: String, counter: String?) -> Unmanaged<CollectionStore> {
        let layout: CollectionLayout
        switch O.kind {
        case .collection: layout = .counted(by: counter ?? "n" + prefix)
        case .singleton: layout = .singleton
        case .eventLevel: layout = .eventLevel
        }
        let isDefault = O.builtinSlot >= 0 && prefix == O.defaultPrefix && counter == nil
        if isDefault, let store = builtins[O.builtinSlot] { return store }
        let key = StoreKey(type: ObjectIdentifier(O.self), prefix: prefix, layout: layout)
        if let store = named[key] { return .passUnretained(store) }
        let store = CollectionStore(chunk: self, prefix: prefix, layout: layout, fields: O.Field.suffixesBySlot)
        named[key] = store
        if isDefault { builtins[O.builtinSlot] = .passUnretained(store) }
        return .passUnretained(store)
    }

    // MARK: Columns

    /// The first of `candidates` (full branch names) the source has, or a missing-branch error
    /// naming them all.
    func resolve(_ candidates: [String]) throws -> String {
        if candidates.count == 1 { return candidates[0] }
        for name in candidates where columns[name] != nil || source.hasColumn(name) { return name }
        throw KaonError(.missingBranch, "no branch \(candidates.joined(separator: " or ")) in \(source.sourceDescription)",
                        object: candidates[0])
    }

    /// Branch `name` decoded as `T`: per-object values when `offsets` is given (the
    /// branch's counts must equal them), else one value per event.
    func values<T: ColumnValue>(_ name: String, as _: T.Type, offsets expected: [Int]?, counter: String? = nil) throws -> [T] {
        switch try decoded(name, as: T.self, offsets: expected, counter: counter) {
        case .native(let bytes): return decodeNative(bytes, as: T.self)
        case .converted(let values): return values
        }
    }

    /// Like ``values(_:as:offsets:counter:)``, but a branch stored as `T` comes back as the
    /// column's own bytes, not copied (the caller keeps them alive and reads them in place).
    func decoded<T: ColumnValue>(_ name: String, as _: T.Type, offsets expected: [Int]?, counter: String? = nil) throws -> DecodedValues<T> {
        let column = try read(name)
        guard case .primitive(let type, let bytes) = column.values, column.innerShape.isEmpty else {
            throw KaonError(.usage, "\(name) in \(source.sourceDescription) is not a branch of one number per \(expected == nil ? "event" : "object")",
                            object: name)
        }
        if let expected {
            guard column.offsets.count == 1, sameOffsets(column.offsets[0], expected) else {
                throw KaonError(.usage, "\(name) in \(source.sourceDescription) does not have one value per object counted by \(counter ?? "its counter")",
                                object: name)
            }
        } else {
            guard column.offsets.isEmpty, column.entryCount == count else {
                throw KaonError(.usage, "\(name) in \(source.sourceDescription) does not have one value per event", object: name)
            }
        }
        // Bool is always checked byte by byte: a stored byte other than 0/1 is not a valid Bool.
        if type == T.primitiveType && T.self != Bool.self && bytes.count % MemoryLayout<T>.stride == 0 {
            return .native(bytes)
        }
        guard let converted = decodeValues(type, bytes, as: T.self) else {
            throw KaonError(.usage, "\(name) in \(source.sourceDescription) holds \(type) values that cannot be read exactly as \(T.self)",
                            object: name)
        }
        return .converted(converted)
    }

    /// The raw column (cached: each branch is read once per chunk).
    func read(_ name: String) throws -> Column {
        if let cached = columns[name] { return cached }
        let column: Column
        do {
            column = try source.column(name)
        } catch let error as KaonError {
            // A source that cannot list its branches reports a missing one however it can.
            if error.kind != .missingBranch && !source.hasColumn(name) { throw KaonError.missingBranch(name, in: source.sourceDescription) }
            throw error.inObject(name)
        } catch {
            if !source.hasColumn(name) { throw KaonError.missingBranch(name, in: source.sourceDescription) }
            throw KaonError(.system, "reading \(name) from \(source.sourceDescription) failed: \(error)", object: name)
        }
        columns[name] = column
        return column
    }
}

/// How a store's objects map onto events.
public enum CollectionLayout: Hashable, Sendable {
    /// A variable number per event, given by a counter branch (`nMuon`).
    case counted(by: String)
    /// Exactly one per event, branches `Prefix_field` (`MET_pt`).
    case singleton
    /// The event itself: branches named by the field alone (`run`, `HLT_IsoMu24`).
    case eventLevel
}

/// A branch's values as `T`: the column's bytes when they already are `T`s in native order
/// (read in place, no copy), else a converted array.
enum DecodedValues<T: ColumnValue> {
    case native([UInt8])
    case converted([T])
}

/// Whether two offset arrays are equal: one pass without an early exit, so that it
/// vectorises (every jagged branch of a chunk is compared with its counter's offsets).
func sameOffsets(_ a: [Int], _ b: [Int]) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { y in
            var difference = 0
            for i in 0..<x.count { difference |= x[i] ^ y[i] }
            return difference == 0
        }
    }
}

struct StoreKey: Hashable {
    let type: ObjectIdentifier
    let prefix: String
    let layout: CollectionLayout
}
