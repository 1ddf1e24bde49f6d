// Exact regular-axis bin indices by multiplication instead of division (included by
// regular_bin_indices.h, which defines kaon_regular_axis and the exact division formula).
//
// boost-histogram's bin of x is floor(w) with w = fl(fl(d / delta) * size), d = fl(x - lower).
// The kernels here compute t = fl(d * scale) with scale = fl(size / delta) instead. Each of the
// four roundings involved has a relative error of at most u = 2^-53, so
//     |t - w| <= 4u |d size / delta|   (< 4.01u (size + 1) while |t| <= size + 0.5).
// t is then rounded to a grid of 2^-k (adding a magic constant whose ulp is 2^-k), with k
// chosen so that half a grid step, 2^-(k+1), exceeds that bound four times over. If the
// rounded value R = round((t + 1) 2^k) is not a whole multiple of 2^k, every integer is at
// least 2^-(k+1) away from t + 1, hence strictly further than w + 1 is from t + 1: floor(w)
// equals floor(t) = (R >> k) - 1, and its sign and its comparison with `size` decide
// boost-histogram's underflow / in-range / overflow test the same way (w < 0 iff z < 0;
// w > size iff z > 1, and z == 1 would give w == size exactly, an integer). Values whose R
// is a multiple of 2^k (t within 2^-(k+1) of an integer: edges and their neighbours) are
// "unsure" and recomputed with the division, so every value lands in boost-histogram's bin.
// Before the integer step t is clamped to [-0.5, size + 0.5], which keeps R small and
// positive, sends -inf and everything below the axis to -1, +inf to `size`, and NaN to
// `size` (max(low, NaN) is NaN, min(NaN, high) is high), as boost-histogram does.
// Clamped values are sure: t < -0.5 means w < 0, t > size + 0.5 means w > size.
// The relative-error argument needs normal numbers: scale must be normal, and sure values
// have |t| >= 2^-(k+1), far above the subnormal range. Axes where that cannot be arranged
// (size + 2 > 2^47, or size / delta not a normal number) keep grid_bits == 0 and use the
// division kernels.
//
// With the index a few integer operations instead of a division, reading the columns from
// memory becomes the limit of 2D fills; their kernels prefetch the two columns one fill block
// ahead (prefetcht1) so that the next block arrives while the caller adds the current block to
// the histogram: 2D 850 instead of 510 M pairs/s with AVX-512 in a C loop on the development
// machine (prefetcht0 624, prefetcht2 770, also prefetching the weights: no gain). The 1D
// kernels do not prefetch: there it cost 20 % of a weighted fill (770 vs 965 M/s).
#ifndef KAON_REGULAR_GRID_INDEX_H
#define KAON_REGULAR_GRID_INDEX_H
#include <math.h>
#include <string.h>

/// Values a fill block holds (KaonHist's `Histogram.regularFillBlock`): the 2D kernels
/// prefetch this far ahead.
#define KAON_REGULAR_PREFETCH_AHEAD 1024

/// Fills the multiply-based index parameters of `a` (lower, delta, size already set).
static inline void kaon_regular_grid_init(kaon_regular_axis *a) {
    a->grid_bits = 0;
    a->scale = a->size / a->delta;
    uint64_t n = (uint64_t)a->size + 2;
    if (n > (1ull << 47) || !isnormal(a->scale)) return;
    // k = 48 - ceil(log2(size + 2)): 2^-(k+1) >= 2^-49 (size + 2) > 4 * 4.01u (size + 1), and
    // (size + 1.5) 2^k < 2^51, so t + 1 + magic stays in the binade whose ulp is 2^-k.
    int32_t k = 48 - (64 - __builtin_clzll(n - 1));
    double base = ldexp(1.5, 52 - k);
    memcpy(&a->magic_bits, &base, sizeof base);
    a->magic = base + 1;
    a->low = a->magic - 0.5;
    a->high = a->magic + a->size + 0.5;
    a->frac_mask = ((int64_t)1 << k) - 1;
    a->grid_bits = k;
}

/// A regular axis for the kernels: boost-histogram's rule, with `top` the index of z == 1
/// (size - 1 without an overflow bin), `shift` 1 with an underflow bin, `extent` the bins
/// including flow.
static inline kaon_regular_axis kaon_regular_axis_make(double lower, double delta, int64_t size, int overflow,
                                                       int32_t shift, int32_t extent) {
    kaon_regular_axis a;
    memset(&a, 0, sizeof a);
    a.lower = lower;
    a.delta = delta;
    a.size = (double)size;
    a.top = (double)(overflow ? size : size - 1);
    a.shift = shift;
    a.extent = extent;
    kaon_regular_grid_init(&a);
    return a;
}

/// The bin index of one value (as kaon_regular_bin_index) by the multiply-based rule, for
/// loops that fill one value at a time: the same operations as the vector kernels (max and min
/// written as they order NaN), the division only for unsure values. Needs grid_bits > 0.
static inline int32_t kaon_regular_grid_index1(double x, const kaon_regular_axis *a) {
    double t = (x - a->lower) * a->scale;   // separate statements: never contracted into an FMA
    double v = t + a->magic;
    v = a->low > v ? a->low : v;     // _mm256_max_pd(low, v): NaN stays NaN
    v = v < a->high ? v : a->high;   // _mm256_min_pd(v, high): NaN becomes high (overflow)
    int64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int64_t r = bits - a->magic_bits;
    if (__builtin_expect((r & a->frac_mask) == 0, 0)) return kaon_regular_bin_index(x, *a);
    return (int32_t)((r >> a->grid_bits) - 1);
}

#if defined(__x86_64__)
// R = round((t + 1) 2^k) of four values (t clamped, see the top of the file).
__attribute__((target("avx2"), always_inline))
static inline __m256i kaon_regular_grid4(__m256d x, const kaon_regular_axis *a) {
    __m256d t = _mm256_mul_pd(_mm256_sub_pd(x, _mm256_set1_pd(a->lower)), _mm256_set1_pd(a->scale));
    __m256d v = _mm256_add_pd(t, _mm256_set1_pd(a->magic));
    v = _mm256_min_pd(_mm256_max_pd(_mm256_set1_pd(a->low), v), _mm256_set1_pd(a->high));
    return _mm256_sub_epi64(_mm256_castpd_si256(v), _mm256_set1_epi64x(a->magic_bits));
}

// Cell-row positions (index + shift) of four values, -1 where that bin does not exist;
// `unsure` gets all-ones in lanes that must be recomputed by division.
__attribute__((target("avx2"), always_inline))
static inline __m256i kaon_regular_grid_cell4(__m256d x, const kaon_regular_axis *a, __m256i *unsure) {
    __m256i r = kaon_regular_grid4(x, a);
    *unsure = _mm256_cmpeq_epi64(_mm256_and_si256(r, _mm256_set1_epi64x(a->frac_mask)), _mm256_setzero_si256());
    __m256i j = _mm256_add_epi64(_mm256_srl_epi64(r, _mm_cvtsi32_si128(a->grid_bits)), _mm256_set1_epi64x(a->shift - 1));
    __m256i valid = _mm256_andnot_si256(_mm256_cmpgt_epi64(_mm256_setzero_si256(), j),
                                        _mm256_cmpgt_epi64(_mm256_set1_epi64x(a->extent), j));
    return _mm256_or_si256(j, _mm256_andnot_si256(valid, _mm256_set1_epi64x(-1)));
}

// The low 32 bits of four 64-bit lanes.
__attribute__((target("avx2"), always_inline))
static inline __m128i kaon_low32x4(__m256i v) {
    return _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6)));
}

__attribute__((target("avx2")))
static inline void kaon_regular_bin_indices_grid_avx2(const double *x, long count, kaon_regular_axis a, int32_t *out) {
    const __m256i mask = _mm256_set1_epi64x(a.frac_mask), one = _mm256_set1_epi64x(1);
    const __m128i k = _mm_cvtsi32_si128(a.grid_bits);
    long i = 0;
    for (; i + 4 <= count; i += 4) {
        __m256i r = kaon_regular_grid4(_mm256_loadu_pd(x + i), &a);
        _mm_storeu_si128((__m128i *)(out + i), kaon_low32x4(_mm256_sub_epi64(_mm256_srl_epi64(r, k), one)));
        __m256i unsure = _mm256_cmpeq_epi64(_mm256_and_si256(r, mask), _mm256_setzero_si256());
        if (__builtin_expect(!_mm256_testz_si256(unsure, unsure), 0))
            for (long l = i; l < i + 4; l++) out[l] = kaon_regular_bin_index(x[l], a);
    }
    for (; i < count; i++) out[i] = kaon_regular_bin_index(x[i], a);
}

__attribute__((target("avx2")))
static inline void kaon_regular2_cells_grid_avx2(const double *x, const double *y, long count, kaon_regular_axis a,
                                                 kaon_regular_axis b, int32_t *out) {
    const __m256i stride = _mm256_set1_epi64x(b.extent);
    long i = 0;
    for (; i + 4 <= count; i += 4) {
        if (i & 4) {
            __builtin_prefetch(x + i + KAON_REGULAR_PREFETCH_AHEAD, 0, 2);
            __builtin_prefetch(y + i + KAON_REGULAR_PREFETCH_AHEAD, 0, 2);
        }
        __m256i ua, ub;
        __m256i j = kaon_regular_grid_cell4(_mm256_loadu_pd(x + i), &a, &ua);
        __m256i k = kaon_regular_grid_cell4(_mm256_loadu_pd(y + i), &b, &ub);
        // -1 in either lane (as 64-bit all-ones) makes the cell -1 after the or.
        __m256i cell = _mm256_add_epi64(_mm256_mul_epu32(j, stride), k);
        cell = _mm256_or_si256(cell, _mm256_or_si256(_mm256_cmpgt_epi64(_mm256_setzero_si256(), j),
                                                     _mm256_cmpgt_epi64(_mm256_setzero_si256(), k)));
        _mm_storeu_si128((__m128i *)(out + i), kaon_low32x4(cell));
        __m256i unsure = _mm256_or_si256(ua, ub);
        if (__builtin_expect(!_mm256_testz_si256(unsure, unsure), 0))
            for (long l = i; l < i + 4; l++) out[l] = kaon_regular2_cell(x[l], y[l], a, b);
    }
    for (; i < count; i++) out[i] = kaon_regular2_cell(x[i], y[i], a, b);
}

#define KAON_AVX512 "avx512f,avx512dq,avx512vl"

// R of eight values, and the mask of the sure lanes.
__attribute__((target(KAON_AVX512), always_inline))
static inline __m512i kaon_regular_grid8(__m512d x, const kaon_regular_axis *a, __mmask8 *sure) {
    __m512d t = _mm512_mul_pd(_mm512_sub_pd(x, _mm512_set1_pd(a->lower)), _mm512_set1_pd(a->scale));
    __m512d v = _mm512_add_pd(t, _mm512_set1_pd(a->magic));
    v = _mm512_min_pd(_mm512_max_pd(_mm512_set1_pd(a->low), v), _mm512_set1_pd(a->high));
    __m512i r = _mm512_sub_epi64(_mm512_castpd_si512(v), _mm512_set1_epi64(a->magic_bits));
    *sure = _mm512_test_epi64_mask(r, _mm512_set1_epi64(a->frac_mask));
    return r;
}

__attribute__((target(KAON_AVX512)))
static inline void kaon_regular_bin_indices_grid_avx512(const double *x, long count, kaon_regular_axis a, int32_t *out) {
    const __m128i k = _mm_cvtsi32_si128(a.grid_bits);
    const __m512i one = _mm512_set1_epi64(1);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __mmask8 sure;
        __m512i r = kaon_regular_grid8(_mm512_loadu_pd(x + i), &a, &sure);
        _mm256_storeu_si256((__m256i *)(out + i), _mm512_cvtepi64_epi32(_mm512_sub_epi64(_mm512_srl_epi64(r, k), one)));
        if (__builtin_expect(sure != 0xFF, 0))
            for (long l = i; l < i + 8; l++) out[l] = kaon_regular_bin_index(x[l], a);
    }
    for (; i < count; i++) out[i] = kaon_regular_bin_index(x[i], a);
}

// Cell-row positions of eight values (64-bit lanes), and the mask of the existing bins.
__attribute__((target(KAON_AVX512), always_inline))
static inline __m512i kaon_regular_grid_cell8(__m512d x, const kaon_regular_axis *a, __mmask8 *sure, __mmask8 *valid) {
    __m512i r = kaon_regular_grid8(x, a, sure);
    __m512i j = _mm512_add_epi64(_mm512_srl_epi64(r, _mm_cvtsi32_si128(a->grid_bits)), _mm512_set1_epi64(a->shift - 1));
    *valid = _mm512_cmplt_epu64_mask(j, _mm512_set1_epi64(a->extent));  // -1 is a huge unsigned value
    return j;
}

__attribute__((target(KAON_AVX512)))
static inline void kaon_regular2_cells_grid_avx512(const double *x, const double *y, long count, kaon_regular_axis a,
                                                   kaon_regular_axis b, int32_t *out) {
    const __m512i stride = _mm512_set1_epi64(b.extent), none = _mm512_set1_epi64(-1);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __builtin_prefetch(x + i + KAON_REGULAR_PREFETCH_AHEAD, 0, 2);
        __builtin_prefetch(y + i + KAON_REGULAR_PREFETCH_AHEAD, 0, 2);
        __mmask8 sa, sb, va, vb;
        __m512i j = kaon_regular_grid_cell8(_mm512_loadu_pd(x + i), &a, &sa, &va);
        __m512i k = kaon_regular_grid_cell8(_mm512_loadu_pd(y + i), &b, &sb, &vb);
        __m512i cell = _mm512_mask_add_epi64(none, va & vb, _mm512_mul_epu32(j, stride), k);
        _mm256_storeu_si256((__m256i *)(out + i), _mm512_cvtepi64_epi32(cell));
        if (__builtin_expect((sa & sb) != 0xFF, 0))
            for (long l = i; l < i + 8; l++) out[l] = kaon_regular2_cell(x[l], y[l], a, b);
    }
    for (; i < count; i++) out[i] = kaon_regular2_cell(x[i], y[i], a, b);
}
#endif
#endif
