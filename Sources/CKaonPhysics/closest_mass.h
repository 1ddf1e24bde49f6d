// The bookkeeping shared by the screenings that look for the combination (Q6's triples, Q8's
// pairs) whose mass is closest to a target T, without libm: the exact search picks the first
// combination, in order, with the smallest d(m2) = |ssqrt(m2) - T|; the screening knows each
// combination's exact m2 only to lie in [a - M, a + M] (a its fast m2, M a proven margin).
//
// d is non-increasing below T^2 and non-decreasing above it (rounded sqrt and subtraction are
// monotonic), so over that interval the exact distance lies in [dlo, dhi]: dhi the larger of
// the ends' distances, dlo the distance at the end nearer T^2 (0 when the interval holds T^2).
// With U the smallest dhi of all combinations, the exact winner w has d(w) <= U, hence
// dlo(w) <= U; a combination with dlo > U is strictly farther than w and can neither win nor
// tie. The candidates are the combinations with dlo <= U, in order: one is the winner; among
// several, the exact distances decide (the first smallest).
#ifndef KAON_CLOSEST_MASS_H
#define KAON_CLOSEST_MASS_H
#include <math.h>
#include <stdint.h>

#pragma clang fp contract(off)

/// The margin M / S^2 of every screening (Q5's window, Q6's triples, Q8's pairs): 2^-32, over
/// 1000 times the bound on |exact m2 - fast m2| that trijet_candidates.h and lepton_pairs.h
/// derive from the fast conversions' error and the roundings.
#define KAON_SCREENING_MARGIN 0x1p-32

/// The margin M on the m2 of a sum of fast-converted objects whose energies (fast ones) add up
/// to at most `energy_sum`: 2^-32 S^2, S = energy_sum (1 + 1e-6) allowing for the fast
/// energies' own error.
static inline double kaon_screening_margin(double energy_sum) {
    double s = energy_sum * (1 + 1e-6);
    return KAON_SCREENING_MARGIN * s * s;
}

/// d(v) = |ssqrt(v) - T|: the exact searches' distance, operation for operation.
static inline double kaon_closest_distance(double m2, double target) {
    double mass = m2 >= 0 ? sqrt(m2) : -sqrt(-m2);
    return fabs(mass - target);
}

/// The bounds [dlo, dhi] of d over [a - margin, a + margin]. `target2` is target * target; the
/// relative 2^-40 covers its rounding (and that of sqrt) in telling which side of T^2 the
/// interval lies on.
static inline void kaon_closest_bounds(double a, double margin, double target, double target2, double *dlo, double *dhi) {
    double lo = a - margin, hi = a + margin;
    double dl = kaon_closest_distance(lo, target), dh = kaon_closest_distance(hi, target);
    *dhi = dl > dh ? dl : dh;
    if (hi < target2 * (1 - 0x1p-40)) *dlo = dh;
    else if (lo > target2 * (1 + 0x1p-40)) *dlo = dl;
    else *dlo = 0;
}

/// The candidate list and U.
typedef struct {
    double target, target2;
    double best;             // U: the smallest dhi so far
    uint32_t *candidates;    // the combinations, packed by the caller
    double *candidateLow;    // their dlo
    long count, capacity;
} kaon_closest_state;

static inline void kaon_closest_init(kaon_closest_state *s, double target, uint32_t *candidates, double *candidateLow,
                                     long capacity) {
    s->target = target;
    s->target2 = target * target;
    s->best = INFINITY;
    s->candidates = candidates;
    s->candidateLow = candidateLow;
    s->count = 0;
    s->capacity = capacity;
}

/// Keeps the candidates with dlo <= U, in order.
static inline void kaon_closest_compact(kaon_closest_state *s) {
    long kept = 0;
    for (long c = 0; c < s->count; c++) {
        if (s->candidateLow[c] <= s->best) {
            s->candidates[kept] = s->candidates[c];
            s->candidateLow[kept] = s->candidateLow[c];
            kept++;
        }
    }
    s->count = kept;
}

/// One combination (`packed`) with fast m2 `a`: kept as a candidate if dlo <= U, and U lowered
/// to its dhi if that is smaller. Returns 0 if the list overflowed (even after compacting),
/// 2 if U went down, 1 otherwise.
static inline int kaon_closest_consider(kaon_closest_state *s, uint32_t packed, double a, double margin) {
    double dlo, dhi;
    kaon_closest_bounds(a, margin, s->target, s->target2, &dlo, &dhi);
    if (dlo <= s->best) {
        if (s->count == s->capacity) {
            kaon_closest_compact(s);
            if (s->count == s->capacity) return 0;
        }
        s->candidates[s->count] = packed;
        s->candidateLow[s->count] = dlo;
        s->count++;
    }
    if (dhi < s->best) {
        s->best = dhi;
        return 2;
    }
    return 1;
}
#endif
