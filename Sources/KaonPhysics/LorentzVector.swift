import KaonColumns
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A four-vector in Cartesian form (px, py, pz, E), in double precision.
///
/// This is the form sums are taken in: adding four-vectors is adding components. The
/// derived quantities follow ROOT's GenVector (`ROOT::Math::PxPyPzEVector`): a space-like
/// vector (m² < 0) has a *negative* mass `-sqrt(-m²)`, η is computed from (ρ, z) with ROOT's
/// large-|η| handling, and φ is in (-π, π].
///
/// ```swift
/// let mu1 = PtEtaPhiMVector(pt: 40, eta: 0.5, phi: 1.0, mass: 0.1057)
/// let mu2 = PtEtaPhiMVector(pt: 35, eta: -0.3, phi: -2.0, mass: 0.1057)
/// let z = mu1 + mu2            // PxPyPzEVector
/// z.mass                       // invariant mass of the pair
/// ```
public struct PxPyPzEVector: Sendable, Hashable {
    /// Momentum along x.
    ///
    /// ```swift
    /// PxPyPzEVector(px: 1.0, py: 2.0, pz: 3.0, e: 10.0).px   // 1.0
    /// ```
    public var px: Double
    /// Momentum along y.
    ///
    /// ```swift
    /// PxPyPzEVector(px: 1.0, py: 2.0, pz: 3.0, e: 10.0).py   // 2.0
    /// ```
    public var py: Double
    /// Momentum along z (beam axis).
    ///
    /// ```swift
    /// PxPyPzEVector(px: 1.0, py: 2.0, pz: 3.0, e: 10.0).pz   // 3.0
    /// ```
    public var pz: Double
    /// Energy.
    ///
    /// ```swift
    /// PxPyPzEVector(px: 1.0, py: 2.0, pz: 3.0, e: 10.0).e   // 10.0
    /// ```
    public var e: Double

    /// Creates a vector from Cartesian components (any floating-point type, stored as Double).
    ///
    /// ```swift
    /// let p = PxPyPzEVector(px: 1, py: 2, pz: 3, e: 10)
    /// ```
    @inlinable
    public init<T: BinaryFloatingPoint>(px: T, py: T, pz: T, e: T) {
        self.px = Double(px); self.py = Double(py); self.pz = Double(pz); self.e = Double(e)
    }

    /// The zero vector.
    ///
    /// ```swift
    /// var total = PxPyPzEVector.zero; total += jet.cartesian
    /// ```
    public static let zero = PxPyPzEVector(px: 0.0, py: 0.0, pz: 0.0, e: 0.0)

    /// Energy (alias of ``e``).
    ///
    /// ```swift
    /// (mu1 + mu2).energy
    /// ```
    @inlinable public var energy: Double { e }
    /// Squared transverse momentum.
    ///
    /// ```swift
    /// PxPyPzEVector(px: 3.0, py: 4.0, pz: 0.0, e: 6.0).pt2   // 25.0
    /// ```
    @inlinable public var pt2: Double { px * px + py * py }
    /// Transverse momentum sqrt(px² + py²).
    ///
    /// ```swift
    /// PxPyPzEVector(px: 3.0, py: 4.0, pz: 0.0, e: 6.0).pt   // 5.0
    /// ```
    @inlinable public var pt: Double { pt2.squareRoot() }
    /// Squared momentum.
    ///
    /// ```swift
    /// PxPyPzEVector(px: 1.0, py: 2.0, pz: 2.0, e: 5.0).p2   // 9.0
    /// ```
    @inlinable public var p2: Double { px * px + py * py + pz * pz }
    /// Momentum magnitude.
    ///
    /// ```swift
    /// PxPyPzEVector(px: 1.0, py: 2.0, pz: 2.0, e: 5.0).p   // 3.0
    /// ```
    @inlinable public var p: Double { p2.squareRoot() }
    /// Azimuth atan2(py, px) in (-π, π]; 0 for a vector along the beam.
    ///
    /// ```swift
    /// PxPyPzEVector(px: 0.0, py: 1.0, pz: 0.0, e: 2.0).phi   // π/2
    /// ```
    @inlinable public var phi: Double { (px == 0 && py == 0) ? 0 : atan2(py, px) }
    /// Pseudorapidity (ROOT's `Eta_FromRhoZ`).
    ///
    /// ```swift
    /// PxPyPzEVector(px: 1.0, py: 0.0, pz: 0.0, e: 2.0).eta   // 0.0
    /// ```
    @inlinable public var eta: Double { pseudorapidity(rho: pt, z: pz) }
    /// Invariant mass squared E² - p² (may be negative).
    ///
    /// ```swift
    /// PxPyPzEVector(px: 0.0, py: 0.0, pz: 3.0, e: 5.0).mass2   // 16.0
    /// ```
    @inlinable public var mass2: Double { e * e - p2 }
    /// Invariant mass; negative `-sqrt(-m²)` for a space-like vector, as ROOT's `M()`.
    ///
    /// ```swift
    /// PxPyPzEVector(px: 0.0, py: 0.0, pz: 5.0, e: 3.0).mass   // -4.0 (space-like)
    /// ```
    @inlinable public var mass: Double { signedSquareRoot(mass2) }
    /// Transverse mass squared E² - pz² (ROOT's `Mt2()`).
    ///
    /// ```swift
    /// PxPyPzEVector(px: 3.0, py: 4.0, pz: 1.0, e: 10.0).mt2   // 99.0
    /// ```
    @inlinable public var mt2: Double { e * e - pz * pz }
    /// Transverse mass; negative when `mt2 < 0`, as ROOT's `Mt()`.
    ///
    /// ```swift
    /// PxPyPzEVector(px: 3.0, py: 4.0, pz: 1.0, e: 10.0).mt   // sqrt(99)
    /// ```
    @inlinable public var mt: Double { signedSquareRoot(mt2) }
    /// Rapidity ½ ln((E + pz)/(E − pz)).
    ///
    /// ```swift
    /// PxPyPzEVector(px: 1.0, py: 0.0, pz: 0.0, e: 2.0).rapidity   // 0.0
    /// ```
    @inlinable public var rapidity: Double { 0.5 * log((e + pz) / (e - pz)) }

    /// The same vector in (pt, η, φ, m) form.
    ///
    /// ```swift
    /// (mu1 + mu2).ptEtaPhiM.pt
    /// ```
    @inlinable public var ptEtaPhiM: PtEtaPhiMVector { PtEtaPhiMVector(pt: pt, eta: eta, phi: phi, mass: mass) }

    /// Component-wise sum.
    ///
    /// ```swift
    /// let w = lepton.cartesian + neutrino
    /// ```
    @inlinable
    public static func + (a: PxPyPzEVector, b: PxPyPzEVector) -> PxPyPzEVector {
        PxPyPzEVector(px: a.px + b.px, py: a.py + b.py, pz: a.pz + b.pz, e: a.e + b.e)
    }
    /// Component-wise difference.
    ///
    /// ```swift
    /// let recoil = beam - (mu1 + mu2)
    /// ```
    @inlinable
    public static func - (a: PxPyPzEVector, b: PxPyPzEVector) -> PxPyPzEVector {
        PxPyPzEVector(px: a.px - b.px, py: a.py - b.py, pz: a.pz - b.pz, e: a.e - b.e)
    }
    /// Adds in place.
    ///
    /// ```swift
    /// var sum = PxPyPzEVector.zero; sum += jet.cartesian
    /// ```
    @inlinable public static func += (a: inout PxPyPzEVector, b: PxPyPzEVector) { a = a + b }
    /// Scales all four components.
    ///
    /// ```swift
    /// let half = p * 0.5
    /// ```
    @inlinable
    public static func * (a: PxPyPzEVector, s: Double) -> PxPyPzEVector {
        PxPyPzEVector(px: a.px * s, py: a.py * s, pz: a.pz * s, e: a.e * s)
    }
    /// Minkowski product E₁E₂ − p⃗₁·p⃗₂.
    ///
    /// ```swift
    /// p.dot(p)   // == p.mass2
    /// ```
    @inlinable
    public func dot(_ other: PxPyPzEVector) -> Double { e * other.e - px * other.px - py * other.py - pz * other.pz }
}

/// A four-vector in (pt, η, φ, m) form, as NanoAOD stores objects, in double precision.
///
/// Follows ROOT's `PtEtaPhiMVector`: a *negative stored mass* `m` means m² = −m²
/// (space-like; CMS `Electron_mass` has such values), and the energy is
/// sqrt(max(p² + m², 0)) — clamped at 0 so that E stays real.
///
/// ```swift
/// let e = PtEtaPhiMVector(pt: Float(25), eta: Float(1.1), phi: Float(0.3), mass: Float(-0.002))
/// e.mass2     // ≈ -4e-6
/// e.energy    // sqrt(p² - 4e-6)
/// ```
public struct PtEtaPhiMVector: Sendable, Hashable {
    /// Transverse momentum.
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 40.0, eta: 0.0, phi: 0.0, mass: 0.0).pt   // 40.0
    /// ```
    public var pt: Double
    /// Pseudorapidity.
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 40.0, eta: 1.2, phi: 0.0, mass: 0.0).eta   // 1.2
    /// ```
    public var eta: Double
    /// Azimuth.
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 40.0, eta: 0.0, phi: -2.0, mass: 0.0).phi   // -2.0
    /// ```
    public var phi: Double
    /// Stored mass (negative = space-like, see the type's documentation).
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 25.0, eta: 0.0, phi: 0.0, mass: -0.01).mass   // -0.01 (space-like)
    /// ```
    public var mass: Double

    /// Creates a vector from (pt, η, φ, m) of any floating-point type; stored as Double so
    /// that sums of Float inputs lose nothing beyond the inputs' own precision.
    ///
    /// ```swift
    /// let jet = PtEtaPhiMVector(pt: 50.0, eta: 0.1, phi: 2.0, mass: 8.0)
    /// ```
    @inlinable
    public init<T: BinaryFloatingPoint>(pt: T, eta: T, phi: T, mass: T) {
        self.pt = Double(pt); self.eta = Double(eta); self.phi = Double(phi); self.mass = Double(mass)
    }

    /// Signed mass squared of the stored mass: m² for m ≥ 0, −m² for m < 0.
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 1.0, eta: 0.0, phi: 0.0, mass: -2.0).storedMass2   // -4.0
    /// ```
    @inlinable public var storedMass2: Double { mass >= 0 ? mass * mass : -mass * mass }
    /// Momentum along x.
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 2.0, eta: 0.0, phi: 0.0, mass: 0.0).px   // 2.0
    /// ```
    @inlinable public var px: Double { pt * cos(phi) }
    /// Momentum along y.
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 2.0, eta: 0.0, phi: .pi / 2, mass: 0.0).py   // 2.0
    /// ```
    @inlinable public var py: Double { pt * sin(phi) }
    /// Momentum along z.
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 2.0, eta: 0.0, phi: 0.0, mass: 0.0).pz   // 0.0
    /// ```
    @inlinable public var pz: Double { pt * sinh(eta) }
    /// Momentum magnitude pt·cosh(η).
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 2.0, eta: 0.0, phi: 0.0, mass: 0.0).p   // 2.0
    /// ```
    @inlinable public var p: Double { pt * cosh(eta) }
    /// Energy sqrt(max(p² + m², 0)).
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 3.0, eta: 0.0, phi: 0.0, mass: 4.0).energy   // 5.0
    /// ```
    @inlinable public var energy: Double { Swift.max(p * p + storedMass2, 0).squareRoot() }
    /// Invariant mass squared E² − p² (equals the signed stored m² unless E was clamped).
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 3.0, eta: 0.0, phi: 0.0, mass: -2.0).mass2   // -4.0
    /// ```
    @inlinable public var mass2: Double { let pp = p; let ee = Swift.max(pp * pp + storedMass2, 0); return ee - pp * pp }
    /// Rapidity ½ ln((E + pz)/(E − pz)).
    ///
    /// ```swift
    /// jet.rapidity
    /// ```
    @inlinable public var rapidity: Double { cartesian.rapidity }
    /// Transverse mass sqrt(E² − pz²), negative when E² < pz².
    ///
    /// ```swift
    /// PtEtaPhiMVector(pt: 3.0, eta: 0.0, phi: 0.0, mass: 4.0).mt   // 5.0
    /// ```
    @inlinable public var mt: Double { cartesian.mt }

    /// The same vector in Cartesian form (the form sums are taken in).
    ///
    /// ```swift
    /// let p4 = PtEtaPhiMVector(pt: 40.0, eta: 0.5, phi: 1.0, mass: 0.1).cartesian
    /// ```
    @inlinable
    public var cartesian: PxPyPzEVector {
        let pp = p
        let (sinPhi, cosPhi) = sineCosine(phi)
        return PxPyPzEVector(px: pt * cosPhi, py: pt * sinPhi, pz: pt * sinh(eta),
                             e: Swift.max(pp * pp + storedMass2, 0).squareRoot())
    }

    /// Four-vector sum (in Cartesian form; convert back with ``PxPyPzEVector/ptEtaPhiM``).
    ///
    /// ```swift
    /// (mu1 + mu2).mass
    /// ```
    @inlinable public static func + (a: PtEtaPhiMVector, b: PtEtaPhiMVector) -> PxPyPzEVector { a.cartesian + b.cartesian }
}

/// ROOT's pseudorapidity from (ρ, z): asinh(z/ρ), with a first-order expansion where z/ρ is
/// so large that the square root would lose all precision, and ±(|z| + 22756) along the
/// beam (ROOT's `etaMax` convention) so that η stays finite and monotonic.
///
/// ```swift
/// pseudorapidity(rho: 1, z: 0)   // 0.0
/// ```
@inlinable
public func pseudorapidity(rho: Double, z: Double) -> Double {
    if rho > 0 {
        let zScaled = z / rho
        // epsilon^(-1/4): beyond this the Taylor term of sqrt(1 + x²) is below rounding.
        let bigZScaled = 8192.0  // = pow(Double.ulpOfOne, -0.25) = 2^13
        if Swift.abs(zScaled) < bigZScaled {
            return log(zScaled + (zScaled * zScaled + 1).squareRoot())
        }
        return z > 0 ? log(2 * zScaled + 0.5 / zScaled) : -log(-2 * zScaled)
    }
    if z == 0 { return 0 }
    let etaMax = 22756.0
    return z > 0 ? z + etaMax : z - etaMax
}

/// sqrt(x) for x ≥ 0 and −sqrt(−x) otherwise: ROOT's convention for masses of space-like
/// vectors.
///
/// ```swift
/// signedSquareRoot(-4)   // -2.0
/// ```
@inlinable
public func signedSquareRoot(_ x: Double) -> Double { x >= 0 ? x.squareRoot() : -(-x).squareRoot() }
