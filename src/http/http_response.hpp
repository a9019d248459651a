#pragma once
// One HTTP answer as libcurl delivered it: status, body and the headers of the last response.
#include <map>
#include <string>

namespace gdx::http {

struct HttpResponse {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names, last response only
    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

}  // namespace gdx::http
