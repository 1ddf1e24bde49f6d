import CKaonCodecs
import KaonIO

/// Text chunks in a PNG: what an SVG keeps in `<metadata>`, a PNG keeps in iTXt chunks
/// (keyword, then UTF-8 text), which `rsvg-convert` does not write; image viewers and
/// Pillow (`Image.open(p).text`) show them.
enum PNGText {
    /// `png` with one iTXt chunk per metadata entry, in key order, right after the IHDR
    /// chunk. Keys are cut to PNG's 79 bytes of Latin-1.
    static func adding(_ metadata: [String: String], to png: [UInt8]) throws -> [UInt8] {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard png.count > 33, Array(png[0..<8]) == signature, Array(png[12..<16]) == Array("IHDR".utf8) else {
            throw KaonError(.malformed, "rsvg-convert did not write a PNG")
        }
        guard !metadata.isEmpty else { return png }
        let afterHeader = 8 + 4 + 4 + 13 + 4
        var out = Array(png[0..<afterHeader])
        for key in metadata.keys.sorted() {
            let keyword = Array(key.unicodeScalars.filter { $0.value >= 32 && $0.value <= 255 && $0 != "\0" }.prefix(79).map { UInt8($0.value) })
            guard !keyword.isEmpty else { continue }
            // keyword, 0, compression flag 0, method 0, empty language tag, empty translated keyword, text
            let data = keyword + [0, 0, 0, 0, 0] + Array(metadata[key]!.utf8)
            out += chunk("iTXt", data)
        }
        return out + png[afterHeader...]
    }

    /// A chunk: big-endian length, type, data, and the CRC-32 of type and data (zlib's).
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc)
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
}
