// libcurl (Debian's libcurl4-openssl-dev) for KaonRemote's HTTP(S) byte source.
//
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: these inline
// wrappers give each argument type its own non-variadic entry point.
#ifndef KAON_CURL_SHIM_H
#define KAON_CURL_SHIM_H
#include <curl/curl.h>

typedef size_t (*kaon_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode kaon_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kaon_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kaon_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kaon_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kaon_curl_set_callback(CURL *handle, CURLoption option, kaon_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kaon_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
#endif
