// (pt, eta, phi, m) -> (px, py, pz, E) without libm, with a proven error bound, 4 objects at a
// time with AVX2. Used to *screen* combinations (Q6's trijets): the answer is then confirmed
// with the exact libm conversion, which is what ROOT computes (pt cos(phi), pt sin(phi),
// pt sinh(eta), sqrt((pt cosh(eta))^2 + m^2)). These values are NOT bit-identical to those.
//
// Error bound. Write u = 2^-53 and E = sqrt((pt cosh eta)^2 + m^2) (m >= 0, so E >= |pt| cosh eta).
// * sin/cos: k = round(phi 2/pi) (|k| <= 4 for |phi| <= 6.5), r = (phi - k C1) - k C2 with
//   C1 + C2 = pi/2 to 2^-84 and C1 of 29 bits: k C1 is exact and phi - k C1 is exact (Sterbenz
//   for k != 0), so |r - (phi - k pi/2)| <= 2u|r| + 4 * 2^-84. Taylor polynomials of degree 15
//   (sin) and 16 (cos) on |r| <= pi/4 + 2^-20 truncate below 5e-17; Horner's rule in double
//   with coefficients 1/n! rounded adds at most ~4u. So |sin_fast - sin| and |cos_fast - cos|
//   are below 1e-15.
// * exp: k = round(eta / ln 2) (|k| <= 44 for |eta| <= 30), r = (eta - k L1) - k L2 the same way
//   (|r| <= 0.3466 + 2^-20), e^r = even(r) + odd(r) from the Taylor polynomial of degree 13
//   (truncation below 5e-18) and e^-r = even(r) - odd(r); scaling by 2^+-k is exact. Each of
//   e^eta, e^-eta has a relative error below 1e-15, so sinh_fast = (e^eta - e^-eta)/2 and
//   cosh_fast = (e^eta + e^-eta)/2 are within 2e-15 cosh(eta) of sinh and cosh.
// * px, py, pz are within 3e-15 |pt| cosh(eta) <= 3e-15 E of the real numbers pt cos phi,
//   pt sin phi, pt sinh eta; E (through p^2 + m^2 and a square root) within 6e-15 E.
// libm (glibc: sin, cos 1 ulp; sinh, cosh 2 ulp) and the rounding of ROOT's products put the
// exact conversion within 1e-15 E of the same real numbers, so every fast component is within
// KAON_FAST_CARTESIAN_ERROR * E of the exact one, with a safety factor of more than 2 (the
// largest difference measured over 20 million random inputs is 7e-16 E; FastCartesianTests
// checks the bound on random inputs and at the reductions' switch points).
//
// Only inputs kaon_fast_cartesian_accepts are converted (the others get a NaN energy): finite,
// |phi| <= 6.5, |eta| <= 30, 0 <= m, |pt| and m <= 1e15 (so nothing overflows and E bounds
// every component). A negative mass is rejected because E = sqrt(max(p^2 - m^2, 0)) has no
// relative error bound near 0. The AVX2 and the scalar kernels perform the same IEEE operations in the same order
// (no contraction into FMAs: see the pragma), so they return bit-identical values.
#ifndef KAON_FAST_CARTESIAN_H
#define KAON_FAST_CARTESIAN_H
#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#pragma clang fp contract(off)

/// Bound on |fast - exact| of px, py, pz and E, in units of the object's energy E.
#define KAON_FAST_CARTESIAN_ERROR 1.6e-14

// Rounds to nearest (even) by adding and subtracting 1.5 * 2^52 (valid for |x| < 2^51); the sum's
// low mantissa bits are the integer itself.
#define KAON_FAST_ROUNDER 0x1.8p52
#define KAON_FAST_PIO2_HI 0x1.921fb54p+0
#define KAON_FAST_PIO2_LO 0x1.10b4611a62633p-30
#define KAON_FAST_LN2_HI 0x1.62e42fep-1
#define KAON_FAST_LN2_LO 0x1.f473de6af278fp-30
#define KAON_FAST_2_OVER_PI 0.6366197723675814
#define KAON_FAST_1_OVER_LN2 1.4426950408889634

/// Whether the fast conversion (and its error bound) covers this object.
static inline int kaon_fast_cartesian_accepts(float pt, float eta, float phi, float mass) {
    // Written so that NaN fails every test.
    return fabsf(pt) <= 1e15f && fabsf(eta) <= 30.0f && fabsf(phi) <= 6.5f && mass >= 0.0f && mass <= 1e15f;
}

/// The fast conversion of one object (the scalar kernel; inputs must be accepted).
static inline void kaon_fast_cartesian1(float ptf, float etaf, float phif, float massf,
                                        double *px, double *py, double *pz, double *e) {
    double pt = ptf, eta = etaf, phi = phif, mass = massf;
    // sin, cos: quadrant q = k mod 4, reduced argument r.
    double kr = phi * KAON_FAST_2_OVER_PI + KAON_FAST_ROUNDER;
    double k = kr - KAON_FAST_ROUNDER;
    uint64_t kbits; memcpy(&kbits, &kr, 8);
    double r = (phi - k * KAON_FAST_PIO2_HI) - k * KAON_FAST_PIO2_LO;
    double r2 = r * r;
    double s = r + (r * r2) * (-0.16666666666666666 + r2 * (0.008333333333333333 + r2 * (-0.0001984126984126984 +
               r2 * (2.7557319223985893e-06 + r2 * (-2.505210838544172e-08 + r2 * (1.6059043836821613e-10 +
               r2 * (-7.647163731819816e-13)))))));
    double c = 1.0 + r2 * (-0.5 + r2 * (0.041666666666666664 + r2 * (-0.001388888888888889 + r2 * (2.48015873015873e-05 +
               r2 * (-2.755731922398589e-07 + r2 * (2.08767569878681e-09 + r2 * (-1.1470745597729725e-11 +
               r2 * 4.779477332387385e-14)))))));
    uint64_t q = kbits & 3;
    double sinPhi = (q & 1) ? c : s, cosPhi = (q & 1) ? s : c;
    if (q & 2) sinPhi = -sinPhi;
    if ((q + 1) & 2) cosPhi = -cosPhi;
    // e^eta and e^-eta from one reduced argument.
    double jr = eta * KAON_FAST_1_OVER_LN2 + KAON_FAST_ROUNDER;
    double j = jr - KAON_FAST_ROUNDER;
    uint64_t jbits; memcpy(&jbits, &jr, 8);
    double t = (eta - j * KAON_FAST_LN2_HI) - j * KAON_FAST_LN2_LO;
    double t2 = t * t;
    double even = 1.0 + t2 * (0.5 + t2 * (0.041666666666666664 + t2 * (0.001388888888888889 + t2 * (2.48015873015873e-05 +
                  t2 * (2.755731922398589e-07 + t2 * 2.08767569878681e-09)))));
    double odd = t * (1.0 + t2 * (0.16666666666666666 + t2 * (0.008333333333333333 + t2 * (0.0001984126984126984 +
                 t2 * (2.7557319223985893e-06 + t2 * (2.505210838544172e-08 + t2 * 1.6059043836821613e-10))))));
    // 2^j and 2^-j from the rounder's low bits (j is a small integer).
    int64_t ji = (int64_t)(jbits - 0x4338000000000000ull);
    uint64_t up = (uint64_t)(1023 + ji) << 52, down = (uint64_t)(1023 - ji) << 52;
    double scaleUp, scaleDown; memcpy(&scaleUp, &up, 8); memcpy(&scaleDown, &down, 8);
    double ePlus = (even + odd) * scaleUp, eMinus = (even - odd) * scaleDown;
    double sinhEta = (ePlus - eMinus) * 0.5, coshEta = (ePlus + eMinus) * 0.5;
    double p = pt * coshEta;
    *px = pt * cosPhi;
    *py = pt * sinPhi;
    *pz = pt * sinhEta;
    *e = sqrt(p * p + mass * mass);
}

#if defined(__x86_64__)
/// The fast conversion of 4 objects (AVX2): the scalar kernel's operations, lane by lane.
__attribute__((target("avx2"), always_inline))
static inline void kaon_fast_cartesian4(__m256d pt, __m256d eta, __m256d phi, __m256d mass,
                                        __m256d *px, __m256d *py, __m256d *pz, __m256d *e) {
    const __m256d rounder = _mm256_set1_pd(KAON_FAST_ROUNDER);
#define KAON_C(x) _mm256_set1_pd(x)
#define KAON_ADD _mm256_add_pd
#define KAON_MUL _mm256_mul_pd
    __m256d kr = KAON_ADD(KAON_MUL(phi, KAON_C(KAON_FAST_2_OVER_PI)), rounder);
    __m256d k = _mm256_sub_pd(kr, rounder);
    __m256d r = _mm256_sub_pd(_mm256_sub_pd(phi, KAON_MUL(k, KAON_C(KAON_FAST_PIO2_HI))), KAON_MUL(k, KAON_C(KAON_FAST_PIO2_LO)));
    __m256d r2 = KAON_MUL(r, r);
    __m256d s = KAON_ADD(KAON_MUL(r2, KAON_C(-7.647163731819816e-13)), KAON_C(1.6059043836821613e-10));
    s = KAON_ADD(KAON_MUL(r2, s), KAON_C(-2.505210838544172e-08));
    s = KAON_ADD(KAON_MUL(r2, s), KAON_C(2.7557319223985893e-06));
    s = KAON_ADD(KAON_MUL(r2, s), KAON_C(-0.0001984126984126984));
    s = KAON_ADD(KAON_MUL(r2, s), KAON_C(0.008333333333333333));
    s = KAON_ADD(KAON_MUL(r2, s), KAON_C(-0.16666666666666666));
    s = KAON_ADD(r, KAON_MUL(KAON_MUL(r, r2), s));
    __m256d c = KAON_ADD(KAON_MUL(r2, KAON_C(4.779477332387385e-14)), KAON_C(-1.1470745597729725e-11));
    c = KAON_ADD(KAON_MUL(r2, c), KAON_C(2.08767569878681e-09));
    c = KAON_ADD(KAON_MUL(r2, c), KAON_C(-2.755731922398589e-07));
    c = KAON_ADD(KAON_MUL(r2, c), KAON_C(2.48015873015873e-05));
    c = KAON_ADD(KAON_MUL(r2, c), KAON_C(-0.001388888888888889));
    c = KAON_ADD(KAON_MUL(r2, c), KAON_C(0.041666666666666664));
    c = KAON_ADD(KAON_MUL(r2, c), KAON_C(-0.5));
    c = KAON_ADD(KAON_C(1.0), KAON_MUL(r2, c));
    __m256i q = _mm256_and_si256(_mm256_castpd_si256(kr), _mm256_set1_epi64x(3));
    __m256d swap = _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(q, _mm256_set1_epi64x(1)), _mm256_set1_epi64x(1)));
    __m256d sinPhi = _mm256_blendv_pd(s, c, swap), cosPhi = _mm256_blendv_pd(c, s, swap);
    // Sign bits: bit 1 of q for sin, bit 1 of q + 1 for cos, moved to bit 63.
    __m256d sinSign = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_and_si256(q, _mm256_set1_epi64x(2)), 62));
    __m256d cosSign = _mm256_castsi256_pd(_mm256_slli_epi64(
        _mm256_and_si256(_mm256_add_epi64(q, _mm256_set1_epi64x(1)), _mm256_set1_epi64x(2)), 62));
    sinPhi = _mm256_xor_pd(sinPhi, sinSign);
    cosPhi = _mm256_xor_pd(cosPhi, cosSign);

    __m256d jr = KAON_ADD(KAON_MUL(eta, KAON_C(KAON_FAST_1_OVER_LN2)), rounder);
    __m256d j = _mm256_sub_pd(jr, rounder);
    __m256d t = _mm256_sub_pd(_mm256_sub_pd(eta, KAON_MUL(j, KAON_C(KAON_FAST_LN2_HI))), KAON_MUL(j, KAON_C(KAON_FAST_LN2_LO)));
    __m256d t2 = KAON_MUL(t, t);
    __m256d even = KAON_ADD(KAON_MUL(t2, KAON_C(2.08767569878681e-09)), KAON_C(2.755731922398589e-07));
    even = KAON_ADD(KAON_MUL(t2, even), KAON_C(2.48015873015873e-05));
    even = KAON_ADD(KAON_MUL(t2, even), KAON_C(0.001388888888888889));
    even = KAON_ADD(KAON_MUL(t2, even), KAON_C(0.041666666666666664));
    even = KAON_ADD(KAON_MUL(t2, even), KAON_C(0.5));
    even = KAON_ADD(KAON_C(1.0), KAON_MUL(t2, even));
    __m256d odd = KAON_ADD(KAON_MUL(t2, KAON_C(1.6059043836821613e-10)), KAON_C(2.505210838544172e-08));
    odd = KAON_ADD(KAON_MUL(t2, odd), KAON_C(2.7557319223985893e-06));
    odd = KAON_ADD(KAON_MUL(t2, odd), KAON_C(0.0001984126984126984));
    odd = KAON_ADD(KAON_MUL(t2, odd), KAON_C(0.008333333333333333));
    odd = KAON_ADD(KAON_MUL(t2, odd), KAON_C(0.16666666666666666));
    odd = KAON_MUL(t, KAON_ADD(KAON_C(1.0), KAON_MUL(t2, odd)));
    __m256i ji = _mm256_sub_epi64(_mm256_castpd_si256(jr), _mm256_set1_epi64x(0x4338000000000000ll));
    __m256d scaleUp = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(_mm256_set1_epi64x(1023), ji), 52));
    __m256d scaleDown = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_sub_epi64(_mm256_set1_epi64x(1023), ji), 52));
    __m256d ePlus = KAON_MUL(KAON_ADD(even, odd), scaleUp), eMinus = KAON_MUL(_mm256_sub_pd(even, odd), scaleDown);
    __m256d sinhEta = KAON_MUL(_mm256_sub_pd(ePlus, eMinus), KAON_C(0.5));
    __m256d coshEta = KAON_MUL(KAON_ADD(ePlus, eMinus), KAON_C(0.5));
    __m256d p = KAON_MUL(pt, coshEta);
    *px = KAON_MUL(pt, cosPhi);
    *py = KAON_MUL(pt, sinPhi);
    *pz = KAON_MUL(pt, sinhEta);
    *e = _mm256_sqrt_pd(KAON_ADD(KAON_MUL(p, p), KAON_MUL(mass, mass)));
#undef KAON_C
#undef KAON_ADD
#undef KAON_MUL
}

// Whole vectors for the first n - n % 4 objects (the scalar kernel does the rest): non-accepted
// objects get a NaN energy.
__attribute__((target("avx2")))
static inline void kaon_fast_cartesian_avx2(const float *pt, const float *eta, const float *phi, const float *mass, long n,
                                            double *px, double *py, double *pz, double *e) {
    const __m128 signless = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
    const __m256d nan = _mm256_set1_pd(NAN);
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        __m128 a = _mm_loadu_ps(pt + i), b = _mm_loadu_ps(eta + i), c = _mm_loadu_ps(phi + i), d = _mm_loadu_ps(mass + i);
        // kaon_fast_cartesian_accepts, lane by lane (ordered compares: NaN fails).
        __m128 ok = _mm_and_ps(_mm_cmp_ps(_mm_and_ps(a, signless), _mm_set1_ps(1e15f), _CMP_LE_OQ),
                               _mm_cmp_ps(_mm_and_ps(b, signless), _mm_set1_ps(30.0f), _CMP_LE_OQ));
        ok = _mm_and_ps(ok, _mm_cmp_ps(_mm_and_ps(c, signless), _mm_set1_ps(6.5f), _CMP_LE_OQ));
        ok = _mm_and_ps(ok, _mm_and_ps(_mm_cmp_ps(d, _mm_setzero_ps(), _CMP_GE_OQ), _mm_cmp_ps(d, _mm_set1_ps(1e15f), _CMP_LE_OQ)));
        __m256d x, y, z, t;
        kaon_fast_cartesian4(_mm256_cvtps_pd(a), _mm256_cvtps_pd(b), _mm256_cvtps_pd(c), _mm256_cvtps_pd(d), &x, &y, &z, &t);
        t = _mm256_blendv_pd(nan, t, _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm_castps_si128(ok))));
        _mm256_storeu_pd(px + i, x);
        _mm256_storeu_pd(py + i, y);
        _mm256_storeu_pd(pz + i, z);
        _mm256_storeu_pd(e + i, t);
    }
    for (; i < n; i++) {
        if (kaon_fast_cartesian_accepts(pt[i], eta[i], phi[i], mass[i]))
            kaon_fast_cartesian1(pt[i], eta[i], phi[i], mass[i], px + i, py + i, pz + i, e + i);
        else
            e[i] = NAN;
    }
}
#endif

/// Kernels of kaon_fast_cartesian_column and kaon_trijet_candidates (AVX-512 widens the
/// trijet scans; the conversion then uses the AVX2 kernel).
enum { kaon_fast_kernel_scalar = 0, kaon_fast_kernel_avx2 = 1, kaon_fast_kernel_avx512 = 2 };

/// Whether `kernel` runs on this processor.
static inline int kaon_fast_kernel_usable(int kernel) {
#if defined(__x86_64__)
    if (kernel == kaon_fast_kernel_avx2) return __builtin_cpu_supports("avx2");
    if (kernel == kaon_fast_kernel_avx512) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512f");
#endif
    return kernel == kaon_fast_kernel_scalar;
}

/// The best kernel this processor runs.
static inline int kaon_fast_kernel_best(void) {
    if (kaon_fast_kernel_usable(kaon_fast_kernel_avx512)) return kaon_fast_kernel_avx512;
    return kaon_fast_kernel_usable(kaon_fast_kernel_avx2) ? kaon_fast_kernel_avx2 : kaon_fast_kernel_scalar;
}

/// Converts `n` objects with `kernel` (which must be usable). An object the fast conversion does
/// not accept (see kaon_fast_cartesian_accepts) gets a NaN energy (and any px, py, pz): callers
/// test the energy before they use an object.
static inline void kaon_fast_cartesian_column(int kernel, const float *pt, const float *eta, const float *phi,
                                              const float *mass, long n, double *px, double *py, double *pz, double *e) {
#if defined(__x86_64__)
    if (kernel == kaon_fast_kernel_avx2 || kernel == kaon_fast_kernel_avx512) {
        kaon_fast_cartesian_avx2(pt, eta, phi, mass, n, px, py, pz, e);
        return;
    }
#endif
    (void)kernel;
    for (long i = 0; i < n; i++) {
        if (kaon_fast_cartesian_accepts(pt[i], eta[i], phi[i], mass[i]))
            kaon_fast_cartesian1(pt[i], eta[i], phi[i], mass[i], px + i, py + i, pz + i, e + i);
        else
            e[i] = NAN;
    }
}
#endif
