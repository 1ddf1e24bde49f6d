// Bin indices on regular axes for KaonHist's column fills. The reference is boost-histogram's
// formula, z = (x - lower) / delta, bin = (int)(z * size) for 0 <= z < 1, evaluated here by
// scalar C and, four values at a time, with AVX2 (vector division is correctly rounded like
// scalar division). Faster still, regular_grid_index.h multiplies instead of dividing and
// proves for each value that it gets the same bin (recomputing the few it cannot prove by
// division); the dispatchers at the end use it with AVX-512 or AVX2 when the processor has
// them.
#ifndef KAON_REGULAR_BIN_INDICES_H
#define KAON_REGULAR_BIN_INDICES_H
#include <stdint.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// A regular axis as the kernels see it: `top` is the index of z == 1 exactly (size - 1
/// when the axis has no overflow bin and its upper edge is inclusive, else size); `shift`
/// (1 with an underflow bin) and `extent` (bins including flow) place indices in a cell row.
/// The remaining fields belong to the multiply-based index (regular_grid_index.h; grid_bits
/// 0: not usable for this axis). Make one with kaon_regular_axis_make.
typedef struct {
    double lower, delta, size, top;
    int32_t shift, extent;
    double scale, magic, low, high;
    int64_t magic_bits, frac_mask;
    int32_t grid_bits;
} kaon_regular_axis;

// One value: -1 below the axis, `size` above it or NaN, `top` for z == 1.
static inline int32_t kaon_regular_bin_index(double x, kaon_regular_axis a) {
    double z = (x - a.lower) / a.delta;
    if (z < 1) return z >= 0 ? (int32_t)(z * a.size) : -1;
    return z == 1 ? (int32_t)a.top : (int32_t)a.size;
}

// Position in the axis' cell row (index + shift), or -1 if that bin does not exist.
static inline int32_t kaon_regular_cell(double x, kaon_regular_axis a) {
    int32_t j = kaon_regular_bin_index(x, a) + a.shift;
    return (j >= 0 && j < a.extent) ? j : -1;
}

// Cell offset of (x, y) in a 2D histogram with axes a and b (row-major, flow bins included),
// or -1 if that bin does not exist: the division's answer, which the vector kernels fall back to.
static inline int32_t kaon_regular2_cell(double x, double y, kaon_regular_axis a, kaon_regular_axis b) {
    int32_t j = kaon_regular_cell(x, a), k = kaon_regular_cell(y, b);
    return (j < 0 || k < 0) ? -1 : j * b.extent + k;
}

#if defined(__x86_64__)
// Four bin indices (kaon_regular_bin_index of each lane).
__attribute__((target("avx2"), always_inline))
static inline __m128i kaon_regular_bin_index4(__m256d x, kaon_regular_axis a) {
    const __m256d n = _mm256_set1_pd(a.size), one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
    __m256d z = _mm256_div_pd(_mm256_sub_pd(x, _mm256_set1_pd(a.lower)), _mm256_set1_pd(a.delta));
    // Start from "above" (also NaN), then z == 1, then below, then inside: same order of
    // tests as the scalar formula, so every lane gets what kaon_regular_bin_index gives.
    __m256d v = _mm256_blendv_pd(n, _mm256_set1_pd(a.top), _mm256_cmp_pd(z, one, _CMP_EQ_OQ));
    v = _mm256_blendv_pd(v, _mm256_set1_pd(-1.0), _mm256_cmp_pd(z, zero, _CMP_LT_OQ));
    __m256d inside = _mm256_and_pd(_mm256_cmp_pd(z, one, _CMP_LT_OQ), _mm256_cmp_pd(z, zero, _CMP_GE_OQ));
    v = _mm256_blendv_pd(v, _mm256_mul_pd(z, n), inside);
    return _mm256_cvttpd_epi32(v);
}

// Four cell-row positions (kaon_regular_cell of each lane), and a mask of the valid lanes.
__attribute__((target("avx2"), always_inline))
static inline __m128i kaon_regular_cell4(__m256d x, kaon_regular_axis a, __m128i *valid) {
    __m128i j = _mm_add_epi32(kaon_regular_bin_index4(x, a), _mm_set1_epi32(a.shift));
    *valid = _mm_andnot_si128(_mm_cmpgt_epi32(_mm_setzero_si128(), j), _mm_cmpgt_epi32(_mm_set1_epi32(a.extent), j));
    return j;
}

__attribute__((target("avx2")))
static inline void kaon_regular_bin_indices_avx2(const double *x, long count, kaon_regular_axis a, int32_t *out) {
    long i = 0;
    for (; i + 4 <= count; i += 4) _mm_storeu_si128((__m128i *)(out + i), kaon_regular_bin_index4(_mm256_loadu_pd(x + i), a));
    for (; i < count; i++) out[i] = kaon_regular_bin_index(x[i], a);
}

__attribute__((target("avx2")))
static inline void kaon_regular2_cells_avx2(const double *x, const double *y, long count, kaon_regular_axis a,
                                            kaon_regular_axis b, int32_t *out) {
    const __m128i stride = _mm_set1_epi32(b.extent), none = _mm_set1_epi32(-1);
    long i = 0;
    for (; i + 4 <= count; i += 4) {
        __m128i va, vb;
        __m128i j = kaon_regular_cell4(_mm256_loadu_pd(x + i), a, &va);
        __m128i k = kaon_regular_cell4(_mm256_loadu_pd(y + i), b, &vb);
        __m128i cell = _mm_add_epi32(_mm_mullo_epi32(j, stride), k);
        _mm_storeu_si128((__m128i *)(out + i), _mm_blendv_epi8(none, cell, _mm_and_si128(va, vb)));
    }
    for (; i < count; i++) out[i] = kaon_regular2_cell(x[i], y[i], a, b);
}
#endif

#include "regular_grid_index.h"

/// Kernels, from the reference to the fastest: kaon_regular_bin_indices_using and
/// kaon_regular2_cells_using take one of these so that tests can check each against the scalar
/// formula on any machine (they return 0 if the processor or the axis cannot use it).
enum {
    kaon_regular_kernel_scalar = 0,
    kaon_regular_kernel_avx2_division = 1,
    kaon_regular_kernel_avx2_grid = 2,
    kaon_regular_kernel_avx512_grid = 3,
};

// Whether `kernel` runs on this processor for these axes (b may be NULL).
static inline int kaon_regular_kernel_usable(int kernel, const kaon_regular_axis *a, const kaon_regular_axis *b) {
    int grid = a->grid_bits > 0 && (b == 0 || b->grid_bits > 0);
#if defined(__x86_64__)
    switch (kernel) {
    case kaon_regular_kernel_scalar: return 1;
    case kaon_regular_kernel_avx2_division: return __builtin_cpu_supports("avx2");
    case kaon_regular_kernel_avx2_grid: return grid && __builtin_cpu_supports("avx2");
    case kaon_regular_kernel_avx512_grid:
        return grid && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512vl");
    default: return 0;
    }
#else
    (void)grid;
    return kernel == kaon_regular_kernel_scalar;
#endif
}

/// Writes the bin index of each of `count` values to `out` (see kaon_regular_bin_index) with
/// the given kernel; returns 0 (writing nothing) if it cannot run here.
static inline int kaon_regular_bin_indices_using(int kernel, const double *x, long count, kaon_regular_axis a,
                                                 int32_t *out) {
    if (!kaon_regular_kernel_usable(kernel, &a, 0)) return 0;
#if defined(__x86_64__)
    switch (kernel) {
    case kaon_regular_kernel_avx2_division: kaon_regular_bin_indices_avx2(x, count, a, out); return 1;
    case kaon_regular_kernel_avx2_grid: kaon_regular_bin_indices_grid_avx2(x, count, a, out); return 1;
    case kaon_regular_kernel_avx512_grid: kaon_regular_bin_indices_grid_avx512(x, count, a, out); return 1;
    default: break;
    }
#endif
    for (long i = 0; i < count; i++) out[i] = kaon_regular_bin_index(x[i], a);
    return 1;
}

/// Writes, for each (x, y) pair, the offset of its cell in a row-major array of
/// a.extent × b.extent cells (flow bins included), or -1 if the pair falls into a bin that
/// does not exist (a missing flow bin), with the given kernel; returns 0 if it cannot run here.
static inline int kaon_regular2_cells_using(int kernel, const double *x, const double *y, long count,
                                            kaon_regular_axis a, kaon_regular_axis b, int32_t *out) {
    if (!kaon_regular_kernel_usable(kernel, &a, &b)) return 0;
#if defined(__x86_64__)
    switch (kernel) {
    case kaon_regular_kernel_avx2_division: kaon_regular2_cells_avx2(x, y, count, a, b, out); return 1;
    case kaon_regular_kernel_avx2_grid: kaon_regular2_cells_grid_avx2(x, y, count, a, b, out); return 1;
    case kaon_regular_kernel_avx512_grid: kaon_regular2_cells_grid_avx512(x, y, count, a, b, out); return 1;
    default: break;
    }
#endif
    for (long i = 0; i < count; i++) out[i] = kaon_regular2_cell(x[i], y[i], a, b);
    return 1;
}

/// The fastest kernel usable here for these axes (b may be NULL). Call once per fill, not per block.
static inline int kaon_regular_best_kernel(const kaon_regular_axis *a, const kaon_regular_axis *b) {
    for (int kernel = kaon_regular_kernel_avx512_grid; kernel > kaon_regular_kernel_scalar; kernel--)
        if (kaon_regular_kernel_usable(kernel, a, b)) return kernel;
    return kaon_regular_kernel_scalar;
}
#endif
