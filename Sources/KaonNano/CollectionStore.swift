import KaonIO

/// The decoded columns of one collection (`Muon_*`, `MET_*`, the event-level branches) in one
/// chunk: per-event offsets and one contiguous typed buffer per branch touched so far.
///
/// An object is just an index into these buffers. A typed property of a built-in object
/// reads `cells[slot]` — a raw pointer set when the branch is first used — so the hot path
/// is one predictable branch and one load: no hashing, no existential, no allocation, no
/// exclusivity check (the state lives in manually allocated memory, not in class `var`s).
///
/// Memory safety does not rest on trust: every buffer holds exactly ``total`` values (a
/// branch whose counts differ from the counter's is rejected), objects only ever index
/// `offsets[event] ..< offsets[event + 1]`, and a branch that failed reads as
/// ``ColumnValue/unreadable`` values. The buffers live as long as the store, the store as
/// long as its chunk (which never drops a store), and every object, collection and event holds its chunk strongly (see
/// ``ObjectHandle``), so no view can outlive the memory it reads. A buffer is either
/// allocated by the store or, when the branch is already stored as the type read (the
/// usual case), the column's own byte array read in place: the store keeps that array
/// (`retained`) and never mutates it, so its storage neither moves nor is freed before
/// the store.
///
/// ```swift
/// let muons = view.store(for: Muon.self)
/// let pt = try muons.buffer("pt", as: Float.self)      // all muons of the chunk
/// let perEvent = muons.offsetsBuffer                     // count + 1 offsets
/// ```
public final class CollectionStore {
    /// Branch prefix (`Muon`); empty for event-level branches.
    public let prefix: String
    /// How objects map onto events.
    public let layout: CollectionLayout
    /// The number of objects in the chunk.
    public let total: Int
    /// The chunk, which owns this store (so not retained: that would be a cycle). Checked
    /// `unowned`: a store kept by user code after its chunk is gone traps on a slow-path use
    /// instead of reading freed memory. Object views never go through it (they hold the
    /// chunk themselves).
    unowned let chunk: ChunkView
    /// The number of events (`offsets` has one more entry).
    public let events: Int
    /// Per-event object offsets, `events + 1` of them: the storage of ``offsetArray``.
    @usableFromInline let offsets: UnsafeMutablePointer<Int>
    /// The offsets as an array (compared with each branch's own), owning ``offsets``'s memory.
    let offsetArray: [Int]
    /// The branch suffix candidates of each typed field, by slot (``NanoField/branchSuffixes``).
    let fields: [[String]]
    /// Typed buffers of the built-in fields, by slot; nil until first use. `cells[-1]` holds
    /// this store (unretained; the chunk owns it), so that an object view needs only its
    /// chunk, this pointer, its index and its event; `cells[-2]` holds the number of cells
    /// (as a pointer's bit pattern) for the bounds check. There are always at least
    /// ``uncheckedSlots`` cells (those past the fields stay nil: only the loader fills a
    /// cell, after checking the slot against the fields), so a read of a constant slot below
    /// that needs no bounds check: the check folds away in the inlined property, and a slot
    /// past the type's fields finds a nil cell and traps in the loader. A loaded cell carries
    /// the element layout it was decoded as in its low 3 bits (``cellTag(_:)``; buffers are 8-aligned),
    /// so reading a slot as a type of another size can never run past its buffer: the tag
    /// test is the "loaded?" test, and a mismatch takes the slow path.
    @usableFromInline let cells: UnsafeMutablePointer<UnsafeRawPointer?>
    private var dynamic: [DynamicKey: UnsafeRawPointer] = [:]
    /// The element type each loaded built-in cell was decoded as (slow path only).
    private var cellTypes: [Int: ObjectIdentifier] = [:]
    private var allocations: [UnsafeMutableRawPointer] = []
    /// Column byte arrays read in place by cells and ``buffer(_:as:)-(String,_)``: kept (never mutated)
    /// so that their storage lives, unmoved, as long as the store.
    private var retained: [[UInt8]] = []

    init(chunk: ChunkView, prefix: String, layout: CollectionLayout, fields: [[String]]) {
        self.chunk = chunk
        let events = chunk.count
        self.events = events
        self.prefix = prefix
        self.layout = layout
        self.fields = fields
        let offsetArray: [Int]
        switch layout {
        case .counted(let counter):
            var built: [Int]
            do {
                built = try Self.offsets(counting: counter, in: chunk)
            } catch {
                chunk.record(KaonError.wrapping(error, branch: counter))
                built = [Int](repeating: 0, count: events + 1)
            }
            offsetArray = built
            total = built[events]
        case .singleton, .eventLevel:
            offsetArray = Array(0...events)
            total = events
        }
        self.offsetArray = offsetArray
        // Never mutated, so the array's storage stays where it is as long as the store.
        offsets = UnsafeMutablePointer(mutating: offsetArray.withUnsafeBufferPointer { $0.baseAddress! })
        let slots = max(fields.count, Self.uncheckedSlots)
        let header = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: slots + 2)
        header.initialize(repeating: nil, count: slots + 2)
        cells = header + 2
        header[0] = UnsafeRawPointer(bitPattern: slots)
        header[1] = UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque())
    }

    /// The per-event offsets (`count + 1`, from 0) of the objects `counter` counts: its
    /// counts summed. A counter stored as a narrow integer (NanoAOD's `uint32`/`int32`) is
    /// summed straight from the column's bytes; other types go through the exact conversion
    /// to `Int` (see ``ColumnValue``). A negative count is an error.
    static func offsets(counting counter: String, in chunk: ChunkView) throws -> [Int] {
        let offsets = try summedCounts(counter, in: chunk)
        // Every object gets a value of up to 8 bytes per property read (or per failed read):
        // counts summing beyond the budget are refused before anything is sized by them.
        try withContext(object: counter) {
            try AllocationBudget.anyFile.check(offsets.last ?? 0, of: 8, "the objects \(counter) counts (8 bytes per value)")
        }
        return offsets
    }

    /// The running sums of `counter`'s counts (see ``offsets(counting:in:)``).
    private static func summedCounts(_ counter: String, in chunk: ChunkView) throws -> [Int] {
        let events = chunk.count
        let column = try chunk.read(counter)
        if case .primitive(let type, let bytes) = column.values, column.innerShape.isEmpty, column.offsets.isEmpty,
           column.entryCount == events, bytes.count == events * type.size {
            let summed: [Int]? = switch type {
            case .bool, .uint8: prefixSums(bytes, events, UInt8.self)
            case .int8: prefixSums(bytes, events, Int8.self)
            case .uint16: prefixSums(bytes, events, UInt16.self)
            case .int16: prefixSums(bytes, events, Int16.self)
            case .uint32: prefixSums(bytes, events, UInt32.self)
            case .int32: prefixSums(bytes, events, Int32.self)
            default: nil
            }
            if let summed { return summed }
        }
        // Any other type, or a negative count (found again here, to name its event).
        let counts = try chunk.values(counter, as: Int.self, offsets: nil)
        var built = [Int](repeating: 0, count: events + 1)
        for i in 0..<events {
            guard counts[i] >= 0 else {
                throw KaonError(.malformed, "\(counter) has a negative count at event \(i)", object: counter)
            }
            // A 64-bit counter can hold counts whose sum overflows.
            let (sum, overflow) = built[i].addingReportingOverflow(counts[i])
            guard !overflow else {
                throw KaonError(.malformed, "\(counter)'s counts overflow at event \(i) (count \(counts[i]))", object: counter)
            }
            built[i + 1] = sum
        }
        return built
    }

    /// Running sums of `events` integers of type `S` stored in `bytes`, or nil if one is
    /// negative. (At most 2^32 per event: no overflow.)
    private static func prefixSums<S: FixedWidthInteger>(_ bytes: [UInt8], _ events: Int, _: S.Type) -> [Int]? {
        var sign = 0
        let sums = bytes.withUnsafeBytes { raw in
            [Int](unsafeUninitializedCapacity: events + 1) { out, initialized in
                out[0] = 0
                var total = 0
                for i in 0..<events {
                    let count = Int(truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: i &* MemoryLayout<S>.size, as: S.self))
                    sign |= count
                    total &+= count
                    out[i &+ 1] = total
                }
                initialized = events + 1
            }
        }
        return sign < 0 ? nil : sums
    }

    /// The store whose `cells` these are.
    @inlinable
    static func owner(ofCells cells: UnsafeMutablePointer<UnsafeRawPointer?>) -> Unmanaged<CollectionStore> {
        Unmanaged.fromOpaque(cells[-1].unsafelyUnwrapped)
    }

    deinit {
        (cells - 2).deallocate()
        for pointer in allocations { pointer.deallocate() }
    }

    /// The per-event offsets (`count + 1`): event `i`'s objects are `offsets[i] ..< offsets[i + 1]`.
    /// Like ``buffer(_:as:)-(String,_)`` it is valid as long as this store (and its chunk).
    public var offsetsBuffer: UnsafeBufferPointer<Int> { UnsafeBufferPointer(start: offsets, count: events + 1) }

    /// The full branch name of `field` (`pt` → `Muon_pt`; event-level fields are named in full).
    ///
    /// ```swift
    /// view.store(for: Muon.self).branchName("pt")   // "Muon_pt"
    /// ```
    public func branchName(_ field: String) -> String { layout == .eventLevel ? field : prefix + "_" + field }

    /// The full branch names of typed field `field`'s candidates, in order (`Jet.Field.btag` →
    /// `Jet_btagDeepB`, `Jet_btag`).
    ///
    /// ```swift
    /// view.store(for: Jet.self).branchNames(Jet.Field.btag)   // ["Jet_btagDeepB", "Jet_btag"]
    /// ```
    public func branchNames<F: NanoField>(_ field: F) -> [String] { field.branchSuffixes.map(branchName) }

    // MARK: Typed access (the hot path)

    /// The value of built-in field `slot` for object `index` (global position in the chunk).
    @inlinable @inline(__always)
    public func value<T: ColumnValue>(slot: Int, at index: Int, as _: T.Type) -> T {
        precondition(index >= 0 && index < total, "CollectionStore: index \(index) out of 0..<\(total)")
        return Self.read(cells, slot: slot, at: index, as: T.self)
    }

    /// The tag of a buffer of `T` in a cell's low bits: 1–5 for element strides 1–16, 7 for
    /// Bool (so a byte branch decoded as UInt8 is not read as Bool), 6 for any other layout
    /// (never stored in a cell: such reads always go by name).
    @inlinable @inline(__always)
    static func cellTag<T: ColumnValue>(_: T.Type) -> UInt {
        if T.self == Bool.self { return 7 }
        switch MemoryLayout<T>.stride {
        case 1: return 1
        case 2: return 2
        case 4: return 3
        case 8: return 4
        case 16: return 5
        default: return 6
        }
    }

    /// Cells every store has, whatever its type's field count: slots below this are read
    /// without a bounds check (see ``cells``).
    @inlinable static var uncheckedSlots: Int { 64 }

    /// Value `index` of slot `slot` of the store owning `cells`: the one read every typed
    /// property makes. Checks the slot against the store's cell count (unless it is below
    /// ``uncheckedSlots``: every store has those) and the cell's tag against `T` (one compare
    /// doubles as "is it loaded?"); `index` must be valid.
    @inlinable @inline(__always)
    static func read<T: ColumnValue>(_ cells: UnsafeMutablePointer<UnsafeRawPointer?>, slot: Int, at index: Int, as _: T.Type) -> T {
        if UInt(bitPattern: slot) >= UInt(uncheckedSlots) {
            precondition(UInt(bitPattern: slot) < UInt(bitPattern: cells[-2]), "NanoObject: field slot \(slot) out of range")
        }
        let bits = UInt(bitPattern: cells[slot])
        let tag = cellTag(T.self)
        // Loaded once per chunk: tell the optimiser, so the loading call stays out of line.
        if _fastPath(bits & 7 == tag) { return UnsafePointer<T>(bitPattern: bits &- tag).unsafelyUnwrapped[index] }
        return owner(ofCells: cells)._withUnsafeGuaranteedRef { $0.load(slot: slot, as: T.self) }[index]
    }

    @usableFromInline @inline(never)
    func load<T: ColumnValue>(slot: Int, as _: T.Type) -> UnsafePointer<T> {
        // A cell past the store's fields (an object view read as a type with more fields).
        precondition(slot < fields.count, "NanoObject: field slot \(slot) out of range")
        // Already decoded as another type (or an unusual layout): read it like a by-name
        // field instead, decoded as T once and cached.
        guard cells[slot] == nil, Self.cellTag(T.self) != 6 else { return pointer(candidates: fields[slot], as: T.self) }
        let (pointer, decoded) = materialize(fields[slot], as: T.self)
        fill(cell: slot, with: pointer, decoded: decoded)
        return pointer
    }

    /// Makes `pointer` the buffer of built-in cell `slot`, tagged with `T`'s layout; `decoded`
    /// (not the stand-ins for a failed branch) also records it as `T`'s own buffer, which
    /// ``buffer(_:as:)-(String,_)`` then hands out.
    func fill<T: ColumnValue>(cell slot: Int, with pointer: UnsafePointer<T>, decoded: Bool) {
        cells[slot] = UnsafeRawPointer(bitPattern: UInt(bitPattern: pointer) | Self.cellTag(T.self))
        if decoded { cellTypes[slot] = ObjectIdentifier(T.self) }
    }

    /// The value of any field by name for object `index` (`value(named: "dxy", …)` reads
    /// `Muon_dxy`): one dictionary lookup per call, the column itself is read once.
    @inlinable
    public func value<T: ColumnValue>(named field: String, at index: Int, as _: T.Type) -> T {
        precondition(index >= 0 && index < total, "CollectionStore: index \(index) out of 0..<\(total)")
        return pointer(named: field, as: T.self)[index]
    }

    @usableFromInline
    func pointer<T: ColumnValue>(named field: String, as _: T.Type) -> UnsafePointer<T> {
        pointer(candidates: [field], as: T.self)
    }

    /// The buffer of the first of `candidates` (branch suffixes) present, decoded as T once
    /// and cached.
    func pointer<T: ColumnValue>(candidates: [String], as _: T.Type) -> UnsafePointer<T> {
        let key = DynamicKey(candidates: candidates, type: ObjectIdentifier(T.self))
        if let pointer = dynamic[key] { return pointer.assumingMemoryBound(to: T.self) }
        let pointer = materialize(candidates, as: T.self).pointer
        dynamic[key] = UnsafeRawPointer(pointer)
        return pointer
    }

    /// All of the chunk's values of `field` as `T`, throwing instead of recording a failure.
    /// The buffer lives as long as the chunk.
    ///
    /// ```swift
    /// let pt = try view.store(for: Jet.self).buffer("pt", as: Float.self)
    /// ```
    public func buffer<T: ColumnValue>(_ field: String, as _: T.Type) throws -> UnsafeBufferPointer<T> {
        try buffer(candidates: [field], as: T.self)
    }

    /// All of the chunk's values of typed field `field` as `T` (the first of its candidate
    /// branches present): the very buffer the object views read.
    ///
    /// ```swift
    /// let btag = try view.store(for: Jet.self).buffer(Jet.Field.btag, as: Float.self)   // Jet_btagDeepB or Jet_btag
    /// ```
    public func buffer<F: NanoField, T: ColumnValue>(_ field: F, as _: T.Type) throws -> UnsafeBufferPointer<T> {
        try buffer(candidates: field.branchSuffixes, as: T.self)
    }

    private func buffer<T: ColumnValue>(candidates: [String], as _: T.Type) throws -> UnsafeBufferPointer<T> {
        if let slot = fields.firstIndex(of: candidates) {
            // A typed field already decoded as T: hand out that very buffer (same memory the
            // object views read).
            if cellTypes[slot] == ObjectIdentifier(T.self), let cell = cells[slot] {
                let pointer = UnsafePointer<T>(bitPattern: UInt(bitPattern: cell) & ~7)
                return UnsafeBufferPointer(start: pointer, count: total)
            }
            // Not yet used: decode it into the cell, as the first property read would (so the
            // object views then read this buffer instead of decoding the branch again).
            if cells[slot] == nil && Self.cellTag(T.self) != 6 {
                let pointer = try decode(candidates, as: T.self)
                fill(cell: slot, with: pointer, decoded: true)
                return UnsafeBufferPointer(start: pointer, count: total)
            }
        }
        let key = DynamicKey(candidates: candidates, type: ObjectIdentifier(T.self))
        if let pointer = dynamic[key] { return UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: T.self), count: total) }
        let pointer = try decode(candidates, as: T.self)
        dynamic[key] = UnsafeRawPointer(pointer)
        return UnsafeBufferPointer(start: pointer, count: total)
    }

    // MARK: Loading

    /// Decodes the first of `candidates` (branch suffixes) present, or records the failure
    /// and hands back ``ColumnValue/unreadable`` values (see ``ChunkView``).
    func materialize<T: ColumnValue>(_ candidates: [String], as _: T.Type) -> (pointer: UnsafePointer<T>, decoded: Bool) {
        do {
            return (try decode(candidates, as: T.self), true)
        } catch {
            chunk.record(KaonError.wrapping(error, branch: branchName(candidates[0])))
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(total, 1) * MemoryLayout<T>.stride,
                                                       alignment: max(MemoryLayout<T>.alignment, 8))
            allocations.append(raw)
            return (UnsafePointer(raw.initializeMemory(as: T.self, repeating: T.unreadable, count: max(total, 1))), false)
        }
    }

    /// The buffer of exactly ``total`` values of the first of `candidates` (branch suffixes)
    /// present: the column's bytes in place when they already are `T`s (8-aligned, as a
    /// native array's storage is), else a copy.
    func decode<T: ColumnValue>(_ candidates: [String], as _: T.Type) throws -> UnsafePointer<T> {
        let name = try chunk.resolve(candidates.map(branchName))
        var counter: String?
        var expected: [Int]?
        if case .counted(let c) = layout { (counter, expected) = (c, offsetArray) }
        switch try chunk.decoded(name, as: T.self, offsets: expected, counter: counter) {
        case .native(let bytes):
            let count = bytes.count / MemoryLayout<T>.stride
            guard count == total else {
                throw KaonError(.usage, "\(name) has \(count) values, expected \(total)", object: name)
            }
            // The array is kept and never mutated: its storage is stable for the store's life.
            let base = bytes.withUnsafeBytes { $0.baseAddress }
            guard total > 0, let base, UInt(bitPattern: base) & 7 == 0 else { return allocate(decodeNative(bytes, as: T.self)) }
            retained.append(bytes)
            return base.bindMemory(to: T.self, capacity: total)
        case .converted(let values):
            guard values.count == total else {
                throw KaonError(.usage, "\(name) has \(values.count) values, expected \(total)", object: name)
            }
            return allocate(values)
        }
    }

    func allocate<T: ColumnValue>(_ values: [T]) -> UnsafePointer<T> {
        // 8-aligned at least, so that a cell has 3 free low bits for its tag.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(values.count, 1) * MemoryLayout<T>.stride,
                                                   alignment: max(MemoryLayout<T>.alignment, 8))
        let pointer = raw.bindMemory(to: T.self, capacity: max(values.count, 1))
        values.withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.initialize(from: base, count: values.count) } }
        allocations.append(raw)
        return UnsafePointer(pointer)
    }
}

struct DynamicKey: Hashable {
    /// Branch suffixes, first present wins (one for a field read by name).
    let candidates: [String]
    let type: ObjectIdentifier
}
