extension StringProtocol {
    /// Without leading and trailing white space (line breaks included).
    func trimmingSpaces() -> String {
        var result = Substring(self)
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return String(result)
    }
}
