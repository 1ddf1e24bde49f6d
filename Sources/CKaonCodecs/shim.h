// The compression libraries Kaon decodes ROOT blocks with, from Debian's -dev packages.
#ifndef KAON_CODECS_SHIM_H
#define KAON_CODECS_SHIM_H
#include <zlib.h>
#include <libdeflate.h>
#include <lzma.h>
#include <zstd.h>
#include <lz4.h>
#include <lz4hc.h>
#include <xxhash.h>
#endif
