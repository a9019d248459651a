// pandas cell conversions (docs/semantics.md#missing-values): allocation-free helpers for the
// pipeline.
#include "transform/values.hpp"
#include "util/ascii.hpp"

#include <algorithm>

namespace gdx::transform {
namespace {

using ascii::is_digit;
using ascii::is_space;
using ascii::lower;

bool iequals(std::string_view a, std::string_view lower_b) {
    if (a.size() != lower_b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower_b[i]) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace

bool is_default_na_token(std::string_view f) {
    switch (f.size()) {
        case 0:
            return true;
        case 2:
            return f == "NA";
        case 3:
            switch (f[0]) {
                case '#':
                    return f == "#NA";
                case 'N':
                    return f == "N/A" || f == "NaN";
                case 'n':
                    return f == "n/a" || f == "nan";
                default:
                    return false;
            }
        case 4:
            switch (f[0]) {
                case '#':
                    return f == "#N/A";
                case '-':
                    return f == "-NaN" || f == "-nan";
                case '<':
                    return f == "<NA>";
                case 'N':
                    return f == "NULL" || f == "None";
                case 'n':
                    return f == "null";
                default:
                    return false;
            }
        case 6:
            return f == "1.#IND";
        case 7:
            return f == "-1.#IND" || f == "1.#QNAN";
        case 8:
            return f == "#N/A N/A" || f == "-1.#QNAN";
        default:
            return false;
    }
}

NaTokens::NaTokens(bool keep_default_na, const std::vector<std::string>& extra)
    : keep_default_(keep_default_na), extra_(extra) {
    // Shorter first: cheap rejection by size during the scan.
    std::sort(extra_.begin(), extra_.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    extra_.erase(std::unique(extra_.begin(), extra_.end()), extra_.end());
    if (keep_default_)
        for (std::string_view t : kDefaults) note(t);
    for (const std::string& t : extra_) note(t);
}

void NaTokens::note(std::string_view token) {
    const size_t n = token.size() < 63 ? token.size() : 63;
    lengths_ |= uint64_t{1} << n;
    if (n != 0) {
        const size_t k = key(n, token[0]);
        starts_[k >> 6] |= uint64_t{1} << (k & 63);
    }
}

bool NaTokens::contains_slow(std::string_view field) const {
    if (keep_default_ && is_default_na_token(field)) return true;
    for (const std::string& t : extra_) {
        if (t.size() > field.size()) break;
        if (t.size() == field.size() && t == field) return true;
    }
    return false;
}

bool canonical_int64(std::string_view in, std::string& out_buf, std::string_view& out) {
    std::string_view v = trim(in);
    size_t i = 0;
    bool neg = false;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) neg = v[i++] == '-';
    const size_t int_begin = i;
    while (i < v.size() && is_digit(v[i])) ++i;
    const size_t ni = i - int_begin;
    size_t frac_begin = i, nf = 0;
    if (i < v.size() && v[i] == '.') {
        frac_begin = ++i;
        while (i < v.size() && is_digit(v[i])) ++i;
        nf = i - frac_begin;
    }
    if (ni + nf == 0) return false;
    long exp = 0;
    if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        bool eneg = false;
        if (i < v.size() && (v[i] == '+' || v[i] == '-')) eneg = v[i++] == '-';
        if (i >= v.size() || !is_digit(v[i])) return false;
        for (; i < v.size() && is_digit(v[i]); ++i)
            if (exp < 100000) exp = exp * 10 + (v[i] - '0');
        if (eneg) exp = -exp;
    }
    if (i != v.size()) return false;

    // Digits D = integer digits then fraction digits; the decimal point sits after `point`.
    const long n = static_cast<long>(ni + nf);
    auto digit = [&](long k) -> char {
        if (k < 0 || k >= n) return '0';
        return k < static_cast<long>(ni) ? v[int_begin + k] : v[frac_begin + (k - ni)];
    };
    const long point = static_cast<long>(ni) + exp;
    for (long k = std::max(point, 0L); k < n; ++k)
        if (digit(k) != '0') return false;  // fractional part
    long first = 0;
    while (first < std::min(point, n) && digit(first) == '0') ++first;
    const long len = point - first;  // significant integer digits
    if (out_buf.capacity() < 24) out_buf.reserve(24);
    out_buf.clear();
    if (first >= std::min(point, n)) {  // no non-zero digit: the value is zero
        out_buf.push_back('0');
        out = out_buf;
        return true;
    }
    if (len > 19) return false;
    if (neg) out_buf.push_back('-');
    for (long k = first; k < point; ++k) out_buf.push_back(digit(k));
    if (len == 19) {
        std::string_view digits(out_buf.data() + (neg ? 1 : 0), 19);
        if (digits > (neg ? "9223372036854775808" : "9223372036854775807")) return false;
    }
    out = out_buf;
    return true;
}

bool is_float_text(std::string_view v) {
    // pandas checks these whole-word spellings only after the numeric parse failed.
    std::string_view w = v;
    if (!w.empty() && (w[0] == '+' || w[0] == '-')) w.remove_prefix(1);
    if (iequals(w, "inf") || iequals(w, "infinity")) return true;

    std::string_view t = trim(v);
    size_t i = 0;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    size_t digits = 0;
    while (i < t.size() && is_digit(t[i])) ++i, ++digits;
    if (i < t.size() && t[i] == '.') {
        ++i;
        while (i < t.size() && is_digit(t[i])) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        if (i >= t.size() || !is_digit(t[i])) return false;
        while (i < t.size() && is_digit(t[i])) ++i;
    }
    return i == t.size();
}

std::optional<bool> parse_pandas_bool(std::string_view v) {
    if (v == "True" || v == "TRUE" || v == "true") return true;
    if (v == "False" || v == "FALSE" || v == "false") return false;
    return std::nullopt;
}

size_t utf8_prefix_bytes(std::string_view s, size_t max_bytes) {
    if (s.size() <= max_bytes) return s.size();
    size_t n = max_bytes;
    // s[n] is the first byte cut off: back up while it continues a character.
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return n;
}

}  // namespace gdx::transform
