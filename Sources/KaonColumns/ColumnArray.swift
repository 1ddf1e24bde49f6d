import KaonIO

/// A flat typed column: one value per event (e.g. `MET_pt`, `nJet`).
///
/// A thin, copy-free wrapper over a contiguous Swift array, so that flat and jagged columns
/// read alike in analysis code and object views. Use ``values`` for anything Swift arrays
/// already do; kernels that broadcast a per-event value over a ``JaggedArray`` take the
/// `values` array directly.
///
/// ```swift
/// let met = ColumnArray(values: [Float(12.5), 40.0])
/// let scaled = met.map { $0 * 2 }     // [25, 80]
/// ```
public struct ColumnArray<Element> {
    /// The values, one per event.
    ///
    /// ```swift
    /// ColumnArray(values: [1, 2]).values   // [1, 2]
    /// ```
    public var values: [Element]

    /// Wraps `values` (no copy).
    ///
    /// ```swift
    /// let nJet = ColumnArray(values: [UInt32(2), 0, 5])
    /// ```
    @inlinable public init(values: [Element]) { self.values = values }

    /// The number of events.
    ///
    /// ```swift
    /// ColumnArray(values: [1, 2]).count   // 2
    /// ```
    @inlinable public var count: Int { values.count }

    /// The value of event `index`.
    ///
    /// ```swift
    /// ColumnArray(values: [4.5, 7.0])[1]   // 7.0
    /// ```
    @inlinable public subscript(index: Int) -> Element { values[index] }

    /// Applies `transform` to every value.
    ///
    /// ```swift
    /// ColumnArray(values: [1.0, 2.0]).map { $0 * 2 }   // [2.0, 4.0]
    /// ```
    @inlinable
    public func map<U>(_ transform: (Element) throws -> U) rethrows -> ColumnArray<U> {
        ColumnArray<U>(values: try values.map(transform))
    }

    /// Combines two columns of equal length element by element.
    ///
    /// ```swift
    /// ColumnArray(values: [1, 2]).zip(ColumnArray(values: [10, 20]), +)   // [11, 22]
    /// ```
    @inlinable
    public func zip<U, R>(_ other: ColumnArray<U>, _ combine: (Element, U) throws -> R) rethrows -> ColumnArray<R> {
        precondition(count == other.count, "ColumnArray.zip: lengths differ (\(count) vs \(other.count))")
        var out = [R]()
        out.reserveCapacity(count)
        for i in 0..<count { out.append(try combine(values[i], other.values[i])) }
        return ColumnArray<R>(values: out)
    }
}

extension ColumnArray where Element: BitwiseCopyable {
    /// Reinterprets native-endian bytes (`KaonTree.Column.Values.primitive`) as values.
    ///
    /// ```swift
    /// let met = ColumnArray<Float>(nativeBytes: bytes)
    /// ```
    @inlinable
    public init(nativeBytes bytes: [UInt8]) { self.init(values: decodeNative(bytes, as: Element.self)) }
}

extension ColumnArray: Sendable where Element: Sendable {}
extension ColumnArray: Equatable where Element: Equatable {}
