extension Duration {
    /// The duration in seconds, for timings and rates (`elapsed.inSeconds`).
    ///
    /// ```swift
    /// let start = ContinuousClock.now
    /// let seconds = (ContinuousClock.now - start).inSeconds
    /// ```
    @inlinable public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
