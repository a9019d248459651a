#pragma once
// Test helper: tests/fakes/fault_proxy.py in front of an S3 server, with its control API
// (fault rules, request log). One proxy per upstream, started on first use.
#include <curl/curl.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "s3_servers.hpp"

namespace gdx::testing {

class FaultProxy {
public:
    // extra_args: e.g. {"--verify", "KEY:SECRET"} (see fault_proxy.py).
    explicit FaultProxy(const std::string& upstream, std::vector<std::string> extra_args = {}) {
        int port = free_port();
        std::vector<std::string> argv{"python3", source_dir() + "/tests/fakes/fault_proxy.py",
                                      std::to_string(port), upstream};
        argv.insert(argv.end(), extra_args.begin(), extra_args.end());
        process_ =
            std::make_unique<ServerProcess>(argv, port, make_temp_dir("proxy") + "/proxy.log");
    }
    std::string url() const { return process_->url(); }

    void reset() { control("POST", "/__reset"); }
    // rules_json: a JSON array of fault_proxy.py rules.
    void faults(const std::string& rules_json) {
        control("POST", "/__faults", R"({"rules": )" + rules_json + "}");
    }
    // Requests seen since the last reset: (method, path, injected fault or "").
    struct Seen {
        std::string method, path, fault;
    };
    std::vector<Seen> seen() {
        auto stats = nlohmann::json::parse(control("GET", "/__stats"));
        std::vector<Seen> out;
        for (auto& r : stats["requests"])
            out.push_back({r[0], r[1], r[2].is_null() ? "" : r[2].get<std::string>()});
        return out;
    }

private:
    static size_t collect(char* d, size_t s, size_t n, void* out) {
        static_cast<std::string*>(out)->append(d, s * n);
        return s * n;
    }
    std::string control(const std::string& method, const std::string& path,
                        const std::string& body = "") {
        CURL* h = curl_easy_init();
        std::string out, u = url() + path;
        curl_easy_setopt(h, CURLOPT_URL, u.c_str());
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
        if (!body.empty()) curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
        CURLcode rc = curl_easy_perform(h);
        curl_easy_cleanup(h);
        if (rc != CURLE_OK) throw std::runtime_error("fault proxy control request failed: " + u);
        return out;
    }

    std::unique_ptr<ServerProcess> process_;
};

}  // namespace gdx::testing
