/// A growable big-endian byte buffer for ROOT's serialisation, with the bookkeeping ROOT's
/// `TBufferFile` does: byte counts patched after the fact, class tags written once per
/// class and referenced afterwards, and references to objects written earlier.
///
/// `origin` is the absolute offset of byte 0 in ROOT's reference space: inside a key's
/// payload references count from the start of the key, so it is the key length.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]
    /// Added to positions to form reference offsets (the key length for a key payload).
    public let origin: Int
    /// Reference tags of the classes already written in this buffer.
    private var classTags: [String: UInt32] = [:]

    /// ROOT's `kByteCountMask`: marks a u32 as a byte count.
    static let byteCountMask: UInt32 = 0x4000_0000
    /// ROOT's `kClassMask`: marks a u32 as a reference to a class tag.
    static let classMask: UInt32 = 0x8000_0000
    /// ROOT's `kNewClassTag`: a class name follows.
    static let newClassTag: UInt32 = 0xFFFF_FFFF
    /// ROOT's `kMapOffset`: added to every offset so that no reference is 0 (null).
    static let mapOffset = 2

    public init(origin: Int = 0, capacity: Int = 256) {
        self.origin = origin
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written.
    public var count: Int { bytes.count }

    mutating func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends one unsigned byte.
    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    /// Appends a signed byte.
    public mutating func i8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }
    /// Appends a big-endian UInt16.
    public mutating func u16(_ value: UInt16) { put(value) }
    /// Appends a big-endian Int16.
    public mutating func i16(_ value: Int16) { put(value) }
    /// Appends a big-endian UInt32.
    public mutating func u32(_ value: UInt32) { put(value) }
    /// Appends a big-endian Int32.
    public mutating func i32(_ value: Int32) { put(value) }
    /// Appends a big-endian UInt64.
    public mutating func u64(_ value: UInt64) { put(value) }
    /// Appends a big-endian Int64.
    public mutating func i64(_ value: Int64) { put(value) }
    /// Appends a big-endian IEEE float.
    public mutating func f32(_ value: Float) { put(value.bitPattern) }
    /// Appends a big-endian IEEE double.
    public mutating func f64(_ value: Double) { put(value.bitPattern) }
    /// Appends a bool as one byte (0 or 1).
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// An `Int` written as i32, clamped (callers validate sizes before they get here).
    public mutating func i32(_ value: Int) { put(Int32(clamping: value)) }
    /// An `Int` written as i16.
    public mutating func i16(_ value: Int) { put(Int16(clamping: value)) }
    /// An `Int` written as i64.
    public mutating func i64(_ value: Int) { put(Int64(value)) }

    /// Raw bytes.
    public mutating func append<C: Collection>(contentsOf data: C) where C.Element == UInt8 {
        bytes.append(contentsOf: data)
    }

    /// A TString: one length byte, or 255 and an i32 length for 255 bytes or more.
    public mutating func tString(_ text: String) {
        let utf8 = Array(text.utf8)
        if utf8.count < 255 {
            bytes.append(UInt8(utf8.count))
        } else {
            bytes.append(255)
            i32(utf8.count)
        }
        bytes.append(contentsOf: utf8)
    }

    /// A NUL-terminated string (class names in class tags).
    public mutating func cString(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(0)
    }

    /// Overwrites 4 bytes at `position` with a big-endian u32.
    public mutating func patchU32(_ value: UInt32, at position: Int) {
        for i in 0..<4 { bytes[position + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(i))) }
    }

    /// Overwrites bytes at `position`.
    public mutating func patch(_ data: [UInt8], at position: Int) {
        bytes.replaceSubrange(position..<(position + data.count), with: data)
    }

    // MARK: - Object framing

    /// Starts a versioned object: a byte-count placeholder and the version. Returns the
    /// position to pass to `endObject`.
    public mutating func beginObject(version: Int) -> Int {
        let start = bytes.count
        u32(0)
        u16(UInt16(truncatingIfNeeded: version))
        return start
    }

    /// Patches the byte count of an object started at `start` (the count excludes itself).
    public mutating func endObject(_ start: Int) {
        patchU32(UInt32(bytes.count - start - 4) | Self.byteCountMask, at: start)
    }

    /// A TObject base (no byte count): version 1, fUniqueID, fBits. ROOT clears the
    /// in-memory bits (`kIsOnHeap`, `kNotDeleted`) when streaming, so none are set here.
    public mutating func tObject(uniqueID: UInt32 = 0, bits: UInt32 = 0) {
        u16(1)
        u32(uniqueID)
        u32(bits)
    }

    /// A TNamed base: header, TObject, name and title.
    public mutating func tNamed(_ name: String, _ title: String, bits: UInt32 = 0) {
        let start = beginObject(version: 1)
        tObject(bits: bits)
        tString(name)
        tString(title)
        endObject(start)
    }

    /// A null pointer in an object-any slot.
    public mutating func nullPointer() { u32(0) }

    /// A pointer to an object written earlier in this buffer (the value `objectAny` returned).
    public mutating func reference(_ offset: UInt32) { u32(offset) }

    /// A pointer to a new object of `className` (ROOT's `WriteObjectAny`): byte count, class
    /// tag (the name the first time, a reference afterwards), then `body`. Returns the
    /// reference later pointers to the same object use.
    @discardableResult
    public mutating func objectAny(className: String, _ body: (inout ByteWriter) -> Void) -> UInt32 {
        let start = bytes.count
        u32(0)
        if let tag = classTags[className] {
            u32(tag | Self.classMask)
        } else {
            classTags[className] = UInt32(origin + bytes.count + Self.mapOffset)
            u32(Self.newClassTag)
            cString(className)
        }
        body(&self)
        patchU32(UInt32(bytes.count - start - 4) | Self.byteCountMask, at: start)
        return UInt32(origin + start + Self.mapOffset)
    }

    /// A TArrayD or TArrayI-like member: i32 count and the values (no header).
    public mutating func arrayD(_ values: [Double]) {
        i32(values.count)
        bytes.reserveCapacity(bytes.count + 8 * values.count)
        for value in values { f64(value) }
    }
}
