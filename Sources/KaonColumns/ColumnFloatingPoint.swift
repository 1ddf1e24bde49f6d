#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The floating-point element types the math kernels support, with their C math functions.
///
/// Swift's standard library has no generic `exp`/`sin`/…, so this protocol routes each type
/// to its own libm function (`expf` for `Float`, `exp` for `Double`): results keep the
/// element type, as numpy's ufuncs do for float32, and the generic kernels specialise to a
/// direct libm call (no existential dispatch).
///
/// ```swift
/// Float.exp(1)          // 2.7182817
/// Double.atan2(1, 1)    // 0.7853981633974483
/// ```
public protocol ColumnFloatingPoint: BinaryFloatingPoint, Sendable {
    /// e raised to `x`.
    static func exp(_ x: Self) -> Self
    /// Natural logarithm.
    static func log(_ x: Self) -> Self
    /// Sine (radians).
    static func sin(_ x: Self) -> Self
    /// Cosine (radians).
    static func cos(_ x: Self) -> Self
    /// Tangent (radians).
    static func tan(_ x: Self) -> Self
    /// Arc sine.
    static func asin(_ x: Self) -> Self
    /// Arc cosine.
    static func acos(_ x: Self) -> Self
    /// Arc tangent.
    static func atan(_ x: Self) -> Self
    /// Hyperbolic sine.
    static func sinh(_ x: Self) -> Self
    /// Hyperbolic cosine.
    static func cosh(_ x: Self) -> Self
    /// Hyperbolic tangent.
    static func tanh(_ x: Self) -> Self
    /// Inverse hyperbolic sine.
    static func asinh(_ x: Self) -> Self
    /// Angle of (x, y) in (-π, π].
    static func atan2(_ y: Self, _ x: Self) -> Self
    /// sqrt(x² + y²) without undue overflow.
    static func hypot(_ x: Self, _ y: Self) -> Self
    /// `x` to the power `y`.
    static func pow(_ x: Self, _ y: Self) -> Self
}

extension Float: ColumnFloatingPoint {
    @inlinable public static func exp(_ x: Float) -> Float { expf(x) }
    @inlinable public static func log(_ x: Float) -> Float { logf(x) }
    @inlinable public static func sin(_ x: Float) -> Float { sinf(x) }
    @inlinable public static func cos(_ x: Float) -> Float { cosf(x) }
    @inlinable public static func tan(_ x: Float) -> Float { tanf(x) }
    @inlinable public static func asin(_ x: Float) -> Float { asinf(x) }
    @inlinable public static func acos(_ x: Float) -> Float { acosf(x) }
    @inlinable public static func atan(_ x: Float) -> Float { atanf(x) }
    @inlinable public static func sinh(_ x: Float) -> Float { sinhf(x) }
    @inlinable public static func cosh(_ x: Float) -> Float { coshf(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { tanhf(x) }
    @inlinable public static func asinh(_ x: Float) -> Float { asinhf(x) }
    @inlinable public static func atan2(_ y: Float, _ x: Float) -> Float { atan2f(y, x) }
    @inlinable public static func hypot(_ x: Float, _ y: Float) -> Float { hypotf(x, y) }
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
}

extension Double: ColumnFloatingPoint {
    @inlinable public static func exp(_ x: Double) -> Double { libmExp(x) }
    @inlinable public static func log(_ x: Double) -> Double { libmLog(x) }
    @inlinable public static func sin(_ x: Double) -> Double { libmSin(x) }
    @inlinable public static func cos(_ x: Double) -> Double { libmCos(x) }
    @inlinable public static func tan(_ x: Double) -> Double { libmTan(x) }
    @inlinable public static func asin(_ x: Double) -> Double { libmAsin(x) }
    @inlinable public static func acos(_ x: Double) -> Double { libmAcos(x) }
    @inlinable public static func atan(_ x: Double) -> Double { libmAtan(x) }
    @inlinable public static func sinh(_ x: Double) -> Double { libmSinh(x) }
    @inlinable public static func cosh(_ x: Double) -> Double { libmCosh(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { libmTanh(x) }
    @inlinable public static func asinh(_ x: Double) -> Double { libmAsinh(x) }
    @inlinable public static func atan2(_ y: Double, _ x: Double) -> Double { libmAtan2(y, x) }
    @inlinable public static func hypot(_ x: Double, _ y: Double) -> Double { libmHypot(x, y) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { libmPow(x, y) }
}

// The C library's double-precision functions under names that the `Double` conformance can
// call without its own static members shadowing them (and without naming Glibc or Darwin).
@inlinable func libmExp(_ x: Double) -> Double { exp(x) }
@inlinable func libmLog(_ x: Double) -> Double { log(x) }
@inlinable func libmSin(_ x: Double) -> Double { sin(x) }
@inlinable func libmCos(_ x: Double) -> Double { cos(x) }
@inlinable func libmTan(_ x: Double) -> Double { tan(x) }
@inlinable func libmAsin(_ x: Double) -> Double { asin(x) }
@inlinable func libmAcos(_ x: Double) -> Double { acos(x) }
@inlinable func libmAtan(_ x: Double) -> Double { atan(x) }
@inlinable func libmSinh(_ x: Double) -> Double { sinh(x) }
@inlinable func libmCosh(_ x: Double) -> Double { cosh(x) }
@inlinable func libmTanh(_ x: Double) -> Double { tanh(x) }
@inlinable func libmAsinh(_ x: Double) -> Double { asinh(x) }
@inlinable func libmAtan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
@inlinable func libmHypot(_ x: Double, _ y: Double) -> Double { hypot(x, y) }
@inlinable func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
