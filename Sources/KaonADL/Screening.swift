import CKaonPhysics

/// How the ADL queries with combinatorics (Q5, Q6, Q8) find their combinations; every choice
/// gives the same results, bit for bit.
///
/// The screened choices convert the objects without libm (fast polynomials with a proven error
/// bound, `CKaonPhysics/fast_cartesian.h`), keep the combinations the error bound cannot rule
/// out, and decide among those exactly, as ROOT's arithmetic does (`closest_mass.h`,
/// `trijet_candidates.h`, `lepton_pairs.h` explain why that is exact).
///
/// ```swift
/// let search = TrijetSearch(screening: .best)
/// let plain = LeptonBuffer(screening: .exact)
/// for screening in Screening.allCases where screening.isAvailable { … }
/// ```
public enum Screening: Sendable, CaseIterable {
    /// Every object converted with libm and every combination's exact distance compared (Q6's
    /// loop pruned by a mass window).
    case exact
    /// Screened by the scalar C kernels, then decided exactly.
    case scalar
    /// The same with the AVX2 kernels, 4 objects or triples per instruction.
    case avx2
    /// The same with Q6's triples 8 per AVX-512 instruction (each m² computed once and stored
    /// for the second pass; events with over 128 jets use the AVX2 scan).
    case avx512

    /// The fastest choice this processor runs.
    public static let best: Screening = allCases.last { $0.isAvailable } ?? .exact

    /// Whether this processor runs it.
    public var isAvailable: Bool { self == .exact || kaon_fast_kernel_usable(kernel) != 0 }

    @usableFromInline var kernel: Int32 {
        switch self {
        case .exact, .scalar: Int32(kaon_fast_kernel_scalar)
        case .avx2: Int32(kaon_fast_kernel_avx2)
        case .avx512: Int32(kaon_fast_kernel_avx512)
        }
    }
}
