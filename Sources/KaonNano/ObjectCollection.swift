/// One event's objects of one kind (`event.muons`): a random-access collection of views,
/// each an index into the chunk's columns.
///
/// Creating it reads two offsets; iterating it allocates nothing; an element is built on
/// the fly from the index. Standard-library algorithms work as usual. The collection and
/// its objects hold the chunk (see ``ObjectHandle``): they may be kept after the loop.
///
/// ```swift
/// for muon in event.muons where muon.pt > 30 && muon.tightId { … }
/// let leading = event.jets.max { $0.pt < $1.pt }
/// for (a, b) in event.muons.pairs() where a.charge != b.charge {
///     let m = (a.p4 + b.p4).mass
/// }
/// ```
@_eagerMove
public struct ObjectCollection<Object: NanoObject>: RandomAccessCollection {
    /// The chunk, which owns the store behind `cells` (so holding it keeps them valid).
    public let chunk: ChunkView
    /// The store's field buffers (see ``CollectionStore``).
    @usableFromInline let cells: UnsafeMutablePointer<UnsafeRawPointer?>
    /// Event position in the chunk.
    public let eventIndex: Int
    // Offsets are validated non-decreasing sums of non-negative counts, so the index
    // arithmetic below cannot overflow (wrapping operators spare the checks).
    @usableFromInline let start: Int
    /// The number of objects in the event.
    public let count: Int

    /// The objects of `store` in event `event` (traps unless `0 <= event < store.events`).
    ///
    /// ```swift
    /// let muons = ObjectCollection<Muon>(store: view.store(for: Muon.self), event: 0)
    /// ```
    public init(store: CollectionStore, event: Int) {
        precondition(event >= 0 && event < store.events, "ObjectCollection: event \(event) out of 0..<\(store.events)")
        self.init(chunk: store.chunk, store: .passUnretained(store), event: event)
    }

    /// Unchecked: `store` belongs to `chunk` and `event` is one of its events.
    @inlinable @inline(__always)
    init(chunk: ChunkView, store: Unmanaged<CollectionStore>, event: Int) {
        self.chunk = chunk
        eventIndex = event
        let (cells, start, end) = withExtendedLifetime(chunk) {
            store._withUnsafeGuaranteedRef { ($0.cells, $0.offsets[event], $0.offsets[event + 1]) }
        }
        self.cells = cells
        self.start = start
        count = end &- start
    }

    /// The store holding the chunk's columns of these objects. Kernels that work on a whole
    /// chunk at once read its ``CollectionStore/buffer(_:as:)-(String,_)``s; these objects are the values
    /// at ``positions``.
    ///
    /// ```swift
    /// let pt = try jets.store.buffer("pt", as: Float.self)[jets.positions]   // == jets.map(\.pt)
    /// ```
    public var store: CollectionStore { withExtendedLifetime(chunk) { CollectionStore.owner(ofCells: cells).takeUnretainedValue() } }

    /// The positions of these objects in their store's buffers (`offsets[event] ..< offsets[event + 1]`).
    @inlinable public var positions: Range<Int> { start ..< start &+ count }

    /// 0.
    @inlinable public var startIndex: Int { 0 }
    /// ``count``.
    @inlinable public var endIndex: Int { count }

    /// Object `position` (0-based within the event).
    ///
    /// ```swift
    /// let leading = event.jets[0]
    /// ```
    @inlinable @inline(__always)
    public subscript(position: Int) -> Object {
        precondition(position >= 0 && position < count, "ObjectCollection: index \(position) out of 0..<\(count)")
        return element(position)
    }

    /// The object at `position` without the range check (positions from ``indices``).
    @inlinable @inline(__always)
    func element(_ position: Int) -> Object {
        Object(handle: ObjectHandle(chunk: chunk, cells: cells, index: start &+ position, event: eventIndex))
    }

    /// Iterates the objects in order (flat fields, as ``Pairs``).
    @_eagerMove
    public struct Iterator: IteratorProtocol {
        @usableFromInline let chunk: ChunkView
        @usableFromInline let cells: UnsafeMutablePointer<UnsafeRawPointer?>
        @usableFromInline let event: Int
        /// Global position of the next object; `end` is past the event's last.
        @usableFromInline var position: Int
        @usableFromInline let end: Int
        @inlinable @inline(__always) init(_ collection: ObjectCollection) {
            chunk = collection.chunk
            cells = collection.cells
            event = collection.eventIndex
            position = collection.start
            end = collection.start &+ collection.count
        }
        /// The next object.
        @inlinable @inline(__always)
        public mutating func next() -> Object? {
            guard position < end else { return nil }
            let object = Object(handle: ObjectHandle(chunk: chunk, cells: cells, index: position, event: event))
            position &+= 1
            return object
        }
    }

    /// An iterator over the objects.
    @inlinable @inline(__always) public func makeIterator() -> Iterator { Iterator(self) }

    /// The unordered pairs (i < j) in lexicographic order, without allocating.
    ///
    /// ```swift
    /// for (a, b) in event.muons.pairs() where a.charge != b.charge { … }
    /// ```
    @inlinable @inline(__always) public func pairs() -> Pairs { Pairs(collection: self) }

    /// The unordered triples (i < j < k) in lexicographic order (as `ak.combinations(…, 3)`).
    ///
    /// ```swift
    /// for (a, b, c) in event.jets.triples() { let m = (a.p4 + b.p4 + c.p4.cartesian).mass }
    /// ```
    @inlinable @inline(__always) public func triples() -> Triples { Triples(collection: self) }

    /// Pairs (i < j) of a collection: a sequence that is its own iterator.
    ///
    /// It holds the collection's parts (chunk, cells, global positions) as its own fields,
    /// not the collection: holding a nested ``ObjectCollection``, the loop's iterator was
    /// kept in memory and the chunk retained and released once per event and once per
    /// pair; with flat fields the optimiser promotes it to registers and drops every such
    /// retain (the pairs still hold the chunk strongly, see ``ObjectHandle``).
    @_eagerMove
    public struct Pairs: Sequence, IteratorProtocol {
        @usableFromInline let chunk: ChunkView
        @usableFromInline let cells: UnsafeMutablePointer<UnsafeRawPointer?>
        @usableFromInline let event: Int
        /// Global positions of the next pair's objects; `end` is past the event's last.
        @usableFromInline var i: Int, j: Int
        @usableFromInline let end: Int
        @inlinable @inline(__always) init(collection: ObjectCollection) {
            chunk = collection.chunk
            cells = collection.cells
            event = collection.eventIndex
            i = collection.start
            j = collection.start &+ 1
            end = collection.start &+ collection.count
        }
        /// The next pair.
        @inlinable @inline(__always)
        public mutating func next() -> (Object, Object)? {
            if j >= end {
                guard i &+ 2 < end else { return nil }
                i &+= 1
                j = i &+ 1
            }
            let pair = (object(i), object(j))
            j &+= 1
            return pair
        }
        @inlinable @inline(__always) func object(_ index: Int) -> Object {
            Object(handle: ObjectHandle(chunk: chunk, cells: cells, index: index, event: event))
        }
    }

    /// Triples (i < j < k) of a collection: a sequence that is its own iterator (flat
    /// fields, as ``Pairs``).
    @_eagerMove
    public struct Triples: Sequence, IteratorProtocol {
        @usableFromInline let chunk: ChunkView
        @usableFromInline let cells: UnsafeMutablePointer<UnsafeRawPointer?>
        @usableFromInline let event: Int
        /// Global positions of the next triple's objects; `end` is past the event's last.
        @usableFromInline var i: Int, j: Int, k: Int
        @usableFromInline let end: Int
        @inlinable @inline(__always) init(collection: ObjectCollection) {
            chunk = collection.chunk
            cells = collection.cells
            event = collection.eventIndex
            i = collection.start
            j = collection.start &+ 1
            k = collection.start &+ 2
            end = collection.start &+ collection.count
        }
        /// The next triple.
        @inlinable @inline(__always)
        public mutating func next() -> (Object, Object, Object)? {
            if k >= end {
                if j &+ 2 < end {
                    j &+= 1
                } else {
                    guard i &+ 3 < end else { return nil }
                    i &+= 1
                    j = i &+ 1
                }
                k = j &+ 1
            }
            let triple = (object(i), object(j), object(k))
            k &+= 1
            return triple
        }
        @inlinable @inline(__always) func object(_ index: Int) -> Object {
            Object(handle: ObjectHandle(chunk: chunk, cells: cells, index: index, event: event))
        }
    }
}
