#pragma once
// A plain HTTPS/HTTP client over one reused libcurl easy handle (connections are kept alive
// between requests). One attempt per call: retry policy belongs to the caller. Not
// thread-safe.
#include <curl/curl.h>

#include <string>
#include <vector>

#include "http/http_response.hpp"
#include "util/error.hpp"

namespace gdx::http {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;  // "Name: value" lines
    std::string body;                  // sent for POST/PUT
};

// A request that got no HTTP answer (connect, timeout, reset, cut-off body). transient()
// says whether another attempt may succeed. The message names the URL without its query.
class TransportError : public BackendError {
public:
    TransportError(const std::string& message, bool transient, CURLcode code)
        : BackendError(message, transient), code(code) {}
    CURLcode code;
};

struct HttpClientOptions {
    long connect_timeout_s = 10;
    long total_timeout_s = 300;
    std::string ca_file;  // CURLOPT_CAINFO override (e.g. a test server's certificate)
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Any status is returned; only a transport failure throws (TransportError).
    HttpResponse perform(const HttpRequest& request);

private:
    HttpClientOptions options_;
    CURL* easy_ = nullptr;
};

// "scheme://host/path" of a URL, without its query (for messages: queries may carry data).
std::string url_for_message(const std::string& url);

// Percent-encodes every byte except A-Z a-z 0-9 - . _ ~ (form values, path segments).
std::string percent_encode(std::string_view text);

}  // namespace gdx::http
