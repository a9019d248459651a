#include "types/value_check.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace gdx::types {
namespace {

struct ValueCase {
    const char* type;
    std::string value;
    const char* error;  // nullptr: accepted
};

void PrintTo(const ValueCase& c, std::ostream* os) {
    *os << c.type << " <- '" << c.value << "'";
}

class CheckValue : public ::testing::TestWithParam<ValueCase> {};

TEST_P(CheckValue, MatchesRedshift) {
    const ValueCase& c = GetParam();
    ColumnType t = parse_declared_type(c.type);
    const char* err = check_value(t, c.value);
    if (c.error == nullptr) {
        EXPECT_EQ(err, nullptr) << c.type << " <- '" << c.value << "': " << err;
    } else {
        ASSERT_NE(err, nullptr) << c.type << " <- '" << c.value << "'";
        EXPECT_STREQ(err, c.error);
    }
}

const std::string k20(20, 'x');
// "é" is two bytes: 10 of them are 20 bytes; one more ASCII char makes 21.
const std::string kE10 = [] {
    std::string s;
    for (int i = 0; i < 10; ++i) s += "\xC3\xA9";
    return s;
}();

const ValueCase kValueCases[] = {
    // Text: length in bytes
    {"VARCHAR(20)", k20, nullptr},
    {"VARCHAR(20)", k20 + "y", "value too long for VARCHAR(20)"},
    {"VARCHAR(20)", kE10, nullptr},
    {"VARCHAR(20)", kE10 + "a", "value too long for VARCHAR(20)"},
    {"VARCHAR(20)", "", nullptr},
    {"character varying(3)", "abcd", "value too long for CHARACTER VARYING(3)"},
    {"CHAR", "ab", "value too long for CHAR"},
    {"VARCHAR", std::string(256, 'a'), nullptr},
    {"VARCHAR", std::string(257, 'a'), "value too long for VARCHAR"},
    // Integers
    {"INTEGER", "0", nullptr},
    {"INTEGER", "2147483647", nullptr},
    {"INTEGER", "2147483648", "integer out of range for INTEGER"},
    {"INTEGER", "-2147483648", nullptr},
    {"INTEGER", "-2147483649", "integer out of range for INTEGER"},
    {"INTEGER", " 42 ", nullptr},
    {"INTEGER", "+7", nullptr},
    {"INTEGER", "007", nullptr},
    {"INTEGER", "2.0", "invalid integer"},
    {"INTEGER", "1e3", "invalid integer"},
    {"INTEGER", "abc", "invalid integer"},
    {"INTEGER", "-", "invalid integer"},
    {"INTEGER", "", "invalid integer"},
    {"INTEGER", "1 2", "invalid integer"},
    {"SMALLINT", "32767", nullptr},
    {"SMALLINT", "32768", "integer out of range for SMALLINT"},
    {"SMALLINT", "-32768", nullptr},
    {"SMALLINT", "-32769", "integer out of range for SMALLINT"},
    {"BIGINT", "9223372036854775807", nullptr},
    {"BIGINT", "9223372036854775808", "integer out of range for BIGINT"},
    {"BIGINT", "-9223372036854775808", nullptr},
    {"BIGINT", "-9223372036854775809", "integer out of range for BIGINT"},
    {"BIGINT", "99999999999999999999999", "integer out of range for BIGINT"},
    // Floats
    {"DOUBLE PRECISION", "1.5", nullptr},
    {"DOUBLE PRECISION", "-2", nullptr},
    {"DOUBLE PRECISION", "+2.5e-3", nullptr},
    {"DOUBLE PRECISION", ".5", nullptr},
    {"DOUBLE PRECISION", "5.", nullptr},
    {"DOUBLE PRECISION", " 1E10 ", nullptr},
    {"DOUBLE PRECISION", "inf", nullptr},
    {"DOUBLE PRECISION", "-Infinity", nullptr},
    {"DOUBLE PRECISION", "NaN", nullptr},
    {"DOUBLE PRECISION", "1e400", "value out of range for DOUBLE PRECISION"},
    {"DOUBLE PRECISION", "1e", "invalid number"},
    {"DOUBLE PRECISION", "abc", "invalid number"},
    {"DOUBLE PRECISION", "1,5", "invalid number"},
    {"DOUBLE PRECISION", "+-1", "invalid number"},
    {"DOUBLE PRECISION", "0x10", "invalid number"},
    {"REAL", "3.4e38", nullptr},
    {"REAL", "3.5e38", "value out of range for REAL"},
    // Decimal
    {"NUMERIC(4,2)", "99.99", nullptr},
    {"NUMERIC(4,2)", "100.0", "numeric field overflow for NUMERIC(4,2)"},
    {"NUMERIC(4,2)", "-99.99", nullptr},
    {"NUMERIC(4,2)", "99.994", nullptr},
    {"NUMERIC(4,2)", "99.995", "numeric field overflow for NUMERIC(4,2)"},
    {"NUMERIC(4,2)", "0099.99", nullptr},
    {"NUMERIC(4,2)", "1.23456", nullptr},
    {"NUMERIC(4,2)", "9.99e1", nullptr},
    {"NUMERIC(4,2)", "1e2", "numeric field overflow for NUMERIC(4,2)"},
    {"NUMERIC(4,2)", "abc", "invalid number"},
    {"NUMERIC(4,2)", "1.2.3", "invalid number"},
    {"NUMERIC(4,2)", ".", "invalid number"},
    {"NUMERIC(4,2)", "inf", "invalid number"},
    {"NUMERIC(8,2)", "123456.78", nullptr},
    {"NUMERIC(8,2)", "1234567.8", "numeric field overflow for NUMERIC(8,2)"},
    {"DECIMAL(3,2)", "9.999", "numeric field overflow for DECIMAL(3,2)"},
    {"DECIMAL(3,2)", "0.999", nullptr},
    {"NUMERIC(2,1)", "0.0", nullptr},
    {"DECIMAL", "999999999999999999", nullptr},
    {"DECIMAL", "1000000000000000000", "numeric field overflow for DECIMAL"},
    {"DECIMAL", "0.5", nullptr},
    // Booleans
    {"BOOLEAN", "t", nullptr},
    {"BOOLEAN", "TRUE", nullptr},
    {"BOOLEAN", "True", nullptr},
    {"BOOLEAN", "y", nullptr},
    {"BOOLEAN", "Yes", nullptr},
    {"BOOLEAN", "1", nullptr},
    {"BOOLEAN", "F", nullptr},
    {"BOOLEAN", "false", nullptr},
    {"BOOLEAN", "n", nullptr},
    {"BOOLEAN", "NO", nullptr},
    {"BOOLEAN", "0", nullptr},
    {"BOOL", "2", "invalid boolean"},
    {"BOOL", "yess", "invalid boolean"},
    {"BOOL", "on", "invalid boolean"},
    {"BOOL", "", "invalid boolean"},
    // Dates
    {"DATE", "2024-01-05", nullptr},
    {"DATE", "2024-02-29", nullptr},
    {"DATE", "2023-02-29", "invalid date"},
    {"DATE", "2024-13-01", "invalid date"},
    {"DATE", "2024-04-31", "invalid date"},
    {"DATE", "2024-1-5", "invalid date"},
    {"DATE", "20240105", "invalid date"},
    {"DATE", "2024-01-05x", "invalid date"},
    {"DATE", "", "invalid date"},
    // Timestamps
    {"TIMESTAMP", "2024-01-05", nullptr},
    {"TIMESTAMP", "2024-01-05 10:20:30", nullptr},
    {"TIMESTAMP", "2024-01-05 10:20:30.5", nullptr},
    {"TIMESTAMP", "2024-01-05 10:20:30.123456", nullptr},
    {"TIMESTAMP", "2024-01-05 10:20:30.1234567", "invalid timestamp"},
    {"TIMESTAMP", "2024-01-05 10:20:30.", "invalid timestamp"},
    {"TIMESTAMP", "2024-01-05 24:00:00", "invalid timestamp"},
    {"TIMESTAMP", "2024-01-05 10:60:00", "invalid timestamp"},
    {"TIMESTAMP", "2024-01-05 10:20", "invalid timestamp"},
    {"TIMESTAMP", "2024-02-30 10:20:30", "invalid timestamp"},
    {"TIMESTAMP", "2024-01-05 10:20:30+01:00", nullptr},
    {"TIMESTAMP WITHOUT TIME ZONE", "garbage", "invalid timestamp"},
    {"TIMESTAMPTZ", "2024-01-05 10:20:30-08:00", nullptr},
    {"TIMESTAMPTZ", "2024-01-05 10:20:30-0800", nullptr},
    {"TIMESTAMPTZ", "2024-01-05 10:20:30+05", nullptr},
    {"TIMESTAMPTZ", "2024-01-05 10:20:30Z", nullptr},
    {"TIMESTAMPTZ", "2024-01-05 10:20:30.25+05:30", nullptr},
    {"TIMESTAMPTZ", "2024-01-05 10:20:30+5", "invalid timestamp"},
    {"TIMESTAMPTZ", "2024-01-05 10:20:30+05:3", "invalid timestamp"},
    {"TIMESTAMPTZ", "2024-01-05 10:20:30+05:30x", "invalid timestamp"},
    // Time
    {"TIME", "10:20:30", nullptr},
    {"TIME", "25:20:30", "invalid time"},
    // Unknown types are not checked
    {"GEOMETRY", "anything", nullptr},
};

INSTANTIATE_TEST_SUITE_P(Table, CheckValue, ::testing::ValuesIn(kValueCases));

TEST(CheckValueLabel, DerivedFromKindWhenDeclaredIsEmpty) {
    ColumnType t;
    t.kind = TypeKind::Text;
    t.length = 3;
    EXPECT_STREQ(check_value(t, "abcd"), "value too long for VARCHAR(3)");
    ColumnType d;
    d.kind = TypeKind::Decimal;
    d.precision = 4;
    d.scale = 2;
    EXPECT_STREQ(check_value(d, "100"), "numeric field overflow for NUMERIC(4,2)");
    ColumnType unbounded;
    unbounded.kind = TypeKind::Text;
    EXPECT_EQ(check_value(unbounded, std::string(100000, 'a')), nullptr);
}

TEST(StorageBool, TruthOfAcceptedSpellings) {
    for (const char* v : {"t", "TRUE", "true", "y", "YES", "1", " t "})
        EXPECT_TRUE(storage_bool(v)) << v;
    for (const char* v : {"f", "FALSE", "false", "n", "No", "0"})
        EXPECT_FALSE(storage_bool(v)) << v;
}

}  // namespace
}  // namespace gdx::types

namespace gdx::types {
namespace {

// The 16-byte vector test must answer exactly like the scalar one (which is_plain_decimal's
// callers rely on), for every length up to and past 16, with arbitrary bytes after the value.
TEST(PlainDecimal, VectorTestAgreesWithScalarTest) {
    std::mt19937 rng(11);
    const std::string alphabet = "0123456789.-+e x\xC3";
    char buf[64];
    for (int i = 0; i < 300000; ++i) {
        const size_t n = rng() % 20;
        for (char& ch : buf) ch = alphabet[rng() % alphabet.size()];
        for (size_t k = 0; k < n; ++k)  // mostly digits, so that the valid shapes occur
            if (rng() % 3) buf[k] = static_cast<char>('0' + rng() % 10);
        if (n > 0 && rng() % 4 == 0) buf[0] = '-';
        const std::string_view v(buf, n);
        ASSERT_EQ(is_plain_decimal_16(v), is_plain_decimal(v)) << "'" << v << "'";
    }
    auto padded = [](std::string_view v) {  // the value, then 16 readable bytes
        static std::string storage;
        storage.assign(v);
        storage.append(16, '7');
        return std::string_view(storage.data(), v.size());
    };
    for (const char* v : {"0", "-0", "1.5", "-12.25", "1234567890123456", "123456789012345.6"})
        EXPECT_TRUE(is_plain_decimal_16(padded(v))) << v;
    for (const char* v : {"", "-", ".5", "5.", "-.5", "1.2.3", "1e5", "+1", " 1", "1 ", "--1",
                          "1234567890123456789012345678901234567", "1234567890123456x"})
        EXPECT_FALSE(is_plain_decimal_16(padded(v))) << v;
}

}  // namespace
}  // namespace gdx::types
