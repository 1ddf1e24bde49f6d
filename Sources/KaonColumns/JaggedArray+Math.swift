// Element-wise math functions over jagged arrays, as free functions so analysis code reads
// like its numpy/awkward counterpart (`abs(eta) .< 2.4`, `hypot(px, py)`). Overloads on
// `JaggedArray` never capture calls on plain numbers, which still go to the C library.

/// Absolute value of every element: `abs(JaggedArray([[-1, 2]])) == [[1, 2]]`.
///
/// ```swift
/// abs(JaggedArray([[-1.5, 2.0]]))   // [[1.5, 2.0]]
/// ```
@inlinable public func abs<T: Comparable & SignedNumeric>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map { Swift.abs($0) } }
/// Square root of every element (NaN for negative input, as numpy).
/// ```swift
/// sqrt(JaggedArray([[4.0, 9.0]]))   // [[2.0, 3.0]]
/// ```
@inlinable public func sqrt<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map { $0.squareRoot() } }
/// e^x of every element.
///
/// ```swift
/// exp(JaggedArray([[0.0]]))   // [[1.0]]
/// ```
@inlinable public func exp<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.exp) }
/// Natural logarithm of every element.
///
/// ```swift
/// log(JaggedArray([[1.0]]))   // [[0.0]]
/// ```
@inlinable public func log<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.log) }
/// Sine of every element.
///
/// ```swift
/// sin(JaggedArray([[0.0]]))   // [[0.0]]
/// ```
@inlinable public func sin<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.sin) }
/// Cosine of every element: `pt * cos(phi)` is px.
///
/// ```swift
/// let px = pt * cos(phi)
/// ```
@inlinable public func cos<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.cos) }
/// Tangent of every element.
///
/// ```swift
/// tan(JaggedArray([[0.0]]))   // [[0.0]]
/// ```
@inlinable public func tan<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.tan) }
/// Arc tangent of every element.
///
/// ```swift
/// atan(JaggedArray([[0.0]]))   // [[0.0]]
/// ```
@inlinable public func atan<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.atan) }
/// Hyperbolic sine of every element: `pt * sinh(eta)` is pz.
///
/// ```swift
/// let pz = pt * sinh(eta)
/// ```
@inlinable public func sinh<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.sinh) }
/// Hyperbolic cosine of every element.
///
/// ```swift
/// let p = pt * cosh(eta)
/// ```
@inlinable public func cosh<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.cosh) }
/// Hyperbolic tangent of every element.
///
/// ```swift
/// tanh(JaggedArray([[0.0]]))   // [[0.0]]
/// ```
@inlinable public func tanh<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.tanh) }
/// Inverse hyperbolic sine of every element.
///
/// ```swift
/// let eta = asinh(pz / pt)
/// ```
@inlinable public func asinh<T: ColumnFloatingPoint>(_ a: JaggedArray<T>) -> JaggedArray<T> { a.map(T.asinh) }
/// Element-wise `atan2(y, x)` of two arrays of the same structure: `phi = atan2(py, px)`.
///
/// ```swift
/// let phi = atan2(py, px)
/// ```
@inlinable public func atan2<T: ColumnFloatingPoint>(_ y: JaggedArray<T>, _ x: JaggedArray<T>) -> JaggedArray<T> { y.zipMap(x, T.atan2) }
/// Element-wise `hypot(x, y)` of two arrays of the same structure: `pt = hypot(px, py)`.
///
/// ```swift
/// let pt = hypot(px, py)
/// ```
@inlinable public func hypot<T: ColumnFloatingPoint>(_ x: JaggedArray<T>, _ y: JaggedArray<T>) -> JaggedArray<T> { x.zipMap(y, T.hypot) }
/// Every element raised to a scalar power: `pow(pt, 2)`.
///
/// ```swift
/// pow(JaggedArray([[3.0]]), 2)   // [[9.0]]
/// ```
@inlinable public func pow<T: ColumnFloatingPoint>(_ x: JaggedArray<T>, _ y: T) -> JaggedArray<T> { x.map { T.pow($0, y) } }
