// Vectorised physics kernels in C (AVX2 with a scalar fallback, chosen at run time): Swift
// compiles for baseline x86-64, so wide vectors need C functions with target attributes.
#ifndef KAON_PHYSICS_SHIM_H
#define KAON_PHYSICS_SHIM_H
#include "fast_cartesian.h"
#include "closest_mass.h"
#include "trijet_candidates.h"
#include "lepton_pairs.h"
#endif
