// The compression libraries Kaon decodes ROOT blocks with, from Debian's -dev packages,
// and the vectorised regular-axis bin index kernel of KaonHist's column fills.
#ifndef KAON_CODECS_SHIM_H
#define KAON_CODECS_SHIM_H
#include <zlib.h>
#include <libdeflate.h>
#include <lzma.h>
#include <zstd.h>
#include <lz4.h>
#include <lz4hc.h>
#include <xxhash.h>
#include "regular_bin_indices.h"
#include "variable_bin_indices.h"
#endif
