// Bin indices on a regular axis for KaonHist's column fills, four values at a time with AVX2
// when the processor has it. Both paths evaluate boost-histogram's formula exactly,
// z = (x - lower) / delta, bin = (int)(z * size) for 0 <= z < 1, so every value lands in the
// bin boost-histogram puts it in; vector division is correctly rounded like scalar division.
#ifndef KAON_REGULAR_BIN_INDICES_H
#define KAON_REGULAR_BIN_INDICES_H
#include <stdint.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// One value: -1 below the axis, `size` above it or NaN; `top` for z == 1 exactly (size - 1
// when the axis has no overflow bin and its upper edge is inclusive, else size).
static inline int32_t kaon_regular_bin_index(double x, double lower, double delta, double size, double top) {
    double z = (x - lower) / delta;
    if (z < 1) return z >= 0 ? (int32_t)(z * size) : -1;
    return z == 1 ? (int32_t)top : (int32_t)size;
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static inline void kaon_regular_bin_indices_avx2(const double *x, long count, double lower, double delta,
                                                 double size, double top, int32_t *out) {
    const __m256d lo = _mm256_set1_pd(lower), width = _mm256_set1_pd(delta), n = _mm256_set1_pd(size);
    const __m256d one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd(), minus = _mm256_set1_pd(-1.0);
    const __m256d upper = _mm256_set1_pd(top);
    long i = 0;
    for (; i + 4 <= count; i += 4) {
        __m256d z = _mm256_div_pd(_mm256_sub_pd(_mm256_loadu_pd(x + i), lo), width);
        // Start from "above" (also NaN), then z == 1, then below, then inside: same order of
        // tests as the scalar formula, so every lane gets what kaon_regular_bin_index gives.
        __m256d v = _mm256_blendv_pd(n, upper, _mm256_cmp_pd(z, one, _CMP_EQ_OQ));
        v = _mm256_blendv_pd(v, minus, _mm256_cmp_pd(z, zero, _CMP_LT_OQ));
        __m256d inside = _mm256_and_pd(_mm256_cmp_pd(z, one, _CMP_LT_OQ), _mm256_cmp_pd(z, zero, _CMP_GE_OQ));
        v = _mm256_blendv_pd(v, _mm256_mul_pd(z, n), inside);
        _mm_storeu_si128((__m128i *)(out + i), _mm256_cvttpd_epi32(v));
    }
    for (; i < count; i++) out[i] = kaon_regular_bin_index(x[i], lower, delta, size, top);
}
#endif

/// Writes the bin index of each of `count` values to `out` (see kaon_regular_bin_index).
static inline void kaon_regular_bin_indices(const double *x, long count, double lower, double delta,
                                            double size, double top, int32_t *out) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) {
        kaon_regular_bin_indices_avx2(x, count, lower, delta, size, top, out);
        return;
    }
#endif
    for (long i = 0; i < count; i++) out[i] = kaon_regular_bin_index(x[i], lower, delta, size, top);
}
#endif
