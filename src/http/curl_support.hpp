#pragma once
// What every libcurl user of gdx shares (S3, the Google APIs): header capture, body
// collection and which transport failures are worth retrying.
#include <curl/curl.h>

#include <cstddef>

namespace gdx::http {

// CURLOPT_HEADERFUNCTION for an HttpResponse* (CURLOPT_HEADERDATA): lower-cased names; a new
// status line (after 100-continue or a redirect) starts the header map afresh.
size_t capture_header(char* data, size_t size, size_t n, void* response);

// CURLOPT_WRITEFUNCTION appending to a std::string* (CURLOPT_WRITEDATA).
size_t append_body(char* data, size_t size, size_t n, void* body);

// True for failures that a later attempt may not meet: resolve/connect errors, timeouts,
// resets, an empty or cut-off reply.
bool transient_curl_code(CURLcode code);

}  // namespace gdx::http
