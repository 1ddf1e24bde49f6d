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

#if defined(__GLIBC__)
// Baskets are decompressed into buffers of a few hundred kB to a few MB, allocated and freed
// thousands of times per file. By default glibc serves such sizes with fresh mmap'ed pages
// and returns them on free, so every basket pays page faults and page clearing (over half
// the run time in a profile). Keeping freed memory in the heap makes buffers reusable.
// Called first thing by the `kaon` and `kaon-bench` executables.
static inline void kaon_tune_malloc(void) {
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}
#endif

#endif
