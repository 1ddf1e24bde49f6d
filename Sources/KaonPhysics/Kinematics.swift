#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// φ₁ − φ₂ wrapped into [−π, π) (the convention of scikit-hep `vector` and coffea; ROOT's
/// `VectorUtil::DeltaPhi` uses (−π, π], which differs only at exactly ±π).
///
/// ```swift
/// deltaPhi(3.0, -3.0)   // 6 - 2π ≈ -0.283
/// ```
@inlinable
public func deltaPhi(_ phi1: Double, _ phi2: Double) -> Double {
    let twoPi = 2 * Double.pi
    let d = phi1 - phi2
    // Fast path: inputs already in [-π, π] give |d| ≤ 2π, one correction at most.
    if d >= -Double.pi && d < Double.pi { return d }
    var r: Double
    // For |d| ≤ 2π the number of turns below, floor((d + π) / 2π), is 1 (d ≥ π) or -1
    // (d < -π) exactly, and 2π times it is exact: the same r without a call to floor (which
    // baseline x86-64 cannot inline).
    if d >= Double.pi && d <= twoPi {
        r = d - twoPi
    } else if d < -Double.pi && d >= -twoPi {
        r = d + twoPi
    } else {
        r = d - twoPi * ((d + Double.pi) / twoPi).rounded(.down)
    }
    // Rounding can land exactly on +π; keep the interval half-open.
    if r >= Double.pi { r -= twoPi }
    return r
}

/// ΔR = sqrt(Δη² + Δφ²) with Δφ wrapped by ``deltaPhi(_:_:)``.
///
/// ```swift
/// deltaR(eta1: 0.1, phi1: 0.2, eta2: 0.4, phi2: 0.6)   // 0.5
/// ```
@inlinable
public func deltaR(eta1: Double, phi1: Double, eta2: Double, phi2: Double) -> Double {
    let dEta = eta1 - eta2
    let dPhi = deltaPhi(phi1, phi2)
    return (dEta * dEta + dPhi * dPhi).squareRoot()
}

/// Transverse mass of two massless transverse objects, e.g. a lepton and MET:
/// sqrt(2·pt₁·pt₂·(1 − cos Δφ)) (the ADL query 8 definition).
///
/// ```swift
/// transverseMass(pt1: 40, phi1: 0, pt2: 30, phi2: .pi)   // sqrt(2·40·30·2) ≈ 69.3
/// ```
@inlinable
public func transverseMass(pt1: Double, phi1: Double, pt2: Double, phi2: Double) -> Double {
    (2 * pt1 * pt2 * (1 - cos(deltaPhi(phi1, phi2)))).squareRoot()
}

extension PtEtaPhiMVector {
    /// φ of `self` minus φ of `other`, wrapped into [−π, π).
    ///
    /// ```swift
    /// muon.deltaPhi(jet)   // in [-π, π)
    /// ```
    @inlinable public func deltaPhi(_ other: PtEtaPhiMVector) -> Double { KaonPhysics.deltaPhi(phi, other.phi) }
    /// ΔR to `other`: `muon.deltaR(jet) < 0.4`.
    ///
    /// ```swift
    /// muon.deltaR(jet) < 0.4
    /// ```
    @inlinable public func deltaR(_ other: PtEtaPhiMVector) -> Double {
        KaonPhysics.deltaR(eta1: eta, phi1: phi, eta2: other.eta, phi2: other.phi)
    }
}

extension PxPyPzEVector {
    /// φ of `self` minus φ of `other`, wrapped into [−π, π).
    ///
    /// ```swift
    /// (mu1 + mu2).deltaPhi(met)
    /// ```
    @inlinable public func deltaPhi(_ other: PxPyPzEVector) -> Double { KaonPhysics.deltaPhi(phi, other.phi) }
    /// ΔR to `other` (η, φ from the Cartesian components).
    ///
    /// ```swift
    /// (j1 + j2).deltaR(j3.cartesian)
    /// ```
    @inlinable public func deltaR(_ other: PxPyPzEVector) -> Double {
        KaonPhysics.deltaR(eta1: eta, phi1: phi, eta2: other.eta, phi2: other.phi)
    }
}
