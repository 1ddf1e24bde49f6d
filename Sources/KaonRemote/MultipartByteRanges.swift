import KaonIO

/// The body of a `206 Partial Content` answer to a multi-range request: parts separated by
/// `--BOUNDARY` lines, each with its own headers (a `Content-Range` among them) and exactly
/// as many bytes as that range names.
///
/// Parts are cut by their `Content-Range` lengths, never by searching for the boundary, so
/// payload bytes that happen to look like a boundary cannot split a part.
struct MultipartByteRanges {
    /// One part: the byte range it holds, the bytes, and the file's size when the part's
    /// `Content-Range` states it.
    struct Part {
        var range: Range<Int>
        var bytes: ArraySlice<UInt8>
        var total: Int? = nil
    }

    var parts: [Part]

    /// The boundary parameter of a `Content-Type: multipart/byteranges; boundary=…` value, nil
    /// when the type is not multipart/byteranges.
    static func boundary(ofContentType contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingSpaces() }
        guard let type = fields.first, type.lowercased() == "multipart/byteranges" else { return nil }
        for field in fields.dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingSpaces().lowercased() == "boundary" {
                var value = pair[1].trimmingSpaces()
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// Splits `body` at `boundary`; a body that does not follow the format is `.malformed`.
    init(body: [UInt8], boundary: String) throws {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [Part] = []
        guard var position = Self.find(delimiter, in: body, from: 0) else {
            throw KaonError(.malformed, "multipart/byteranges answer without its boundary")
        }
        while true {
            position += delimiter.count
            if body[position...].starts(with: Array("--".utf8)) { break }  // the closing delimiter
            position = try Self.lineEnd(in: body, from: position)  // rest of the delimiter line
            var contentRange: ContentRange?
            while true {
                let start = position
                position = try Self.lineEnd(in: body, from: position)
                let line = String(decoding: body[start..<position], as: UTF8.self)
                    .trimmingSpaces()
                if line.isEmpty { break }
                if let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "content-range" {
                    contentRange = ContentRange(line[line.index(after: colon)...])
                }
            }
            guard let range = contentRange?.range else {
                throw KaonError(.malformed, "multipart/byteranges part \(parts.count) has no valid Content-Range")
            }
            guard range.count <= body.count - position else {
                throw KaonError(.truncated, "multipart/byteranges part \(parts.count) ends early (\(range.count) bytes announced)")
            }
            parts.append(Part(range: range, bytes: body[position..<(position + range.count)], total: contentRange?.total))
            position += range.count
            guard let next = Self.find(delimiter, in: body, from: position) else {
                throw KaonError(.malformed, "multipart/byteranges answer ends without its closing boundary")
            }
            position = next
        }
        self.parts = parts
    }

    /// The index just past the next LF at or after `start`.
    private static func lineEnd(in body: [UInt8], from start: Int) throws -> Int {
        guard let newline = body[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw KaonError(.malformed, "multipart/byteranges answer ends inside a header line")
        }
        return newline + 1
    }

    private static func find(_ needle: [UInt8], in body: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, body.count >= needle.count else { return nil }
        var index = start
        while index <= body.count - needle.count {
            guard let candidate = body[index...(body.count - needle.count)].firstIndex(of: needle[0]) else { return nil }
            if body[candidate..<(candidate + needle.count)].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }
}
