// libc interfaces Swift's Glibc module does not export (malloc tuning, sincos).
#ifndef KAON_SYSTEM_SHIM_H
#define KAON_SYSTEM_SHIM_H
#include <malloc.h>
#include <math.h>

#if defined(__GLIBC__)
// A GNU extension, declared by <math.h> only under _GNU_SOURCE. glibc computes sin and cos
// here with the very code of sin() and cos() (one argument reduction for both), so the
// results are bit-identical to the two separate calls.
void sincos(double x, double *sine, double *cosine);
static inline void kaon_sincos(double x, double *sine, double *cosine) { sincos(x, sine, cosine); }
#else
// Elsewhere the two calls, so that results always equal sin() and cos().
static inline void kaon_sincos(double x, double *sine, double *cosine) { *sine = sin(x); *cosine = cos(x); }
#endif

#endif
