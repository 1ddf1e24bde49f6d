// Bin indices on variable axes for KaonHist's column fills. boost-histogram's rule: the bin
// of x is upper_bound(edges, x) - 1 (the number of edges <= x, minus one), so NaN, which
// compares false with every edge, lands in the overflow bin; without an overflow bin the last
// edge belongs to the last bin. The scalar search branches on every step and mispredicts
// about half of them on real data (~35 M values/s on 100 bins); the AVX-512 kernel searches
// eight values at once with gathers and no data-dependent branch.
#ifndef KAON_VARIABLE_BIN_INDICES_H
#define KAON_VARIABLE_BIN_INDICES_H
#include <stdint.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// One value (the reference; VariableAxis.index in Swift is the same search).
static inline int32_t kaon_variable_bin_index(double x, const double *edges, long n, int overflow) {
    if (!overflow && x == edges[n - 1]) return (int32_t)(n - 2);
    long lo = 0, count = n;
    while (count > 0) {
        long half = count >> 1;
        if (!(x < edges[lo + half])) {
            lo += half + 1;
            count -= half + 1;
        } else {
            count = half;
        }
    }
    return (int32_t)(lo - 1);
}

#if defined(__x86_64__)
// Eight values: a fixed sequence of halvings (it depends only on n) keeps the upper bound in
// base ... base + len; each step moves base to the probe in the lanes where !(x < edge).
__attribute__((target("avx512f,avx512dq,avx512vl")))
static inline void kaon_variable_bin_indices_avx512(const double *x, long count, const double *edges, long n,
                                                    int overflow, int32_t *out) {
    const __m512i one = _mm512_set1_epi64(1), lastBin = _mm512_set1_epi64(n - 2);
    const __m512d last = _mm512_set1_pd(edges[n - 1]);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m512d v = _mm512_loadu_pd(x + i);
        __m512i base = _mm512_setzero_si512();
        for (long len = n; len > 1;) {
            long half = len >> 1;
            __m512i probe = _mm512_add_epi64(base, _mm512_set1_epi64(half));
            __mmask8 right = _mm512_cmp_pd_mask(v, _mm512_i64gather_pd(probe, edges, 8), _CMP_NLT_UQ);
            base = _mm512_mask_mov_epi64(base, right, probe);
            len -= half;
        }
        // upper bound = base + !(x < edges[base]); the bin is one less.
        __mmask8 right = _mm512_cmp_pd_mask(v, _mm512_i64gather_pd(base, edges, 8), _CMP_NLT_UQ);
        __m512i bin = _mm512_mask_mov_epi64(_mm512_sub_epi64(base, one), right, base);
        if (!overflow) bin = _mm512_mask_mov_epi64(bin, _mm512_cmp_pd_mask(v, last, _CMP_EQ_OQ), lastBin);
        _mm256_storeu_si256((__m256i *)(out + i), _mm512_cvtepi64_epi32(bin));
    }
    for (; i < count; i++) out[i] = kaon_variable_bin_index(x[i], edges, n, overflow);
}
#endif

/// Writes the bin index of each of `count` values on the axis with the `n` increasing
/// `edges` (see kaon_variable_bin_index): kernel 0 is the scalar search, 1 the AVX-512 one.
/// Returns 0, writing nothing, if `kernel` cannot run on this processor.
static inline int kaon_variable_bin_indices_using(int kernel, const double *x, long count, const double *edges, long n,
                                                  int overflow, int32_t *out) {
#if defined(__x86_64__)
    if (kernel == 1) {
        if (!(__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")))
            return 0;
        kaon_variable_bin_indices_avx512(x, count, edges, n, overflow, out);
        return 1;
    }
#endif
    if (kernel != 0) return 0;
    for (long i = 0; i < count; i++) out[i] = kaon_variable_bin_index(x[i], edges, n, overflow);
    return 1;
}

/// The fastest kernel for variable axes on this processor (1 with AVX-512, else 0).
static inline int kaon_variable_best_kernel(void) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return 1;
#endif
    return 0;
}
#endif
