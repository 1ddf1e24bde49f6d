import Foundation
import KaonIO
import KaonRNTuple
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

/// Damaged copies of a shared RNTuple file (made in a temporary directory) give KaonErrors
/// that say what is wrong, never a trap: a bad anchor or envelope checksum, a truncated
/// envelope, a page whose stored size cannot hold its elements.
///
/// The copies are made by envelope surgery: an envelope is decompressed, changed, given a
/// correct (or deliberately wrong) XXH3 checksum and appended to the file uncompressed (the
/// format allows stored-as-is envelopes), and the anchor is repointed with a fresh checksum,
/// so that exactly one thing is wrong.
@Suite struct DamagedFileTests {
    static let original = sharedData + "/rntuple/ntpl001_staff_rntuple_v1-0-0-0.root"

    /// A file's bytes, its anchor's payload offset and the envelopes' places.
    struct Surgery {
        var bytes: [UInt8]
        let anchorOffset: Int
        let anchor: RNTupleAnchor

        init() throws {
            bytes = try LocalFileSource(path: DamagedFileTests.original).read(at: 0, count: FileManager.default
                .attributesOfItem(atPath: DamagedFileTests.original)[.size] as! Int)
            let file = try ROOTFile(path: DamagedFileTests.original)
            let key = try file.root.key(named: "Staff")
            precondition(!key.isCompressed, "the staff anchor is stored uncompressed")
            anchorOffset = key.seekKey + key.keyLength
            anchor = try RNTupleAnchor(payload: file.payload(of: key))
        }

        /// The uncompressed envelope at `locator`.
        func envelope(_ locator: Locator, length: Int) throws -> [UInt8] {
            try Decompressor.decompress(Array(bytes[locator.range]), uncompressedSize: length)
        }

        /// Appends `envelope` uncompressed, with its checksum recomputed unless `keepChecksum`.
        mutating func append(_ envelope: [UInt8], keepChecksum: Bool = false) -> Locator {
            var envelope = envelope
            if !keepChecksum { Self.storeLittle(xxh3_64(envelope.dropLast(8)), in: &envelope, at: envelope.count - 8) }
            let locator = Locator(offset: bytes.count, size: envelope.count)
            bytes += envelope
            return locator
        }

        /// Points the anchor's header (field 0) or footer (field 1) at `locator`, stored raw.
        mutating func repoint(_ which: Int, to locator: Locator) {
            let base = anchorOffset + 6 + 8 + which * 24
            storeBig(UInt64(locator.offset), at: base)
            storeBig(UInt64(locator.size), at: base + 8)
            storeBig(UInt64(locator.size), at: base + 16)
            fixAnchorChecksum()
        }

        mutating func storeBig(_ value: UInt64, at offset: Int) { Self.storeBig(value, in: &bytes, at: offset) }

        mutating func fixAnchorChecksum() {
            let fields = (anchorOffset + 6)..<(anchorOffset + 6 + 8 + 7 * 8)
            Self.storeBig(xxh3_64(bytes[fields]), in: &bytes, at: fields.upperBound)
        }

        static func storeBig(_ value: UInt64, in bytes: inout [UInt8], at offset: Int) {
            for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64(index))) }
        }

        static func storeLittle<T: FixedWidthInteger>(_ value: T, in bytes: inout [UInt8], at offset: Int) {
            for index in 0..<MemoryLayout<T>.size { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
        }

        static func loadLittle<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
            (0..<MemoryLayout<T>.size).reduce(T.zero) { $0 | T(bytes[offset + $1]) << (8 * $1) }
        }

        /// Writes the copy and opens it as an RNTuple and reads every field.
        func openAndReadAll() throws {
            let path = temporaryPath("damaged-rntuple", suffix: ".root")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let ntuple = try RNTuple(file: ROOTFile(path: path), path: "Staff")
            for field in ntuple.topLevelFields { _ = try ntuple.read(field) }
        }
    }

    /// Runs `body`'s reading and returns the KaonError it must throw.
    func error(_ surgery: Surgery) throws -> KaonError {
        let error = #expect(throws: KaonError.self) { try surgery.openAndReadAll() }
        return try #require(error)
    }

    @Test func theUndamagedCopyReads() throws {
        var surgery = try Surgery()
        // The same header and footer, re-stored uncompressed: still a valid file.
        let header = try surgery.envelope(surgery.anchor.headerLocator, length: surgery.anchor.headerLength)
        surgery.repoint(0, to: surgery.append(header))
        try surgery.openAndReadAll()
    }

    @Test func aBadAnchorChecksumIsAnError() throws {
        var surgery = try Surgery()
        surgery.bytes[surgery.anchorOffset + 6 + 8 + 3] ^= 0x10   // a header offset byte, checksum kept
        let error = try error(surgery)
        #expect(error.message.contains("anchor checksum mismatch"), "\(error)")
        #expect(error.object == "Staff", "\(error)")
    }

    @Test func aBadHeaderChecksumIsAnError() throws {
        var surgery = try Surgery()
        var header = try surgery.envelope(surgery.anchor.headerLocator, length: surgery.anchor.headerLength)
        header[40] ^= 0x01  // inside the writer's strings; the stored checksum no longer matches
        surgery.repoint(0, to: surgery.append(header, keepChecksum: true))
        let error = try error(surgery)
        #expect(error.message.contains("header envelope checksum mismatch"), "\(error)")
    }

    @Test func aTruncatedFooterIsAnError() throws {
        var surgery = try Surgery()
        let footer = try surgery.envelope(surgery.anchor.footerLocator, length: surgery.anchor.footerLength)
        let stored = surgery.append(footer)
        // The anchor says the footer is 20 bytes shorter than it is.
        surgery.repoint(1, to: Locator(offset: stored.offset, size: stored.size - 20))
        let error = try error(surgery)
        #expect(error.kind == .malformed || error.kind == .truncated, "\(error)")
        #expect(error.message.contains("footer"), "\(error)")
    }

    @Test func aCompressedFooterCutShortIsAnError() throws {
        var surgery = try Surgery()
        let footer = surgery.anchor.footerLocator
        let base = surgery.anchorOffset + 6 + 8 + 24
        surgery.storeBig(UInt64(footer.size - 10), at: base + 8)  // nbytes, compressed length kept
        surgery.fixAnchorChecksum()
        let error = try error(surgery)
        #expect(error.kind == .corruptCompression, "\(error)")
    }

    @Test func aPageLargerThanItsElementsIsAnError() throws {
        var surgery = try Surgery()
        var footer = try surgery.envelope(surgery.anchor.footerLocator, length: surgery.anchor.footerLength)
        // Footer: type word, feature flags, header checksum, schema extension frame, then the
        // cluster group list: preamble, the first group's record frame, entry range, cluster
        // count and the page list link.
        var position = 24
        position += Int(Surgery.loadLittle(Int64.self, footer, at: position).magnitude)
        position += 12 + 8 + 8 + 8 + 4
        let linkAt = position
        let length = Int(Surgery.loadLittle(UInt64.self, footer, at: linkAt))
        let size = Int(Surgery.loadLittle(Int32.self, footer, at: linkAt + 8))
        let offset = Int(Surgery.loadLittle(UInt64.self, footer, at: linkAt + 12))
        var pageList = try surgery.envelope(Locator(offset: offset, size: size), length: length)
        // Page list: type word, header checksum, the cluster summaries frame, then the
        // cluster, column and page list preambles, and the first page: elements, locator.
        var at = 16
        at += Int(Surgery.loadLittle(Int64.self, pageList, at: at).magnitude)
        at += 12 + 12 + 12
        let elements = Int(Surgery.loadLittle(Int32.self, pageList, at: at).magnitude)
        Surgery.storeLittle(Int32(elements * 4 + 1), in: &pageList, at: at + 4)  // int32 column: at most 4 bytes each
        let newPageList = surgery.append(pageList)
        Surgery.storeLittle(UInt64(newPageList.size), in: &footer, at: linkAt)
        Surgery.storeLittle(Int32(newPageList.size), in: &footer, at: linkAt + 8)
        Surgery.storeLittle(UInt64(newPageList.offset), in: &footer, at: linkAt + 12)
        surgery.repoint(1, to: surgery.append(footer))
        let error = try error(surgery)
        #expect(error.message.contains("page size out of range"), "\(error)")
        #expect(error.object == "Staff.Category", "\(error)")
    }

    @Test func aBadPageChecksumIsAnError() throws {
        var surgery = try Surgery()
        let ntuple = try RNTuple(file: ROOTFile(path: Self.original), path: "Staff")
        let page = try #require(ntuple.clusters.first?.columns.first?.pages.first)
        #expect(page.hasChecksum)
        surgery.bytes[page.locator.offset + page.locator.size / 2] ^= 0x40
        let error = try error(surgery)
        #expect(error.message.contains("page checksum mismatch in column 0"), "\(error)")
        #expect(error.object == "Staff.Category", "\(error)")
    }
}
