// libc interfaces Swift's Glibc module does not export (malloc tuning).
#ifndef KAON_SYSTEM_SHIM_H
#define KAON_SYSTEM_SHIM_H
#include <malloc.h>
#endif
