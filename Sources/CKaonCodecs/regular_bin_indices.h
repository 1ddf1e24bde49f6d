// Bin indices on regular axes for KaonHist's column fills, four values at a time with AVX2
// when the processor has it. Both paths evaluate boost-histogram's formula exactly,
// z = (x - lower) / delta, bin = (int)(z * size) for 0 <= z < 1, so every value lands in the
// bin boost-histogram puts it in; vector division is correctly rounded like scalar division.
#ifndef KAON_REGULAR_BIN_INDICES_H
#define KAON_REGULAR_BIN_INDICES_H
#include <stdint.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// A regular axis as the kernels see it: `top` is the index of z == 1 exactly (size - 1
/// when the axis has no overflow bin and its upper edge is inclusive, else size); `shift`
/// (1 with an underflow bin) and `extent` (bins including flow) place indices in a cell row.
typedef struct {
    double lower, delta, size, top;
    int32_t shift, extent;
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
    for (; i < count; i++) {
        int32_t j = kaon_regular_cell(x[i], a), k = kaon_regular_cell(y[i], b);
        out[i] = (j < 0 || k < 0) ? -1 : j * b.extent + k;
    }
}
#endif

/// Writes the bin index of each of `count` values to `out` (see kaon_regular_bin_index).
static inline void kaon_regular_bin_indices(const double *x, long count, kaon_regular_axis a, int32_t *out) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) {
        kaon_regular_bin_indices_avx2(x, count, a, out);
        return;
    }
#endif
    for (long i = 0; i < count; i++) out[i] = kaon_regular_bin_index(x[i], a);
}

/// Writes, for each (x, y) pair, the offset of its cell in a row-major array of
/// a.extent × b.extent cells (flow bins included), or -1 if the pair falls into a bin that
/// does not exist (a missing flow bin).
static inline void kaon_regular2_cells(const double *x, const double *y, long count, kaon_regular_axis a,
                                       kaon_regular_axis b, int32_t *out) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) {
        kaon_regular2_cells_avx2(x, y, count, a, b, out);
        return;
    }
#endif
    for (long i = 0; i < count; i++) {
        int32_t j = kaon_regular_cell(x[i], a), k = kaon_regular_cell(y[i], b);
        out[i] = (j < 0 || k < 0) ? -1 : j * b.extent + k;
    }
}
#endif
