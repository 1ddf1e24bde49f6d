/// A velocity (β⃗ = v⃗/c) for Lorentz boosts.
///
/// ```swift
/// let beta = BoostVector(x: 0, y: 0, z: 0.5)
/// ```
public struct BoostVector: Sendable, Hashable {
    /// β components; |β| must be below 1.
    ///
    /// ```swift
    /// BoostVector(x: 0.1, y: 0, z: 0.5).z   // 0.5
    /// ```
    public var x, y, z: Double

    /// Creates a boost velocity.
    ///
    /// ```swift
    /// let beta = BoostVector(x: 0, y: 0, z: 0.6)
    /// ```
    @inlinable public init(x: Double, y: Double, z: Double) { self.x = x; self.y = y; self.z = z }

    /// The opposite velocity.
    ///
    /// ```swift
    /// p.boosted(by: -p.boostVector)   // p at rest
    /// ```
    @inlinable public static prefix func - (b: BoostVector) -> BoostVector { BoostVector(x: -b.x, y: -b.y, z: -b.z) }
}

extension PxPyPzEVector {
    /// The velocity of a particle with this four-momentum, p⃗/E (ROOT's `BoostToCM()` is
    /// its negative).
    ///
    /// ```swift
    /// let top = b + w
    /// let toTopFrame = -top.boostVector
    /// ```
    @inlinable public var boostVector: BoostVector { BoostVector(x: px / e, y: py / e, z: pz / e) }

    /// This vector as seen from a frame moving with velocity −β⃗, i.e. boosted by β⃗ (the
    /// active boost of ROOT's `ROOT::Math::Boost(bx, by, bz)` and `VectorUtil::boost`).
    ///
    /// E' = γ(E + β⃗·p⃗), p⃗' = p⃗ + ((γ − 1)(β⃗·p⃗)/β² + γE) β⃗.
    ///
    /// ```swift
    /// let atRest = PxPyPzEVector(px: 0.0, py: 0.0, pz: 0.0, e: 1.0)
    /// atRest.boosted(by: BoostVector(x: 0, y: 0, z: 0.6))   // pz = 0.75, E = 1.25
    /// ```
    /// - Precondition: |β| < 1.
    @inlinable
    public func boosted(by beta: BoostVector) -> PxPyPzEVector {
        let b2 = beta.x * beta.x + beta.y * beta.y + beta.z * beta.z
        precondition(b2 < 1, "boosted(by:): |beta| must be below 1")
        let gamma = 1 / (1 - b2).squareRoot()
        let bp = beta.x * px + beta.y * py + beta.z * pz
        // (γ − 1)/β² written out: for β → 0 it tends to ½, and 0·… keeps the null boost exact.
        let gamma2 = b2 > 0 ? (gamma - 1) / b2 : 0
        let k = gamma2 * bp + gamma * e
        return PxPyPzEVector(px: px + k * beta.x, py: py + k * beta.y, pz: pz + k * beta.z, e: gamma * (e + bp))
    }

    /// This vector in the rest frame of `frame` (boost by −p⃗/E of `frame`); boosting
    /// `frame` itself gives (0, 0, 0, m).
    ///
    /// ```swift
    /// let muInZ = mu1.cartesian.boostedToRestFrame(of: mu1 + mu2)
    /// ```
    @inlinable
    public func boostedToRestFrame(of frame: PxPyPzEVector) -> PxPyPzEVector { boosted(by: -frame.boostVector) }

    /// The inverse of ``boostedToRestFrame(of:)``: a vector given in the rest frame of
    /// `frame`, expressed in the frame `frame` itself is measured in (boost by +p⃗/E).
    ///
    /// ```swift
    /// let back = muInZ.boostedFromRestFrame(of: z)   // == mu1.cartesian, up to rounding
    /// ```
    @inlinable
    public func boostedFromRestFrame(of frame: PxPyPzEVector) -> PxPyPzEVector { boosted(by: frame.boostVector) }
}

extension PtEtaPhiMVector {
    /// Boosted by β⃗, in Cartesian form (see ``PxPyPzEVector/boosted(by:)``).
    ///
    /// ```swift
    /// muon.boosted(by: BoostVector(x: 0, y: 0, z: 0.5))
    /// ```
    @inlinable public func boosted(by beta: BoostVector) -> PxPyPzEVector { cartesian.boosted(by: beta) }
    /// In the rest frame of `frame` (see ``PxPyPzEVector/boostedToRestFrame(of:)``).
    ///
    /// ```swift
    /// mu1.boostedToRestFrame(of: mu1 + mu2)
    /// ```
    @inlinable public func boostedToRestFrame(of frame: PxPyPzEVector) -> PxPyPzEVector { cartesian.boostedToRestFrame(of: frame) }
    /// The velocity p⃗/E.
    ///
    /// ```swift
    /// jet.boostVector.z   // pz / E
    /// ```
    @inlinable public var boostVector: BoostVector { cartesian.boostVector }
}
