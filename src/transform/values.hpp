#pragma once
// Cell-level conversions of the column pipeline, pandas 2.x semantics (spec §19).
// All of them are allocation-free on the hot path.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gdx::transform {

// pandas' missing-value tokens (spec §19.2): whole-field, case-sensitive, no trimming.
class NaTokens {
  public:
    // pandas >= 2 defaults: "", #N/A, #N/A N/A, #NA, -1.#IND, -1.#QNAN, -NaN, -nan, 1.#IND,
    // 1.#QNAN, <NA>, N/A, NA, NULL, NaN, None, n/a, nan, null.
    static NaTokens pandas_default() { return NaTokens(true, {}); }
    // read_csv(keep_default_na=..., na_values=extra).
    NaTokens(bool keep_default_na, const std::vector<std::string>& extra);

    bool contains(std::string_view field) const;

  private:
    bool keep_default_ = true;
    std::vector<std::string> extra_;
};

// True when `field` is one of pandas' default NA tokens.
bool is_default_na_token(std::string_view field);

// pandas Int64 conversion of text: optional surrounding spaces and sign, digits, or an
// integral float literal ("4.0", "4.", "-0.00", "1e3"). On success `out` is the canonical
// decimal ("007" -> "7", "-0" -> "0"), stored in `out_buf` (reused; no allocation once its
// capacity reached 24). False for "1.5", "abc", "", "inf" or values outside int64.
bool canonical_int64(std::string_view in, std::string& out_buf, std::string_view& out);

// pandas' float parser: surrounding spaces, sign, digits with optional '.', optional exponent;
// or exactly inf/+inf/-inf/infinity/+infinity/-infinity in any case. ("nan" spellings are NA
// tokens, not floats: pandas rejects e.g. "NAN" in a float column.)
bool is_float_text(std::string_view v);

// pandas' bool spellings: True/TRUE/true -> true, False/FALSE/false -> false, else nullopt.
std::optional<bool> parse_pandas_bool(std::string_view v);

// Length of the longest prefix of `s` of at most `max_bytes` bytes that ends on a UTF-8
// character boundary (Redshift VARCHAR(n) counts bytes, spec B16).
size_t utf8_prefix_bytes(std::string_view s, size_t max_bytes);

}  // namespace gdx::transform
