#pragma once
// Cell-level conversions of the column pipeline, pandas 2.x semantics
// (docs/semantics.md#missing-values, #types).
// All of them are allocation-free on the hot path.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gdx::transform {

// pandas' missing-value tokens (docs/semantics.md#missing-values): whole-field, case-sensitive, no
// trimming.
class NaTokens {
public:
    // pandas >= 2 defaults: "", #N/A, #N/A N/A, #NA, -1.#IND, -1.#QNAN, -NaN, -nan, 1.#IND,
    // 1.#QNAN, <NA>, N/A, NA, NULL, NaN, None, n/a, nan, null.
    static NaTokens pandas_default() { return NaTokens(true, {}); }
    // read_csv(keep_default_na=..., na_values=extra).
    NaTokens(bool keep_default_na, const std::vector<std::string>& extra);

    // True when some token satisfies `pred` (decided once per plan, not per cell).
    template <class Pred>
    bool any_token(Pred pred) const {
        if (keep_default_)
            for (std::string_view t : kDefaults)
                if (pred(t)) return true;
        for (const std::string& t : extra_)
            if (pred(std::string_view(t))) return true;
        return false;
    }

    bool contains(std::string_view field) const {
        // Quick rejection by length, then by (length, first byte): most fields are no token.
        const size_t n = field.size() < 63 ? field.size() : 63;
        if (!((lengths_ >> n) & 1)) return false;
        if (n != 0) {
            const size_t k = key(n, field[0]);
            if (!((starts_[k >> 6] >> (k & 63)) & 1)) return false;
        }
        return contains_slow(field);
    }

private:
    static constexpr std::string_view kDefaults[] = {
        "",     "#N/A",   "#N/A N/A", "#NA",  "-1.#IND", "-1.#QNAN", "-NaN",
        "-nan", "1.#IND", "1.#QNAN",  "<NA>", "N/A",     "NA",       "NULL",
        "NaN",  "None",   "n/a",      "nan",  "null"};
    bool contains_slow(std::string_view field) const;
    void note(std::string_view token);

    bool keep_default_ = true;
    std::vector<std::string> extra_;
    // A 0..255 hash of a token's length (capped at 63) and first byte.
    static size_t key(size_t capped_length, char first) {
        return (static_cast<unsigned char>(first) + 31 * capped_length) & 255;
    }
    uint64_t lengths_ = 0;     // bit n: a token of n bytes (bit 63: of 63 or more)
    uint64_t starts_[4] = {};  // bit key(n, c): a token of length n starts with byte c
};

// True when `field` is one of pandas' default NA tokens.
bool is_default_na_token(std::string_view field);

// pandas Int64 conversion of text: optional surrounding spaces and sign, digits, or an
// integral float literal ("4.0", "4.", "-0.00", "1e3"). On success `out` is the canonical
// decimal ("007" -> "7", "-0" -> "0"), stored in `out_buf` (reused; no allocation once its
// capacity reached 24). False for "1.5", "abc", "", "inf" or values outside int64.
bool canonical_int64(std::string_view in, std::string& out_buf, std::string_view& out);

// True when `v` is already what canonical_int64 makes of it: an optional '-' and 1 to 18
// digits without leading zeros ("0" itself, but not "-0"). Then it can pass unchanged.
inline bool is_canonical_int64(std::string_view v) {
    size_t i = (!v.empty() && v[0] == '-') ? 1 : 0;
    const size_t digits = v.size() - i;
    if (digits == 0 || digits > 18) return false;
    if (v[i] == '0' && (digits > 1 || i == 1)) return false;
    for (; i < v.size(); ++i)
        if (static_cast<unsigned char>(v[i] - '0') > 9) return false;
    return true;
}

// pandas' float parser: surrounding spaces, sign, digits with optional '.', optional exponent;
// or exactly inf/+inf/-inf/infinity/+infinity/-infinity in any case. ("nan" spellings are NA
// tokens, not floats: pandas rejects e.g. "NAN" in a float column.)
bool is_float_text(std::string_view v);

// pandas' bool spellings: True/TRUE/true -> true, False/FALSE/false -> false, else nullopt.
std::optional<bool> parse_pandas_bool(std::string_view v);
// parse_pandas_bool(v).has_value(), inline for the per-cell loop.
inline bool is_pandas_bool(std::string_view v) {
    if (v.size() == 4) return v == "True" || v == "true" || v == "TRUE";
    if (v.size() == 5) return v == "False" || v == "false" || v == "FALSE";
    return false;
}

// Length of the longest prefix of `s` of at most `max_bytes` bytes that ends on a UTF-8
// character boundary (Redshift VARCHAR(n) counts bytes, docs/semantics.md#column-edits).
size_t utf8_prefix_bytes(std::string_view s, size_t max_bytes);

}  // namespace gdx::transform
