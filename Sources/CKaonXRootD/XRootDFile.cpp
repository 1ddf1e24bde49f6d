// The C interface of CKaonXRootD.h over XrdCl::File's synchronous calls.
#include "CKaonXRootD.h"

#include <XrdCl/XrdClDefaultEnv.hh>
#include <XrdCl/XrdClEnv.hh>
#include <XrdCl/XrdClFile.hh>
#include <XrdCl/XrdClXRootDResponses.hh>
#include <XProtocol/XProtocol.hh>

#include <cstdio>
#include <memory>
#include <string>

struct KaonXRootDFile {
    XrdCl::File file;
};

namespace {
int fail(char *error, size_t error_size, const std::string &message) {
    if (error && error_size > 0) std::snprintf(error, error_size, "%s", message.c_str());
    return -1;
}

KaonXRootDFailure classify(const XrdCl::XRootDStatus &status) {
    switch (status.code) {
    case XrdCl::errAuthFailed: return KAON_XROOTD_AUTHENTICATION;
    case XrdCl::errTlsError: return KAON_XROOTD_TLS;
    case XrdCl::errErrorResponse:
        return status.errNo == kXR_NotAuthorized ? KAON_XROOTD_NOT_AUTHORIZED : KAON_XROOTD_FAILED;
    default: return KAON_XROOTD_FAILED;
    }
}
}  // namespace

extern "C" KaonXRootDFile *kaon_xrootd_open(const char *url, KaonXRootDFailure *failure, char *error,
                                            size_t error_size) {
    auto opened = std::make_unique<KaonXRootDFile>();
    XrdCl::XRootDStatus status = opened->file.Open(url, XrdCl::OpenFlags::Read);
    if (!status.IsOK()) {
        if (failure) *failure = classify(status);
        fail(error, error_size, status.ToString());
        return nullptr;
    }
    return opened.release();
}

extern "C" int kaon_xrootd_size(KaonXRootDFile *file, uint64_t *size, char *error, size_t error_size) {
    XrdCl::StatInfo *info = nullptr;
    XrdCl::XRootDStatus status = file->file.Stat(false, info);
    std::unique_ptr<XrdCl::StatInfo> owned(info);
    if (!status.IsOK()) return fail(error, error_size, status.ToString());
    if (!owned) return fail(error, error_size, "stat returned no information");
    *size = owned->GetSize();
    return 0;
}

extern "C" int kaon_xrootd_read(KaonXRootDFile *file, size_t count, const uint64_t *offsets, const uint32_t *lengths,
                                void *const *buffers, char *error, size_t error_size) {
    if (count == 0) return 0;
    if (count > KAON_XROOTD_MAX_CHUNKS) return fail(error, error_size, "too many chunks for one vector read");
    if (count == 1) {
        uint32_t done = 0;
        while (done < lengths[0]) {
            uint32_t got = 0;
            XrdCl::XRootDStatus status =
                file->file.Read(offsets[0] + done, lengths[0] - done, static_cast<char *>(buffers[0]) + done, got);
            if (!status.IsOK()) return fail(error, error_size, status.ToString());
            if (got == 0) return fail(error, error_size, "the file ended before the requested bytes");
            done += got;
        }
        return 0;
    }
    XrdCl::ChunkList chunks;
    chunks.reserve(count);
    for (size_t i = 0; i < count; ++i) chunks.emplace_back(offsets[i], lengths[i], buffers[i]);
    XrdCl::VectorReadInfo *info = nullptr;
    XrdCl::XRootDStatus status = file->file.VectorRead(chunks, nullptr, info);
    std::unique_ptr<XrdCl::VectorReadInfo> owned(info);
    if (!status.IsOK()) return fail(error, error_size, status.ToString());
    uint64_t expected = 0;
    for (size_t i = 0; i < count; ++i) expected += lengths[i];
    if (!owned || owned->GetSize() != expected) return fail(error, error_size, "the vector read returned fewer bytes than requested");
    return 0;
}

extern "C" int kaon_xrootd_set_option(const char *name, int value) {
    XrdCl::Env *environment = XrdCl::DefaultEnv::GetEnv();
    return environment && environment->PutInt(name, value) ? 0 : -1;
}

extern "C" void kaon_xrootd_close(KaonXRootDFile *file) {
    if (!file) return;
    (void)file->file.Close();
    delete file;
}
