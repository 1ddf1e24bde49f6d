import Testing
import KaonIO

/// Runs `body` and returns the `KaonError` it throws, recording an issue if it throws
/// nothing or something else.
@discardableResult
func expectKaonError<T>(_ kind: KaonError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: () throws -> T) -> KaonError? {
    do {
        let value = try body()
        Issue.record("expected a \(kind) error, got a value: \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as KaonError {
        #expect(error.kind == kind, "expected \(kind), got \(error.kind): \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a KaonError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("ByteCursor")
struct ByteCursorTests {
    @Test("integers are read big-endian at every width")
    func bigEndianIntegers() throws {
        let bytes: [UInt8] = [
            0xFE,                                            // u8 / i8
            0x12, 0x34,                                      // u16
            0xFF, 0xFE,                                      // i16 = -2
            0xDE, 0xAD, 0xBE, 0xEF,                          // u32
            0xFF, 0xFF, 0xFF, 0xF9,                          // i32 = -7
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  // u64
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFD,  // i64 = -3
        ]
        var cursor = ByteCursor(bytes)
        #expect(try cursor.readU8() == 0xFE)
        cursor.position = 0
        #expect(try cursor.readI8() == -2)
        #expect(try cursor.readU16() == 0x1234)
        #expect(try cursor.readI16() == -2)
        #expect(try cursor.readU32() == 0xDEAD_BEEF)
        #expect(try cursor.readI32() == -7)
        #expect(try cursor.readU64() == 0x0102_0304_0506_0708)
        #expect(try cursor.readI64() == -3)
        #expect(cursor.remaining == 0)
        #expect(cursor.position == bytes.count)
    }

    @Test("floats, doubles and bools are read big-endian")
    func floatsAndBools() throws {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: Float(1.5).bitPattern.bigEndian) { bytes += $0 }
        withUnsafeBytes(of: Double(-2.25).bitPattern.bigEndian) { bytes += $0 }
        bytes += [0, 1, 7]
        var cursor = ByteCursor(bytes)
        #expect(try cursor.readF32() == 1.5)
        #expect(try cursor.readF64() == -2.25)
        #expect(try cursor.readBool() == false)
        #expect(try cursor.readBool() == true)
        #expect(try cursor.readBool() == true)
    }

    @Test("origin shifts reference positions only")
    func origin() throws {
        var cursor = ByteCursor([1, 2, 3, 4], position: 1, origin: 100)
        #expect(cursor.referencePosition == 101)
        _ = try cursor.readU16()
        #expect(cursor.position == 3)
        #expect(cursor.referencePosition == 103)
    }

    @Test("short-form TString: a length byte and the bytes")
    func shortTString() throws {
        var cursor = ByteCursor([5] + Array("hello".utf8) + [0] + [0xAA])
        #expect(try cursor.readTString() == "hello")
        #expect(try cursor.readTString() == "")  // length 0
        #expect(cursor.remaining == 1)
        // 254 is still the short form.
        let long254 = [UInt8](repeating: 0x61, count: 254)
        var c254 = ByteCursor([254] + long254)
        #expect(try c254.readTString() == String(repeating: "a", count: 254))
        #expect(c254.remaining == 0)
    }

    @Test("long-form TString: 255, a big-endian Int32 length, and the bytes")
    func longTString() throws {
        let body = [UInt8](repeating: 0x62, count: 300)
        var cursor = ByteCursor([255, 0, 0, 0x01, 0x2C] + body + [9])
        #expect(try cursor.readTString() == String(repeating: "b", count: 300))
        #expect(try cursor.readU8() == 9)
    }

    @Test("TString lengths beyond the buffer or negative throw .truncated")
    func badTString() {
        var short = ByteCursor([10, 0x61, 0x62])
        expectKaonError(.truncated) { try short.readTString() }
        var long = ByteCursor([255, 0x7F, 0xFF, 0xFF, 0xFF, 0x61])
        expectKaonError(.truncated) { try long.readTString() }
        var negative = ByteCursor([255, 0xFF, 0xFF, 0xFF, 0xFE, 0x61])
        expectKaonError(.truncated) { try negative.readTString() }
        var missingLength = ByteCursor([255, 0, 0])
        expectKaonError(.truncated) { try missingLength.readTString() }
        var empty = ByteCursor([])
        expectKaonError(.truncated) { try empty.readTString() }
    }

    @Test("reading past the end throws .truncated and leaves the position alone")
    func pastEnd() {
        var cursor = ByteCursor([1, 2, 3])
        expectKaonError(.truncated) { try cursor.readU32() }
        #expect(cursor.position == 0)
        expectKaonError(.truncated) { try cursor.readI64() }
        expectKaonError(.truncated) { try cursor.readF64() }
        expectKaonError(.truncated) { try cursor.readBytes(4) }
        expectKaonError(.truncated) { try cursor.readBytes(-1) }
        expectKaonError(.truncated) { try cursor.skip(4) }
        expectKaonError(.truncated) { try cursor.skip(-1) }
        expectKaonError(.truncated) { try cursor.readBytes(Int.max) }
        #expect(cursor.position == 0)
        #expect((try? cursor.readBytes(3)).map(Array.init) == [1, 2, 3])
        expectKaonError(.truncated) { try cursor.readU8() }
        let error = expectKaonError(.truncated) { try cursor.readU16() }
        #expect(error?.message.contains("offset 3") == true)
    }

    @Test("a position beyond the buffer (set directly) reads nothing and throws")
    func positionBeyondEnd() {
        var cursor = ByteCursor([1, 2, 3], position: 10)
        expectKaonError(.truncated) { try cursor.readU8() }
        expectKaonError(.truncated) { try cursor.readBytes(0) }
        var negative = ByteCursor([1, 2, 3], position: -1)
        expectKaonError(.truncated) { try negative.readU8() }
    }

    @Test("seek stays inside the buffer")
    func seek() throws {
        var cursor = ByteCursor([1, 2, 3])
        try cursor.seek(to: 3)
        #expect(cursor.remaining == 0)
        try cursor.seek(to: 1)
        #expect(try cursor.readU8() == 2)
        expectKaonError(.truncated) { try cursor.seek(to: 4) }
        expectKaonError(.truncated) { try cursor.seek(to: -1) }
        #expect(cursor.position == 2)
    }

    @Test("readCount accepts 0…limit and rejects negative or oversized counts")
    func readCount() throws {
        func cursor(_ value: Int32, padding: Int = 0) -> ByteCursor {
            var bytes: [UInt8] = []
            withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
            return ByteCursor(bytes + [UInt8](repeating: 0, count: padding))
        }
        var zero = cursor(0)
        #expect(try zero.readCount() == 0)
        // Default limit: the bytes remaining after the count.
        var exact = cursor(8, padding: 8)
        #expect(try exact.readCount() == 8)
        var tooMany = cursor(9, padding: 8)
        let error = expectKaonError(.malformed) { try tooMany.readCount(what: "number of widgets") }
        #expect(error?.message.contains("number of widgets") == true)
        var negative = cursor(-1, padding: 8)
        expectKaonError(.malformed) { try negative.readCount() }
        var minimum = cursor(Int32.min, padding: 8)
        expectKaonError(.malformed) { try minimum.readCount(limit: Int.max) }
        // An explicit limit overrides the remaining bytes, in both directions.
        var limited = cursor(3, padding: 100)
        expectKaonError(.malformed) { try limited.readCount(limit: 2) }
        var generous = cursor(1000, padding: 0)
        #expect(try generous.readCount(limit: 1000) == 1000)
        var huge = cursor(Int32.max)
        expectKaonError(.malformed) { try huge.readCount() }
        var missing = ByteCursor([0, 0])
        expectKaonError(.truncated) { try missing.readCount() }
    }

    @Test("C strings end at NUL; an unterminated one throws .truncated")
    func cString() throws {
        var cursor = ByteCursor(Array("TH1D".utf8) + [0] + Array("x".utf8) + [0] + Array("yz".utf8))
        #expect(try cursor.readCString() == "TH1D")
        #expect(try cursor.readCString() == "x")
        expectKaonError(.truncated) { try cursor.readCString() }
        var atEnd = ByteCursor([0], position: 1)
        expectKaonError(.truncated) { try atEnd.readCString() }
    }
}

@Suite("KaonError")
struct KaonErrorTests {
    @Test("context is added once, innermost wins, and appears in the description")
    func context() {
        let base = KaonError(.malformed, "bad thing")
        #expect(base.description == "bad thing")
        let inner = base.inObject("branch").inFile("a.root")
        #expect(inner.description == "a.root: branch: bad thing")
        #expect(inner.inFile("b.root").file == "a.root")
        #expect(inner.inObject("tree").object == "branch")
        do {
            try withContext(file: "f.root", object: "obj") { throw KaonError(.truncated, "short") }
            Issue.record("withContext swallowed the error")
        } catch let error as KaonError {
            #expect(error.file == "f.root")
            #expect(error.object == "obj")
            #expect(error.kind == .truncated)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
