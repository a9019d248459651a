#include "transform/values.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gdx::transform {
namespace {

TEST(NaTokens, PandasDefaultsExactly) {
    NaTokens na = NaTokens::pandas_default();
    for (const char* t :
         {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
          "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})
        EXPECT_TRUE(na.contains(t)) << "'" << t << "'";
    for (const char* t : {"-", " ", " NA", "NA ", "na", "Nan", "NONE", "none", "Null", "N/a",
                          "#N/A N/", "nul", "0", "NAN", "-1.#INF", "1.#QNAN "})
        EXPECT_FALSE(na.contains(t)) << "'" << t << "'";
}

TEST(NaTokens, ExtraValuesAddToDefaults) {
    NaTokens na(true, {"-", "missing"});
    EXPECT_TRUE(na.contains("-"));
    EXPECT_TRUE(na.contains("missing"));
    EXPECT_TRUE(na.contains("NULL"));
    EXPECT_FALSE(na.contains("Missing"));
}

TEST(NaTokens, NoDefaultsKeepsOnlyExtras) {
    NaTokens none(false, {});
    EXPECT_FALSE(none.contains(""));
    EXPECT_FALSE(none.contains("NA"));
    NaTokens only(false, {"x", "NA"});
    EXPECT_TRUE(only.contains("x"));
    EXPECT_TRUE(only.contains("NA"));
    EXPECT_FALSE(only.contains("NULL"));
    EXPECT_FALSE(only.contains(""));
}

struct IntCase {
    const char* in;
    const char* out;  // nullptr: rejected
};

class CanonicalInt64 : public ::testing::TestWithParam<IntCase> {};

TEST_P(CanonicalInt64, Converts) {
    const IntCase& c = GetParam();
    std::string buf;
    std::string_view out;
    bool ok = canonical_int64(c.in, buf, out);
    if (c.out == nullptr) {
        EXPECT_FALSE(ok) << "'" << c.in << "' -> '" << out << "'";
    } else {
        ASSERT_TRUE(ok) << "'" << c.in << "'";
        EXPECT_EQ(out, c.out) << "'" << c.in << "'";
    }
}

const IntCase kIntCases[] = {
    {"0", "0"},
    {"7", "7"},
    {"007", "7"},
    {"-0", "0"},
    {"+12", "12"},
    {"-12", "-12"},
    {"  42  ", "42"},
    {"\t5", "5"},
    {"4.0", "4"},
    {"4.", "4"},
    {"-0.00", "0"},
    {"-3.000", "-3"},
    {".0", "0"},
    {"1e3", "1000"},
    {"1.5e1", "15"},
    {"0e5", "0"},
    {"120e-1", "12"},
    {"9223372036854775807", "9223372036854775807"},
    {"-9223372036854775808", "-9223372036854775808"},
    {"0009223372036854775807", "9223372036854775807"},
    {"9223372036854775808", nullptr},
    {"-9223372036854775809", nullptr},
    {"99999999999999999999", nullptr},
    {"1.5", nullptr},
    {"0.1", nullptr},
    {"1e-1", nullptr},
    {"abc", nullptr},
    {"", nullptr},
    {"   ", nullptr},
    {"-", nullptr},
    {".", nullptr},
    {"1 2", nullptr},
    {"1e", nullptr},
    {"inf", nullptr},
    {"nan", nullptr},
    {"0x10", nullptr},
    {"1,000", nullptr},
};

INSTANTIATE_TEST_SUITE_P(Table, CanonicalInt64, ::testing::ValuesIn(kIntCases));

TEST(CanonicalInt64Buffer, ReusesCapacity) {
    std::string buf;
    std::string_view out;
    ASSERT_TRUE(canonical_int64("1", buf, out));
    const char* data = buf.data();
    ASSERT_TRUE(canonical_int64("-9223372036854775808", buf, out));
    EXPECT_EQ(buf.data(), data);  // reserved once, never reallocated
    EXPECT_EQ(out, "-9223372036854775808");
}

TEST(IsFloatText, AcceptsPandasFloats) {
    for (const char* v : {"1", "-1", "+1.5", "1.", ".5", "1e5", "1E-5", "-2.5e+10", " 3.25 ", "inf",
                          "-inf", "+inf", "Infinity", "-INFINITY", "INF", "007"})
        EXPECT_TRUE(is_float_text(v)) << "'" << v << "'";
    for (const char* v : {"", " ", ".", "-", "e5", "1e", "1e+", "1.2.3", "abc", "1,5", "0x1A",
                          "nan", "NAN", "infin", " inf", "1 2", "--1", "1d5"})
        EXPECT_FALSE(is_float_text(v)) << "'" << v << "'";
}

TEST(ParsePandasBool, OnlySixSpellings) {
    for (const char* v : {"True", "TRUE", "true"}) EXPECT_EQ(parse_pandas_bool(v), true) << v;
    for (const char* v : {"False", "FALSE", "false"}) EXPECT_EQ(parse_pandas_bool(v), false) << v;
    for (const char* v : {"tRUE", "t", "1", "yes", " True", "True ", "", "0", "F"})
        EXPECT_EQ(parse_pandas_bool(v), std::nullopt) << v;
}

TEST(Utf8PrefixBytes, StopsOnCharacterBoundary) {
    const std::string s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀 (1+2+3+4 bytes)
    EXPECT_EQ(utf8_prefix_bytes(s, 100), s.size());
    EXPECT_EQ(utf8_prefix_bytes(s, 10), 10u);
    EXPECT_EQ(utf8_prefix_bytes(s, 9), 6u);
    EXPECT_EQ(utf8_prefix_bytes(s, 7), 6u);
    EXPECT_EQ(utf8_prefix_bytes(s, 6), 6u);
    EXPECT_EQ(utf8_prefix_bytes(s, 5), 3u);
    EXPECT_EQ(utf8_prefix_bytes(s, 2), 1u);
    EXPECT_EQ(utf8_prefix_bytes(s, 1), 1u);
    EXPECT_EQ(utf8_prefix_bytes(s, 0), 0u);
    EXPECT_EQ(utf8_prefix_bytes("", 3), 0u);
    // 20 bytes of two-byte characters fit VARCHAR(20) exactly; a 21-byte string is cut to 20.
    std::string e10;
    for (int i = 0; i < 10; ++i) e10 += "\xC3\xA9";
    EXPECT_EQ(utf8_prefix_bytes(e10, 20), 20u);
    EXPECT_EQ(utf8_prefix_bytes("x" + e10, 20), 19u);
}

}  // namespace
}  // namespace gdx::transform
