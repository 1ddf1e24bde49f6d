// KaonHist's vectorised bin-index kernels for column fills (regular and variable axes), header
// only: static inline C with AVX2/AVX-512 dispatch, no library to link.
#ifndef KAON_HIST_SHIM_H
#define KAON_HIST_SHIM_H
#include "regular_bin_indices.h"
#include "variable_bin_indices.h"
#endif
