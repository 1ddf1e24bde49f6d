import Testing
import KaonIO
@testable import KaonROOT

/// Class descriptions that refer to themselves (a file's StreamerInfo is input like any other):
/// reading stops at the nesting limit with an error, never by exhausting the stack.
@Suite("Streamer recursion")
struct StreamerRecursionTests {
    func element(kind: String, name: String, type: Int, typeName: String) -> StreamerElement {
        StreamerElement(kind: kind, name: name, title: "", type: type, size: 0, arrayLength: 0, arrayDimension: 0,
                        maxIndex: [], typeName: typeName)
    }

    /// Reads a `Loop` from 100 000 version headers (2 bytes each, no byte counts): enough for
    /// every level of an unbounded recursion to find its header.
    func read(_ loop: StreamerElement) -> KaonError? {
        let registry = StreamerRegistry([StreamerInfo(className: "Loop", checksum: 0, classVersion: 1, elements: [loop])])
        let headers = Array([[UInt8]](repeating: [0x00, 0x01], count: 100_000).joined())
        var reader = ObjectReader(streamers: registry, cursor: ByteCursor(headers))
        do {
            _ = try reader.readObject(className: "Loop")
            Issue.record("a self-referencing class was read to the end")
            return nil
        } catch let error as KaonError {
            return error
        } catch {
            Issue.record("expected a KaonError, got \(error)")
            return nil
        }
    }

    @Test("a class that is its own base class stops at the nesting limit")
    func baseCycle() {
        let error = read(element(kind: "TStreamerBase", name: "Loop", type: StreamerType.base, typeName: "BASE"))
        #expect(error?.kind == .malformed)
        #expect(error?.message == "objects nested more than 100 deep")
    }

    @Test("a class holding a member of its own class by value stops at the nesting limit")
    func memberCycle() {
        let error = read(element(kind: "TStreamerObject", name: "next", type: StreamerType.object, typeName: "Loop"))
        #expect(error?.kind == .malformed)
        #expect(error?.message == "objects nested more than 100 deep")
        #expect(error?.object == "Loop::next")
    }
}
