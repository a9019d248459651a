#include "util/redact.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <vector>

namespace gdx::util {
namespace {

std::shared_mutex g_mutex;
std::vector<std::string> g_secrets;  // longest first, so a secret containing another wins

// One compiled substitution; compiled once, used from many threads (pcre2_code is
// read-only after JIT-less compilation; match data is per call).
struct CodeFree {
    void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
struct Rule {
    std::unique_ptr<pcre2_code, CodeFree> code;
    std::string replacement;
};

// Key names whose value is a secret (case-insensitive), e.g. password=x, "pgpass": "x".
constexpr const char* kKeyValue =
    R"((?i)(\b(?:password|passwd|pwd|pgpass|secret|client_secret|aws_secret_access_key|)"
    R"(secret_access_key|aws_session_token|session_token|token|access_token|refresh_token|)"
    R"(id_token|private_key|api_key|apikey|x-amz-security-token|x-amz-signature)["']?)"
    R"(\s*[=:]\s*)(?:"[^"]*"|'[^']*'|[^\s&;,'"]+))";
// scheme://user:password@host
constexpr const char* kUriPassword = R"(([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)[^\s/]+(@))";
// HTTP header lines: the whole value up to the end of the line.
constexpr const char* kHeader =
    R"((?i)(\b(?:authorization|proxy-authorization|cookie|set-cookie|x-amz-security-token))"
    R"(\s*:[ \t]*)[^\r\n]+)";

std::vector<Rule> compile_rules() {
    std::vector<Rule> rules;
    // Header rule first: "Authorization: AWS4-HMAC-SHA256 Credential=..., Signature=..."
    for (auto [pattern, replacement] :
         {std::pair{kHeader, "${1}********"}, std::pair{kUriPassword, "${1}********${2}"},
          std::pair{kKeyValue, "${1}********"}}) {
        int err = 0;
        PCRE2_SIZE offset = 0;
        pcre2_code* code =
            pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern), PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &offset, nullptr);
        if (!code) throw std::logic_error("redact: bad built-in pattern");
        rules.push_back({std::unique_ptr<pcre2_code, CodeFree>(code), replacement});
    }
    return rules;
}

const std::vector<Rule>& rules() {
    static const std::vector<Rule> r = compile_rules();
    return r;
}

std::string substitute(const Rule& rule, const std::string& in) {
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> md(
        pcre2_match_data_create_from_pattern(rule.code.get(), nullptr), &pcre2_match_data_free);
    std::string out(in.size() + 64, '\0');
    for (int attempt = 0; attempt < 2; ++attempt) {
        PCRE2_SIZE out_len = out.size();
        const int rc = pcre2_substitute(
            rule.code.get(), reinterpret_cast<PCRE2_SPTR>(in.data()), in.size(), 0,
            PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_EXTENDED | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
            md.get(), nullptr, reinterpret_cast<PCRE2_SPTR>(rule.replacement.data()),
            rule.replacement.size(), reinterpret_cast<PCRE2_UCHAR*>(out.data()), &out_len);
        if (rc >= 0) {
            out.resize(out_len);
            return out;
        }
        if (rc != PCRE2_ERROR_NOMEMORY) break;
        out.assign(out_len, '\0');  // out_len now holds the needed size
    }
    // Matching failed (e.g. resource limits): hide the text rather than risk a leak.
    return in.empty() ? in : std::string(kRedacted);
}

}  // namespace

void add_secret(std::string secret) {
    if (secret.empty()) return;
    std::unique_lock lock(g_mutex);
    if (std::find(g_secrets.begin(), g_secrets.end(), secret) != g_secrets.end()) return;
    g_secrets.push_back(std::move(secret));
    std::stable_sort(
        g_secrets.begin(), g_secrets.end(),
        [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void clear_secrets() {
    std::unique_lock lock(g_mutex);
    g_secrets.clear();
}

std::string redact(std::string_view text) {
    std::string s(text);
    {
        std::shared_lock lock(g_mutex);
        for (const auto& secret : g_secrets) {
            for (size_t pos = s.find(secret); pos != std::string::npos;
                 pos = s.find(secret, pos + kRedacted.size())) {
                s.replace(pos, secret.size(), kRedacted);
            }
        }
    }
    for (const auto& rule : rules()) s = substitute(rule, s);
    return s;
}

}  // namespace gdx::util
