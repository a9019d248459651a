#include "http/http_client.hpp"

#include "http/curl_support.hpp"

namespace gdx::http {

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), easy_(curl_easy_init()) {
    if (!easy_) throw BackendError("curl_easy_init failed");
}

HttpClient::~HttpClient() {
    curl_easy_cleanup(easy_);
}

HttpResponse HttpClient::perform(const HttpRequest& req) {
    curl_easy_reset(easy_);  // keeps the connection cache
    HttpResponse response;
    char error[CURL_ERROR_SIZE] = {0};
    curl_slist* headers = nullptr;
    for (const auto& h : req.headers) headers = curl_slist_append(headers, h.c_str());
    curl_easy_setopt(easy_, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy_, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate when offered
    curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_s);
    curl_easy_setopt(easy_, CURLOPT_TIMEOUT, options_.total_timeout_s);
    curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, capture_header);
    curl_easy_setopt(easy_, CURLOPT_HEADERDATA, &response);
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &response.body);
    if (!options_.ca_file.empty())
        curl_easy_setopt(easy_, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (req.method == "POST" || req.method == "PUT") {
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, req.body.data());
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(req.body.size()));
        if (req.method == "PUT") curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, "PUT");
    } else if (req.method != "GET") {
        curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    CURLcode rc = curl_easy_perform(easy_);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        std::string msg =
            req.method + " " + url_for_message(req.url) + " failed: " + curl_easy_strerror(rc);
        if (*error) msg += std::string(" (") + error + ")";
        throw TransportError(msg, transient_curl_code(rc), rc);
    }
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

std::string url_for_message(const std::string& url) {
    return url.substr(0, url.find('?'));
}

std::string percent_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace gdx::http
