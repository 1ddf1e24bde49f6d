// The screening step of ADL query 6 (KaonADL's TrijetSearch): among n jets, the few triples
// (i < j < k) that can be the one whose mass is closest to a target, from the fast Cartesian
// components of fast_cartesian.h; the caller decides among them with the exact ones.
//
// Why it is exact. The exact search (ROOT's arithmetic) picks the first triple, in lexicographic
// order, with the smallest d(m2) = |ssqrt(m2) - T|, where m2 = E^2 - (x^2 + y^2 + z^2) of the
// triple's summed exact components and ssqrt(v) = v >= 0 ? sqrt(v) : -sqrt(-v), each operation
// rounded. Every fast component is within KAON_FAST_CARTESIAN_ERROR * E of the exact one, so
// the exact m2 of a triple lies within M = 2^-32 S^2 (kaon_screening_margin) of the fast
// m2 = a, with S = 3 E_max >= the triple's energy sum: each summed component is within
// 1.7e-14 S of the exact one and at most S in size, so the squares differ by at most
// 3.4e-14 S^2 each and, with the roundings of both m2 evaluations, m2 by about 1.5e-13 S^2,
// over 1000 times less than M. d is non-increasing below the target's m2 and
// non-decreasing above it (rounded sqrt and subtraction are monotonic), so on [a - M, a + M]
// the exact distance lies in [dlo, dhi], with dhi = max(d(a - M), d(a + M)) and dlo the value
// at the end nearer T^2 (0 when the interval contains T^2). With U the smallest dhi of all
// triples, the exact winner w has d(w) <= U, hence dlo(w) <= U; any triple with dlo > U is
// strictly farther than w and cannot win or tie. The candidates are the triples with dlo <= U,
// in lexicographic order: with one candidate, it is the winner; with several, the exact
// distances of those decide, first one on ties, as the exact loop does.
//
// How it is fast. The pair sums (x, y, z, E)_j + (x, y, z, E)_k of all pairs j < k are formed
// once, in lexicographic order, so the triples (i, j, k) with a given i are the contiguous
// suffix of the pairs with j > i: a single loop, 4 triples per AVX2 instruction, computes their
// m2 and tests it against the window of m2 that could still hold a candidate (widened by 2M);
// only the few triples inside the window go through the scalar bookkeeping. Summation order
// differs from the exact loop's, which M covers.
#ifndef KAON_TRIJET_CANDIDATES_H
#define KAON_TRIJET_CANDIDATES_H
#include "closest_mass.h"
#include "fast_cartesian.h"

#pragma clang fp contract(off)

/// Room (in values) each pair buffer needs for n jets: n(n-1)/2 pairs and a padded vector.
static inline long kaon_trijet_pair_capacity(long n) { return n * (n - 1) / 2 + 8; }

/// The search's running state: the candidates (packed i | j << 10 | k << 20) and U, the margin
/// and the window of fast m2 that can still hold a candidate.
typedef struct {
    kaon_closest_state closest;
    double margin;
    double low, high;
} kaon_trijet_state;

// The window of fast m2 whose interval [a - M, a + M] can meet {v : d(v) <= U}: the masses
// within U of T, squared, with a relative cushion of 1e-8 for the roundings, widened by 2M.
static inline void kaon_trijet_update_window(kaon_trijet_state *s) {
    double u = s->closest.best, t = s->closest.target, pad = 2 * s->margin;
    if (!(u < INFINITY)) { s->low = -INFINITY; s->high = INFINITY; return; }
    double above = t + u;
    s->high = above * above * (1 + 1e-8) + pad;
    if (u < t) {
        double below = t - u;
        s->low = below * below * (1 - 1e-8) - pad;
    } else {
        double below = u - t;
        s->low = -(below * below * (1 + 1e-8)) - pad;
    }
}

// One triple whose fast m2 `a` is inside the window. Returns 0 if the candidate list overflowed.
static inline int kaon_trijet_consider(kaon_trijet_state *s, long i, long j, long k, double a) {
    int result = kaon_closest_consider(&s->closest, (uint32_t)i | (uint32_t)j << 10 | (uint32_t)k << 20, a, s->margin);
    if (result == 2) kaon_trijet_update_window(s);
    return result != 0;
}

// Pads the n(n-1)/2 pair sums with NaN energies, whose m2 then fails every window test.
// (The prepare functions below return the margin M, or NaN when a component is not finite:
// x * 0 is 0 for finite x and NaN otherwise, so one sum tests them all.)
static inline void kaon_trijet_pad(long pairs, double *qx, double *qy, double *qz, double *qe) {
    for (long pad = 0; pad < 8; pad++) {
        qx[pairs + pad] = 0; qy[pairs + pad] = 0; qz[pairs + pad] = 0; qe[pairs + pad] = NAN;
    }
}

// The pair sums in lexicographic order. Returns the margin M.
static inline double kaon_trijet_prepare_scalar(const double *px, const double *py, const double *pz, const double *e, long n,
                                                double *qx, double *qy, double *qz, double *qe) {
    long p = 0;
    double emax = 0, finite = 0;
    for (long j = 0; j < n; j++) {
        if (e[j] > emax) emax = e[j];
        finite += (px[j] * 0 + py[j] * 0) + (pz[j] * 0 + e[j] * 0);
        for (long k = j + 1; k < n; k++, p++) {
            qx[p] = px[j] + px[k]; qy[p] = py[j] + py[k]; qz[p] = pz[j] + pz[k]; qe[p] = e[j] + e[k];
        }
    }
    kaon_trijet_pad(p, qx, qy, qz, qe);
    return finite == 0 ? kaon_screening_margin(3 * emax) : NAN;
}

#if defined(__x86_64__)
// The same, 4 pairs per instruction: the stores of a row may run up to 3 values past it, which
// the next row (or the padding) overwrites; the loads read up to 3 values past jet n - 1.
__attribute__((target("avx2")))
static inline double kaon_trijet_prepare_avx2(const double *px, const double *py, const double *pz, const double *e, long n,
                                              double *qx, double *qy, double *qz, double *qe) {
    long p = 0;
    double emax = 0;
    __m256d finite = _mm256_setzero_pd();
    const __m256d zero = _mm256_setzero_pd();
    for (long j = 0; j < n; j++) {
        if (e[j] > emax) emax = e[j];
        __m256d bx = _mm256_set1_pd(px[j]), by = _mm256_set1_pd(py[j]), bz = _mm256_set1_pd(pz[j]), be = _mm256_set1_pd(e[j]);
        finite = _mm256_add_pd(finite, _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(bx, zero), _mm256_mul_pd(by, zero)),
                                                     _mm256_add_pd(_mm256_mul_pd(bz, zero), _mm256_mul_pd(be, zero))));
        long length = n - 1 - j;
        for (long t = 0; t < length; t += 4) {
            _mm256_storeu_pd(qx + p + t, _mm256_add_pd(bx, _mm256_loadu_pd(px + j + 1 + t)));
            _mm256_storeu_pd(qy + p + t, _mm256_add_pd(by, _mm256_loadu_pd(py + j + 1 + t)));
            _mm256_storeu_pd(qz + p + t, _mm256_add_pd(bz, _mm256_loadu_pd(pz + j + 1 + t)));
            _mm256_storeu_pd(qe + p + t, _mm256_add_pd(be, _mm256_loadu_pd(e + j + 1 + t)));
        }
        p += length;
    }
    kaon_trijet_pad(p, qx, qy, qz, qe);
    return _mm256_cvtsd_f64(finite) == 0 ? kaon_screening_margin(3 * emax) : NAN;
}
#endif

// Offset of the first pair (j, j + 1) in lexicographic order.
static inline long kaon_trijet_pair_offset(long j, long n) { return j * (2 * n - j - 1) / 2; }

// One triple (i, pair p) inside the window: finds the pair's jets (j > i), then considers it.
static inline int kaon_trijet_consider_pair(kaon_trijet_state *s, long n, long i, long p, double a) {
    long j = i + 1, next = kaon_trijet_pair_offset(j + 1, n);
    while (p >= next) { j++; next += n - 1 - j; }
    long k = j + 1 + (p - (next - (n - 1 - j)));
    return kaon_trijet_consider(s, i, j, k, a);
}

// Starts the search from U = dhi of the triple whose fast m2 is nearest T^2 (any triple's dhi is
// a valid start: U only has to stay >= its final value): found by a first pass without
// branches, so that the scan proper meets almost only the winner inside its window.
static inline void kaon_trijet_seed(kaon_trijet_state *s, double nearest) {
    if (!(fabs(nearest) < INFINITY)) return;
    double dlo;
    kaon_closest_bounds(nearest, s->margin, s->closest.target, s->closest.target2, &dlo, &s->closest.best);
    kaon_trijet_update_window(s);
}

static inline double kaon_trijet_nearest_scalar(const double *px, const double *py, const double *pz, const double *e, long n,
                                                const double *qx, const double *qy, const double *qz, const double *qe,
                                                double target2) {
    long pairs = n * (n - 1) / 2;
    double nearest = NAN, key = INFINITY;
    for (long i = 0; i + 2 < n; i++) {
        for (long p = kaon_trijet_pair_offset(i + 1, n); p < pairs; p++) {
            double x = qx[p] + px[i], y = qy[p] + py[i], z = qz[p] + pz[i], t = qe[p] + e[i];
            double a = t * t - (x * x + y * y + z * z);
            if (fabs(a - target2) < key) { key = fabs(a - target2); nearest = a; }
        }
    }
    return nearest;
}

static inline int kaon_trijet_scan_scalar(kaon_trijet_state *s, const double *px, const double *py, const double *pz,
                                          const double *e, long n, const double *qx, const double *qy, const double *qz,
                                          const double *qe) {
    long pairs = n * (n - 1) / 2;
    for (long i = 0; i + 2 < n; i++) {
        for (long p = kaon_trijet_pair_offset(i + 1, n); p < pairs; p++) {
            double x = qx[p] + px[i], y = qy[p] + py[i], z = qz[p] + pz[i], t = qe[p] + e[i];
            double a = t * t - (x * x + y * y + z * z);
            if (a >= s->low && a <= s->high && !kaon_trijet_consider_pair(s, n, i, p, a)) return 0;
        }
    }
    return 1;
}

// The m2 of the value (of `lanes`) with the smallest key: the vector passes' last step.
static inline double kaon_trijet_nearest_lane(const double *keys, const double *values, int lanes) {
    double best = keys[0], value = values[0];
    for (int lane = 1; lane < lanes; lane++)
        if (keys[lane] < best) { best = keys[lane]; value = values[lane]; }
    return value;
}

#if defined(__x86_64__)
// m2 = (q + b)^2 of 4 pair sums q (from position p) plus the jet b, in the scalar order.
__attribute__((target("avx2"), always_inline))
static inline __m256d kaon_trijet_mass2_avx2(const double *qx, const double *qy, const double *qz, const double *qe, long p,
                                             __m256d bx, __m256d by, __m256d bz, __m256d be) {
    __m256d x = _mm256_add_pd(_mm256_loadu_pd(qx + p), bx), y = _mm256_add_pd(_mm256_loadu_pd(qy + p), by);
    __m256d z = _mm256_add_pd(_mm256_loadu_pd(qz + p), bz), t = _mm256_add_pd(_mm256_loadu_pd(qe + p), be);
    return _mm256_sub_pd(_mm256_mul_pd(t, t), _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(x, x), _mm256_mul_pd(y, y)), _mm256_mul_pd(z, z)));
}

__attribute__((target("avx2")))
static inline double kaon_trijet_nearest_avx2(const double *px, const double *py, const double *pz, const double *e, long n,
                                              const double *qx, const double *qy, const double *qz, const double *qe,
                                              double target2) {
    long pairs = n * (n - 1) / 2;
    const __m256d signless = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffll)), t2 = _mm256_set1_pd(target2);
    __m256d key = _mm256_set1_pd(INFINITY), nearest = _mm256_set1_pd(NAN);
    for (long i = 0; i + 2 < n; i++) {
        __m256d bx = _mm256_set1_pd(px[i]), by = _mm256_set1_pd(py[i]), bz = _mm256_set1_pd(pz[i]), be = _mm256_set1_pd(e[i]);
        for (long p = kaon_trijet_pair_offset(i + 1, n); p < pairs; p += 4) {
            __m256d a = kaon_trijet_mass2_avx2(qx, qy, qz, qe, p, bx, by, bz, be);
            __m256d k = _mm256_and_pd(_mm256_sub_pd(a, t2), signless);
            __m256d closer = _mm256_cmp_pd(k, key, _CMP_LT_OQ);   // false for the NaN padding
            key = _mm256_blendv_pd(key, k, closer);
            nearest = _mm256_blendv_pd(nearest, a, closer);
        }
    }
    double keys[4], values[4];
    _mm256_storeu_pd(keys, key);
    _mm256_storeu_pd(values, nearest);
    return kaon_trijet_nearest_lane(keys, values, 4);
}

__attribute__((target("avx2")))
static inline int kaon_trijet_scan_avx2(kaon_trijet_state *s, const double *px, const double *py, const double *pz,
                                        const double *e, long n, const double *qx, const double *qy, const double *qz,
                                        const double *qe) {
    long pairs = n * (n - 1) / 2;
    __m256d low = _mm256_set1_pd(s->low), high = _mm256_set1_pd(s->high);
    double m2[4];
    for (long i = 0; i + 2 < n; i++) {
        __m256d bx = _mm256_set1_pd(px[i]), by = _mm256_set1_pd(py[i]), bz = _mm256_set1_pd(pz[i]), be = _mm256_set1_pd(e[i]);
        for (long p = kaon_trijet_pair_offset(i + 1, n); p < pairs; p += 4) {
            __m256d a = kaon_trijet_mass2_avx2(qx, qy, qz, qe, p, bx, by, bz, be);
            __m256d inside = _mm256_and_pd(_mm256_cmp_pd(a, low, _CMP_GE_OQ), _mm256_cmp_pd(a, high, _CMP_LE_OQ));
            int bits = _mm256_movemask_pd(inside);
            if (bits == 0) continue;
            _mm256_storeu_pd(m2, a);
            for (int lane = 0; lane < 4; lane++) {
                // The window may have narrowed since the vector test.
                if (!((bits >> lane) & 1) || !(m2[lane] >= s->low && m2[lane] <= s->high)) continue;
                if (!kaon_trijet_consider_pair(s, n, i, p + lane, m2[lane])) return 0;
            }
            low = _mm256_set1_pd(s->low);
            high = _mm256_set1_pd(s->high);
        }
    }
    return 1;
}
#endif

#if defined(__x86_64__)
#define KAON_TRIJET_AVX512 "avx2,avx512f"

/// Values the AVX-512 scan stores for n jets: each row of triples (i, pairs j > i) padded to
/// whole vectors of 8, at most C(n, 3) + 7 (n - 2).
static inline long kaon_trijet_stored_capacity(long n) { return n < 3 ? 0 : n * (n - 1) * (n - 2) / 6 + 7 * (n - 2); }

// The first pass with 8 triples per instruction, which also stores every m2 (row by row) for
// the second pass: that one then only loads and compares.
__attribute__((target(KAON_TRIJET_AVX512)))
static inline double kaon_trijet_nearest_avx512(const double *px, const double *py, const double *pz, const double *e, long n,
                                                const double *qx, const double *qy, const double *qz, const double *qe,
                                                double target2, double *m2) {
    long pairs = n * (n - 1) / 2, w = 0;
    const __m512d t2 = _mm512_set1_pd(target2);
    __m512d key = _mm512_set1_pd(INFINITY), nearest = _mm512_set1_pd(NAN);
    for (long i = 0; i + 2 < n; i++) {
        __m512d bx = _mm512_set1_pd(px[i]), by = _mm512_set1_pd(py[i]), bz = _mm512_set1_pd(pz[i]), be = _mm512_set1_pd(e[i]);
        for (long p = kaon_trijet_pair_offset(i + 1, n); p < pairs; p += 8, w += 8) {
            __m512d x = _mm512_add_pd(_mm512_loadu_pd(qx + p), bx), y = _mm512_add_pd(_mm512_loadu_pd(qy + p), by);
            __m512d z = _mm512_add_pd(_mm512_loadu_pd(qz + p), bz), t = _mm512_add_pd(_mm512_loadu_pd(qe + p), be);
            __m512d a = _mm512_sub_pd(_mm512_mul_pd(t, t), _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(x, x), _mm512_mul_pd(y, y)),
                                                                          _mm512_mul_pd(z, z)));
            _mm512_storeu_pd(m2 + w, a);
            __m512d k = _mm512_abs_pd(_mm512_sub_pd(a, t2));
            __mmask8 closer = _mm512_cmp_pd_mask(k, key, _CMP_LT_OQ);   // false for the NaN padding
            key = _mm512_mask_blend_pd(closer, key, k);
            nearest = _mm512_mask_blend_pd(closer, nearest, a);
        }
    }
    double keys[8], values[8];
    _mm512_storeu_pd(keys, key);
    _mm512_storeu_pd(values, nearest);
    return kaon_trijet_nearest_lane(keys, values, 8);
}

__attribute__((target(KAON_TRIJET_AVX512)))
static inline int kaon_trijet_scan_stored_avx512(kaon_trijet_state *s, long n, const double *m2) {
    long pairs = n * (n - 1) / 2, w = 0;
    __m512d low = _mm512_set1_pd(s->low), high = _mm512_set1_pd(s->high);
    for (long i = 0; i + 2 < n; i++) {
        for (long p = kaon_trijet_pair_offset(i + 1, n); p < pairs; p += 8, w += 8) {
            __m512d a = _mm512_loadu_pd(m2 + w);
            __mmask8 bits = _mm512_cmp_pd_mask(a, low, _CMP_GE_OQ) & _mm512_cmp_pd_mask(a, high, _CMP_LE_OQ);
            if (bits == 0) continue;
            for (int lane = 0; lane < 8; lane++) {
                // The window may have narrowed since the vector test.
                double v = m2[w + lane];
                if (!((bits >> lane) & 1) || !(v >= s->low && v <= s->high)) continue;
                if (!kaon_trijet_consider_pair(s, n, i, p + lane, v)) return 0;
            }
            low = _mm512_set1_pd(s->low);
            high = _mm512_set1_pd(s->high);
        }
    }
    return 1;
}
#endif

/// The candidate triples of `n` jets (3 <= n <= 1023) given as fast Cartesian components, with
/// `kernel` (kaon_fast_kernel_scalar, _avx2 or _avx512, which must be usable): writes them, packed as
/// i | j << 10 | k << 20 in lexicographic order, to `candidates` (room for `capacity`, >= 1)
/// and returns their number (>= 1). Returns -1 when it cannot decide: a non-finite or negative
/// target, a non-finite component, or more candidates than `capacity` at some point. The jet
/// buffers are readable up to n + 3 (whole vectors), the pair buffers have room for
/// kaon_trijet_pair_capacity(n) values, `candidateLow` for `capacity`. The AVX-512 kernel
/// stores every triple's m2 in `stored` (room for `storedCapacity` values): with less room than
/// kaon_trijet_stored_capacity(n) it scans with the AVX2 kernel instead.
static inline long kaon_trijet_candidates(int kernel, const double *px, const double *py, const double *pz, const double *e,
                                          long n, double target, double *qx, double *qy, double *qz, double *qe,
                                          uint32_t *candidates, double *candidateLow, long capacity,
                                          double *stored, long storedCapacity) {
    if (n < 3 || n > 1023 || capacity < 1 || !(target >= 0 && target < INFINITY)) return -1;
    kaon_trijet_state s;
    kaon_closest_init(&s.closest, target, candidates, candidateLow, capacity);
    int ok;
#if defined(__x86_64__)
    if (kernel == kaon_fast_kernel_avx512 && kaon_trijet_stored_capacity(n) <= storedCapacity) {
        s.margin = kaon_trijet_prepare_avx2(px, py, pz, e, n, qx, qy, qz, qe);
        if (s.margin != s.margin) return -1;
        kaon_trijet_update_window(&s);
        kaon_trijet_seed(&s, kaon_trijet_nearest_avx512(px, py, pz, e, n, qx, qy, qz, qe, s.closest.target2, stored));
        ok = kaon_trijet_scan_stored_avx512(&s, n, stored);
    } else if (kernel == kaon_fast_kernel_avx2 || kernel == kaon_fast_kernel_avx512) {
        s.margin = kaon_trijet_prepare_avx2(px, py, pz, e, n, qx, qy, qz, qe);
        if (s.margin != s.margin) return -1;
        kaon_trijet_update_window(&s);
        kaon_trijet_seed(&s, kaon_trijet_nearest_avx2(px, py, pz, e, n, qx, qy, qz, qe, s.closest.target2));
        ok = kaon_trijet_scan_avx2(&s, px, py, pz, e, n, qx, qy, qz, qe);
    } else
#endif
    {
        s.margin = kaon_trijet_prepare_scalar(px, py, pz, e, n, qx, qy, qz, qe);
        if (s.margin != s.margin) return -1;
        kaon_trijet_update_window(&s);
        kaon_trijet_seed(&s, kaon_trijet_nearest_scalar(px, py, pz, e, n, qx, qy, qz, qe, s.closest.target2));
        ok = kaon_trijet_scan_scalar(&s, px, py, pz, e, n, qx, qy, qz, qe);
    }
    (void)kernel;
    if (!ok) return -1;
    kaon_closest_compact(&s.closest);
    return s.closest.count;
}
#endif
