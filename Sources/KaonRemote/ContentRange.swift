/// A `Content-Range` header value: `bytes FIRST-LAST/TOTAL`, or `bytes */TOTAL` on a 416
/// (TOTAL may be `*` when the server does not know it).
struct ContentRange: Equatable {
    /// The bytes the response (or part) carries; nil for the `*/TOTAL` form.
    var range: Range<Int>?
    /// The size of the whole resource, when the server states it.
    var total: Int?
}

extension ContentRange {
    /// Parses a header value; nil when it is not a valid byte range.
    init?(_ text: some StringProtocol) {
        let trimmed = text.drop(while: { $0 == " " })
        guard trimmed.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = trimmed.dropFirst(6).trimmingSpaces()
        let halves = spec.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        if halves[1] == "*" {
            total = nil
        } else {
            guard let value = Int(halves[1]), value >= 0 else { return nil }
            total = value
        }
        if halves[0] == "*" {
            range = nil
        } else {
            let bounds = halves[0].split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2, let first = Int(bounds[0]), let last = Int(bounds[1]), first >= 0, last >= first else {
                return nil
            }
            range = first..<(last + 1)
        }
    }
}
