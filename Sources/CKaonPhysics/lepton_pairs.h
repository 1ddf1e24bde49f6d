// The pair decisions of ADL queries 5 and 8 (KaonADL's LeptonBuffer) from the fast Cartesian
// components of fast_cartesian.h, without libm; the caller computes exactly (with libm, as
// ROOT does) only what these cannot decide.
//
// Why it is exact. The exact queries sum two objects' exact components (each converted with
// libm, see PtEtaPhiMVector.cartesian) and take m2 = E^2 - (x^2 + y^2 + z^2) and the signed
// square root ssqrt(m2), each operation rounded. Every fast component of an accepted object is
// within KAON_FAST_CARTESIAN_ERROR * E of the exact one, so each component of the fast pair sum
// is within 1.6e-14 S (+ a rounding of 2^-53 S) of the exact sum's, S >= E_a + E_b, and each
// is at most S in size; hence the squares differ by at most 3.3e-14 S^2 each, and with the
// roundings of the two m2 evaluations (a few 2^-53 S^2) the exact m2 lies within 1.4e-13 S^2 of
// the fast m2 = a (1.9e-13 S^2 with space-like objects, whose components may reach 1.16 E:
// see kaon_fast_cartesian_space_like). The margin M = 2^-32 S^2 (S = (E_a + E_b)(1 + 1e-6)
// from the fast energies, which are within 1.6e-14 E of the exact ones) is over 1000 times
// that, so the exact m2 lies in [a - M, a + M] (a - M and a + M rounded: 2^-53 S^2 each, also
// covered). Setting the margin to 0 makes LeptonScreeningTests fail.
// * Query 5 (low < ssqrt(m2) < high, strict): rounded sqrt is monotonic and exact on squares,
//   so m2 > low^2 (1 + 2^-40) gives ssqrt(m2) > low, m2 < low^2 (1 - 2^-40) gives
//   ssqrt(m2) < low (negative m2 included), and the same for high; the relative 2^-40 covers
//   the roundings of the thresholds and of the square root (2^-53 each) many times over. An
//   interval entirely inside decides "in", entirely outside "out"; one that straddles a
//   threshold cannot decide.
// * Query 8 (the SFOS pair with the smallest d(m2) = |ssqrt(m2) - T|, the first on ties): as
//   for Q6's triples (trijet_candidates.h): d is non-increasing below T^2 and non-decreasing
//   above, so over [a - M, a + M] the exact distance lies in [dlo, dhi]; with U the smallest
//   dhi of all pairs, the winner has d <= U, so pairs with dlo > U are strictly farther than it
//   and neither win nor tie. The remaining candidates (almost always one) are decided exactly.
#ifndef KAON_LEPTON_PAIRS_H
#define KAON_LEPTON_PAIRS_H
#include "fast_cartesian.h"
#include "closest_mass.h"

#pragma clang fp contract(off)

/// Completes a fast conversion (kaon_fast_cartesian_column) of n objects for those with a small
/// negative mass (space-like, as NanoAOD's electrons often are), which it refuses: when
/// m^2 <= pt^2 / 4 (and the object is otherwise accepted), px, py, pz and E0 come from the fast
/// conversion with mass 0 and E = sqrt(E0^2 - m^2), as PtEtaPhiMVector.cartesian computes
/// sqrt(max(p^2 - m^2, 0)). Within the bound: p = |pt| cosh(eta) >= |pt| >= 2|m| gives
/// E >= (sqrt(3)/2) p; E0 is within 6e-15 p of p, so E0^2 - m^2 (with its roundings) is within
/// 1.3e-14 p^2 <= 1.7e-14 E^2 of p^2 - m^2 and the fast E within 0.9e-14 E of the real one (the
/// exact one within 0.2e-14 E), and px, py, pz are within 3e-15 p <= 3.5e-15 E of the real
/// values: every component is within KAON_FAST_CARTESIAN_ERROR * E of the exact one. Their
/// size is at most p <= 1.16 E (not E, as for m >= 0), which changes the m2 bound below by a
/// factor 1.34 only. Other refused objects keep their NaN energy.
static inline void kaon_fast_cartesian_space_like(const float *pt, const float *eta, const float *phi, const float *mass,
                                                  long n, double *px, double *py, double *pz, double *e) {
    for (long i = 0; i < n; i++) {
        if (e[i] < INFINITY || !(mass[i] < 0) || !kaon_fast_cartesian_accepts(pt[i], eta[i], phi[i], 0.0f)) continue;
        double m = mass[i], p = pt[i];
        if (!(m * m <= 0.25 * (p * p))) continue;
        double e0;
        kaon_fast_cartesian1(pt[i], eta[i], phi[i], 0.0f, px + i, py + i, pz + i, &e0);
        e[i] = sqrt(e0 * e0 - m * m);
    }
}

/// The fast m2 of objects a and b: the sum, then E^2 - (x^2 + y^2 + z^2) (PxPyPzEVector's order).
static inline double kaon_pair_mass2(const double *px, const double *py, const double *pz, const double *e, long a, long b) {
    double x = px[a] + px[b], y = py[a] + py[b], z = pz[a] + pz[b], t = e[a] + e[b];
    return t * t - (x * x + y * y + z * z);
}

/// Whether every one of n objects was accepted by the fast conversion (finite energy; the
/// others have a NaN one).
static inline int kaon_pair_all_accepted(const double *e, long n) {
    for (long i = 0; i < n; i++)
        if (!(e[i] < INFINITY)) return 0;
    return 1;
}

/// Whether some pair (i < j) of the n objects with charge[i] != charge[j] has low < m < high,
/// m = ssqrt(m2) of the exact pair sum (0 < low < high): 1 (surely), 0 (surely not), or -1
/// when it cannot tell (an object the fast conversion did not accept, bounds it does not
/// handle, or an interval of m2 straddling a threshold with no pair surely inside): then the
/// caller computes exactly.
static inline int kaon_opposite_pair_in_mass_window(const double *px, const double *py, const double *pz, const double *e,
                                                    const int32_t *charge, long n, double low, double high) {
    if (!(low > 0 && low < high && high < 1e150)) return -1;
    if (!kaon_pair_all_accepted(e, n)) return -1;
    double low2 = low * low, high2 = high * high;
    double inLow = low2 * (1 + 0x1p-40), inHigh = high2 * (1 - 0x1p-40);
    double outLow = low2 * (1 - 0x1p-40), outHigh = high2 * (1 + 0x1p-40);
    int undecided = 0;
    for (long i = 0; i < n; i++) {
        for (long j = i + 1; j < n; j++) {
            if (charge[i] == charge[j]) continue;
            double a = kaon_pair_mass2(px, py, pz, e, i, j), margin = kaon_screening_margin(e[i] + e[j]);
            double lo = a - margin, hi = a + margin;
            if (lo > inLow && hi < inHigh) return 1;
            // Written so that a NaN m2 cannot decide.
            if (!(hi < outLow || lo > outHigh)) undecided = 1;
        }
    }
    return undecided ? -1 : 0;
}

// The opposite-charge pairs of one flavour (n objects at combined positions base ..< base + n),
// in lexicographic order. Returns 0 if the candidate list overflowed.
static inline int kaon_sfos_consider(kaon_closest_state *s, const double *px, const double *py, const double *pz,
                                     const double *e, const int32_t *charge, long n, long base) {
    for (long i = 0; i < n; i++) {
        for (long j = i + 1; j < n; j++) {
            if (charge[i] == charge[j]) continue;
            uint32_t packed = (uint32_t)(base + i) | (uint32_t)(base + j) << 16;
            if (!kaon_closest_consider(s, packed, kaon_pair_mass2(px, py, pz, e, i, j), kaon_screening_margin(e[i] + e[j]))) return 0;
        }
    }
    return 1;
}

// The number of opposite-charge pairs of n objects (at combined positions base ..< base + n)
// added to `pairs`, counting stops above 1; `only` gets the last one counted.
static inline long kaon_sfos_count(const int32_t *charge, long n, long base, long pairs, uint32_t *only) {
    for (long i = 0; i < n && pairs < 2; i++) {
        for (long j = i + 1; j < n; j++) {
            if (charge[i] == charge[j]) continue;
            *only = (uint32_t)(base + i) | (uint32_t)(base + j) << 16;
            if (++pairs > 1) break;
        }
    }
    return pairs;
}

/// The candidate same-flavour opposite-charge pairs of an event's leptons for the pair whose
/// mass is closest to `target`: the list is `na` leptons of flavour a (positions 0 ..< na) then
/// `nb` of flavour b (na ..< na + nb), each flavour given by its fast Cartesian components and
/// charges. Writes the candidates, packed i | j << 16 in lexicographic order, to `candidates`
/// (room for `capacity` >= 1, and `candidateLow` too) and returns their number: 0 when there is
/// no SFOS pair, 1 when the screening decided, more when the exact distances of those must
/// decide (the first smallest). Returns -1 when it cannot decide: a non-finite or negative
/// target, a lepton the fast conversion did not accept, more than 65535 leptons, or more
/// candidates than `capacity`.
static inline long kaon_sfos_candidates(const double *apx, const double *apy, const double *apz, const double *ae,
                                        const int32_t *acharge, long na,
                                        const double *bpx, const double *bpy, const double *bpz, const double *be,
                                        const int32_t *bcharge, long nb,
                                        double target, uint32_t *candidates, double *candidateLow, long capacity) {
    if (!(target >= 0 && target < INFINITY) || capacity < 1 || na + nb > 65535) return -1;
    // No SFOS pair, or just one: the answer, whatever the masses (so without them).
    uint32_t only = 0;
    long pairs = kaon_sfos_count(acharge, na, 0, 0, &only);
    pairs = kaon_sfos_count(bcharge, nb, na, pairs, &only);
    if (pairs <= 1) {
        candidates[0] = only;
        return pairs;
    }
    if (!kaon_pair_all_accepted(ae, na) || !kaon_pair_all_accepted(be, nb)) return -1;
    kaon_closest_state s;
    kaon_closest_init(&s, target, candidates, candidateLow, capacity);
    if (!kaon_sfos_consider(&s, apx, apy, apz, ae, acharge, na, 0)) return -1;
    if (!kaon_sfos_consider(&s, bpx, bpy, bpz, be, bcharge, nb, na)) return -1;
    kaon_closest_compact(&s);
    return s.count;
}
#endif
