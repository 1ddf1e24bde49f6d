// A C interface to the XRootD client library (XrdCl, Debian's libxrootd-client-dev) for
// KaonRemote's root:// byte source: Swift cannot call XrdCl's C++ classes directly.
// Every call is synchronous; one open file may be used from several threads at once (XrdCl's
// File is thread-safe). Failures return NULL or -1 and XrdCl's message in `error`.
#ifndef KAON_XROOTD_H
#define KAON_XROOTD_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct KaonXRootDFile KaonXRootDFile;

/// The most chunks one vector read may carry (the protocol's readv list limit).
#define KAON_XROOTD_MAX_CHUNKS 1024
/// The largest chunk a vector read may ask for (servers' default readv element limit).
#define KAON_XROOTD_MAX_CHUNK_BYTES 2097136

/// What kind of failure an open met, so that the caller's message can say what to do.
typedef enum {
    KAON_XROOTD_FAILED = 0,          ///< any other failure
    KAON_XROOTD_AUTHENTICATION = 1,  ///< no security protocol succeeded (e.g. ztn without a token)
    KAON_XROOTD_NOT_AUTHORIZED = 2,  ///< authenticated, but refused this path (kXR_NotAuthorized)
    KAON_XROOTD_TLS = 3              ///< the TLS handshake failed (e.g. an untrusted certificate)
} KaonXRootDFailure;

/// Opens `url` (root://host[:port]//path) for reading; on failure sets `failure` (if not NULL).
KaonXRootDFile *kaon_xrootd_open(const char *url, KaonXRootDFailure *failure, char *error, size_t error_size);

/// The file's size in bytes.
int kaon_xrootd_size(KaonXRootDFile *file, uint64_t *size, char *error, size_t error_size);

/// Reads `count` chunks (at most KAON_XROOTD_MAX_CHUNKS, each at most
/// KAON_XROOTD_MAX_CHUNK_BYTES) into `buffers`: one plain read for one chunk, one vector read
/// (kXR_readv, a single round trip) for several. A short chunk is an error.
int kaon_xrootd_read(KaonXRootDFile *file, size_t count, const uint64_t *offsets, const uint32_t *lengths,
                     void *const *buffers, char *error, size_t error_size);

/// Sets one of XrdCl's process-wide integer settings (`ConnectionRetry`, `ConnectionWindow`,
/// `RequestTimeout`, `StreamErrorWindow`, …; an `XRD_*` environment variable still wins).
/// Returns 0, or -1 when XrdCl refused it.
int kaon_xrootd_set_option(const char *name, int value);

/// Closes the file and frees it.
void kaon_xrootd_close(KaonXRootDFile *file);

#ifdef __cplusplus
}
#endif
#endif
