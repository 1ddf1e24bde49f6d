import CKaonSystem

/// sin(x) and cos(x) from one call: with glibc, `sincos`, which reduces the argument once
/// and evaluates both with the very code of `sin` and `cos`, so the results are bit-identical
/// to the two separate calls (and to ROOT's `pt * cos(phi)`, `pt * sin(phi)`); elsewhere
/// the two calls themselves.
///
/// ```swift
/// let (s, c) = sineCosine(1.0)   // (sin(1.0), cos(1.0)), bit for bit
/// ```
@inlinable @inline(__always)
public func sineCosine(_ x: Double) -> (sin: Double, cos: Double) {
    var s = 0.0, c = 0.0
    kaon_sincos(x, &s, &c)
    return (s, c)
}
