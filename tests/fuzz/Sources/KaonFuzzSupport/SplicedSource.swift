import KaonIO

/// A real file (the template) with one of its ranges replaced by the fuzz input: a harness
/// aimed at one structure (the StreamerInfo record, a basket, a histogram's payload) keeps
/// the rest of the file valid, so every input reaches that structure's reader.
///
/// The replacement keeps the range's length: a shorter input is completed with the
/// template's own bytes, a longer one is cut. The splice changes between inputs while the
/// file stays open, so this is a class; libFuzzer runs inputs one at a time on one thread.
public final class SplicedSource: ByteSource, @unchecked Sendable {
    public let template: [UInt8]
    public let name: String
    /// The range replaced and its current bytes.
    public private(set) var range: Range<Int> = 0..<0
    private var replaced: [UInt8]

    public init(name: String, template: [UInt8]) {
        self.name = name
        self.template = template
        replaced = template
    }

    public var size: Int { template.count }

    /// Replaces `range` of the template by `input` (previous splices are undone first).
    public func splice(_ input: ArraySlice<UInt8>, into range: Range<Int>) {
        replaced.replaceSubrange(self.range, with: template[self.range])
        let used = input.prefix(range.count)
        replaced.replaceSubrange(range.lowerBound..<(range.lowerBound + used.count), with: used)
        self.range = range
    }

    public func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        try ranges.map { range in
            guard range.lowerBound >= 0, range.upperBound <= replaced.count else {
                throw KaonError(.truncated, "range \(range) lies outside the file (\(replaced.count) bytes)", file: name)
            }
            return Array(replaced[range])
        }
    }
}
