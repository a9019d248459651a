#include "transform/strptime.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "util/error.hpp"

namespace gdx::transform {
namespace {

struct StrptimeCase {
    const char* format;
    const char* value;
    const char* iso;  // expected format_iso output (date_only = !has_time), nullptr = no match
};

void PrintTo(const StrptimeCase& c, std::ostream* os) {
    *os << "'" << c.format << "' <- '" << c.value << "'";
}

class Strptime : public ::testing::TestWithParam<StrptimeCase> {};

TEST_P(Strptime, ParsesLikePandas) {
    const StrptimeCase& c = GetParam();
    StrptimeFormat f = StrptimeFormat::compile(c.format);
    ParsedTime t;
    bool ok = f.parse(c.value, t);
    if (c.iso == nullptr) {
        EXPECT_FALSE(ok) << "'" << c.value << "' should not match '" << c.format << "'";
        return;
    }
    ASSERT_TRUE(ok) << "'" << c.value << "' should match '" << c.format << "'";
    char buf[64];
    size_t n = format_iso(t, !f.has_time(), buf);
    EXPECT_EQ(std::string(buf, n), c.iso);
}

const StrptimeCase kCases[] = {
    // %Y%m%d (pandas ISO path: two-digit month and day)
    {"%Y%m%d", "20240105", "2024-01-05"},
    {"%Y%m%d", "20240229", "2024-02-29"},
    {"%Y%m%d", "20230229", nullptr},
    {"%Y%m%d", "20240230", nullptr},
    {"%Y%m%d", "20241301", nullptr},
    {"%Y%m%d", "20240100", nullptr},
    {"%Y%m%d", "2024110", nullptr},
    {"%Y%m%d", "202401051", nullptr},
    {"%Y%m%d", "20240105 ", nullptr},
    {"%Y%m%d", " 20240105", nullptr},
    {"%Y%m%d", "2024-01-05", nullptr},
    {"%Y%m%d", "", nullptr},
    {"%Y%m%d", "abcdefgh", nullptr},
    {"%Y%m%d", "00000101", nullptr},
    // %Y-%m-%d
    {"%Y-%m-%d", "2024-01-05", "2024-01-05"},
    {"%Y-%m-%d", "2024-1-5", "2024-01-05"},
    {"%Y-%m-%d", "2024-12-31", "2024-12-31"},
    {"%Y-%m-%d", "2024-00-10", nullptr},
    {"%Y-%m-%d", "2024-13-10", nullptr},
    {"%Y-%m-%d", "2024-04-31", nullptr},
    {"%Y-%m-%d", "2024-01-05 00:00:00", nullptr},
    {"%Y-%m-%d", "2024/01/05", nullptr},
    // %Y-%m-%d %H:%M:%S
    {"%Y-%m-%d %H:%M:%S", "2024-01-05 13:45:59", "2024-01-05 13:45:59"},
    {"%Y-%m-%d %H:%M:%S", "2024-01-05 00:00:00", "2024-01-05 00:00:00"},
    {"%Y-%m-%d %H:%M:%S", "2024-01-05   7:05:09", "2024-01-05 07:05:09"},
    {"%Y-%m-%d %H:%M:%S", "2024-01-05 24:00:00", nullptr},
    {"%Y-%m-%d %H:%M:%S", "2024-01-05 23:60:00", nullptr},
    {"%Y-%m-%d %H:%M:%S", "2024-01-05 23:59:60", nullptr},
    {"%Y-%m-%d %H:%M:%S", "2024-01-05 23:59", nullptr},
    {"%Y-%m-%d %H:%M:%S", "2024-01-0513:45:59", nullptr},
    {"%Y-%m-%d %H:%M:%S", "2024-01-05 13:45:59.5", nullptr},
    // %Y-%m-%d %H:%M:%S.%f
    {"%Y-%m-%d %H:%M:%S.%f", "2021-03-04 05:06:07.123456", "2021-03-04 05:06:07.123456"},
    {"%Y-%m-%d %H:%M:%S.%f", "2021-03-04 05:06:07.5", "2021-03-04 05:06:07.500000"},
    {"%Y-%m-%d %H:%M:%S.%f", "2021-03-04 05:06:07.000000", "2021-03-04 05:06:07"},
    {"%Y-%m-%d %H:%M:%S.%f", "2021-03-04 05:06:07.123456789", "2021-03-04 05:06:07.123456"},
    {"%Y-%m-%d %H:%M:%S.%f", "2021-03-04 05:06:07.1234567890", nullptr},
    {"%Y-%m-%d %H:%M:%S.%f", "2021-03-04 05:06:07", nullptr},
    {"%Y-%m-%d %H:%M:%S.%f", "2021-03-04 05:06:07.", nullptr},
    // %d-%b-%y
    {"%d-%b-%y", "05-Jan-24", "2024-01-05"},
    {"%d-%b-%y", "5-JAN-24", "2024-01-05"},
    {"%d-%b-%y", "31-dec-68", "2068-12-31"},
    {"%d-%b-%y", "01-Jan-69", "1969-01-01"},
    {"%d-%b-%y", "01-Jan-99", "1999-01-01"},
    {"%d-%b-%y", "01-Jan-00", "2000-01-01"},
    {"%d-%b-%y", "30-Feb-24", nullptr},
    {"%d-%b-%y", "05-Jnu-24", nullptr},
    {"%d-%b-%y", "05-January-24", nullptr},
    {"%d-%b-%y", "05-Jan-2024", nullptr},
    // %b %d, %Y %I:%M:%S %p
    {"%b %d, %Y %I:%M:%S %p", "Jan 05, 2024 01:02:03 PM", "2024-01-05 13:02:03"},
    {"%b %d, %Y %I:%M:%S %p", "Jan 5, 2024 1:02:03 pm", "2024-01-05 13:02:03"},
    {"%b %d, %Y %I:%M:%S %p", "Jan 05, 2024 12:00:00 AM", "2024-01-05 00:00:00"},
    {"%b %d, %Y %I:%M:%S %p", "Jan 05, 2024 12:30:00 PM", "2024-01-05 12:30:00"},
    {"%b %d, %Y %I:%M:%S %p", "Jan 05, 2024 11:59:59 am", "2024-01-05 11:59:59"},
    {"%b %d, %Y %I:%M:%S %p", "Jan 05, 2024 13:02:03 PM", nullptr},
    {"%b %d, %Y %I:%M:%S %p", "Jan 05, 2024 00:02:03 PM", nullptr},
    {"%b %d, %Y %I:%M:%S %p", "Jan 05, 2024 01:02:03", nullptr},
    {"%b %d, %Y %I:%M:%S %p", "Jan 05 2024 01:02:03 PM", nullptr},
    // [%d/%b/%Y:%H:%M:%S %z]
    {"[%d/%b/%Y:%H:%M:%S %z]", "[05/Jan/2024:13:45:59 -0800]", "2024-01-05 13:45:59-08:00"},
    {"[%d/%b/%Y:%H:%M:%S %z]", "[05/Jan/2024:13:45:59 +0530]", "2024-01-05 13:45:59+05:30"},
    {"[%d/%b/%Y:%H:%M:%S %z]", "05/Jan/2024:13:45:59 -0800", nullptr},
    {"[%d/%b/%Y:%H:%M:%S %z]", "[05/Jan/2024:13:45:59 -0800] x", nullptr},
    // %d/%b/%Y:%H:%M:%S %z
    {"%d/%b/%Y:%H:%M:%S %z", "05/Jan/2024:13:45:59 -0800", "2024-01-05 13:45:59-08:00"},
    {"%d/%b/%Y:%H:%M:%S %z", "05/jan/2024:13:45:59 +00:00", "2024-01-05 13:45:59+00:00"},
    {"%d/%b/%Y:%H:%M:%S %z", "05/Jan/2024:13:45:59 Z", "2024-01-05 13:45:59+00:00"},
    {"%d/%b/%Y:%H:%M:%S %z", "05/Jan/2024:13:45:59 +010203", "2024-01-05 13:45:59+01:02:03"},
    {"%d/%b/%Y:%H:%M:%S %z", "05/Jan/2024:13:45:59 -08", nullptr},
    {"%d/%b/%Y:%H:%M:%S %z", "05/Jan/2024:13:45:59 -2500", nullptr},
    {"%d/%b/%Y:%H:%M:%S %z", "05/Jan/2024:13:45:59 z", nullptr},
    {"%d/%b/%Y:%H:%M:%S %z", "05/Jan/2024:13:45:59", nullptr},
    {"%d/%b/%Y:%H:%M:%S %z", "31/Apr/2024:13:45:59 -0800", nullptr},
    // Python regex backtracking on one-digit fields (not an ISO-path format)
    {"%m%d%Y", "1102024", "2024-01-10"},  // m=11 leaves 3 digits for %Y
    {"%m%d%Y", "1232024", "2024-12-03"},
    // Other directives
    {"%B %d %Y", "September 9 2024", "2024-09-09"},
    {"%a %d %b %Y", "Mon 05 Feb 2024", "2024-02-05"},
    {"%A, %d %B %Y", "monday, 05 february 2024", "2024-02-05"},
    {"%Y %j", "2024 060", "2024-02-29"},
    {"%Y %j", "2023 060", "2023-03-01"},
    {"%Y %j", "2023 367", nullptr},
    {"%Y%%%m", "2024%03", "2024-03-01"},
    {"%I:%M", "12:30", "1900-01-01 00:30:00"},
    {"%H:%M", "12:30", "1900-01-01 12:30:00"},
    {"%d %m %Y", " 5 03 2024", "2024-03-05"},  // " [1-9]" day
    {"%d%m%Y", " 5032024", "2024-03-05"},
    {"%Y T %m", "2024 t 03", "2024-03-01"},
    {"%Y T %m", "2024\t t  \t03", "2024-03-01"},
};

INSTANTIATE_TEST_SUITE_P(Table, Strptime, ::testing::ValuesIn(kCases));

TEST(StrptimeCompile, RejectsUnsupportedDirectiveNamingIt) {
    try {
        StrptimeFormat::compile("%Y-%Q");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("%Q"), std::string::npos) << e.what();
    }
    EXPECT_THROW(StrptimeFormat::compile("%Y%"), ConfigError);
    EXPECT_THROW(StrptimeFormat::compile("%c"), ConfigError);
}

TEST(StrptimeCompile, FlagsOffsetAndTime) {
    EXPECT_TRUE(StrptimeFormat::compile("%d/%b/%Y:%H:%M:%S %z").has_offset());
    EXPECT_FALSE(StrptimeFormat::compile("%Y%m%d").has_offset());
    EXPECT_FALSE(StrptimeFormat::compile("%Y%m%d").has_time());
    EXPECT_TRUE(StrptimeFormat::compile("%I %p").has_time());
}

TEST(StrptimeFields, ParsedValues) {
    ParsedTime t;
    ASSERT_TRUE(StrptimeFormat::compile("%Y-%m-%d %H:%M:%S.%f %z")
                    .parse("2021-03-04 05:06:07.000042 -07:30", t));
    EXPECT_EQ(t.year, 2021);
    EXPECT_EQ(t.month, 3);
    EXPECT_EQ(t.day, 4);
    EXPECT_EQ(t.hour, 5);
    EXPECT_EQ(t.minute, 6);
    EXPECT_EQ(t.second, 7);
    EXPECT_EQ(t.microsecond, 42);
    EXPECT_TRUE(t.has_offset);
    EXPECT_EQ(t.offset_seconds, -(7 * 3600 + 30 * 60));
}

TEST(FormatIso, DateOnlyAndFullForms) {
    char buf[64];
    ParsedTime t{2024, 1, 5, 0, 0, 0, 0, false, 0};
    EXPECT_EQ(std::string(buf, format_iso(t, true, buf)), "2024-01-05");
    EXPECT_EQ(std::string(buf, format_iso(t, false, buf)), "2024-01-05 00:00:00");
    ParsedTime u{987, 12, 31, 23, 59, 58, 10, true, -(3 * 3600 + 30 * 60)};
    EXPECT_EQ(std::string(buf, format_iso(u, false, buf)), "0987-12-31 23:59:58.000010-03:30");
}

// iso_date_fast must agree with parse + format_iso whenever it answers, and answer for every
// valid full-width date of its layouts.
TEST(IsoDateFast, AgreesWithParseAndFormatIso) {
    std::mt19937 rng(20240105);
    const std::string alphabet = "0123456789-/ .xX\xC3";
    for (const char* format : {"%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m-%d"}) {
        const StrptimeFormat f = StrptimeFormat::compile(format);
        ASSERT_TRUE(f.has_iso_date_fast()) << format;
        const size_t width = std::string_view(format).size() == 6 ? 8 : 10;
        auto check = [&](const std::string& v) {
            char fast[10];
            const bool answered = f.iso_date_fast(v, fast);
            ParsedTime t;
            const bool parsed = f.parse(v, t);
            char iso[64];
            if (answered) {
                ASSERT_TRUE(parsed) << format << " <- '" << v << "'";
                EXPECT_EQ(std::string(fast, 10), std::string(iso, format_iso(t, true, iso)))
                    << format << " <- '" << v << "'";
            } else if (v.size() == width && parsed) {
                // Only one-digit fields at the full width may be left to parse ("2023-1-015").
                EXPECT_FALSE(t.month >= 10 && t.day >= 10) << format << " <- '" << v << "'";
            }
        };
        for (int i = 0; i < 200000; ++i) {  // random strings of the width and around it
            std::string v(width - 1 + rng() % 3, ' ');
            for (char& ch : v)
                ch = rng() % 4 ? static_cast<char>('0' + rng() % 10)
                               : alphabet[rng() % alphabet.size()];
            if (width == 10 && rng() % 2) v[4] = format[2], v[7] = format[5];
            check(v);
        }
        for (int y : {1, 4, 99, 100, 400, 1582, 1900, 2000, 2023, 2024, 2100, 9999})
            for (int m = 0; m <= 13; ++m)
                for (int d = 0; d <= 32; ++d) {
                    char v[40];  // room for any int, as -O1 -Wformat-truncation demands
                    if (width == 8)
                        std::snprintf(v, sizeof v, "%04d%02d%02d", y, m, d);
                    else
                        std::snprintf(v, sizeof v, "%04d%c%02d%c%02d", y, format[2], m, format[5],
                                      d);
                    char fast[10];
                    ParsedTime t;
                    EXPECT_EQ(f.iso_date_fast(v, fast), f.parse(v, t)) << format << " <- " << v;
                    check(v);
                }
    }
}

TEST(IsoDateFast, OnlyForYearMonthDayLayouts) {
    for (const char* format : {"%d%m%Y", "%Y%m%d%H", "%Y %m %d", "%y%m%d", "%Y%m", "%YT%m%d",
                               "%Y-%m-%dT", "%Y1%m1%d", "%Y--%m-%d"})
        EXPECT_FALSE(StrptimeFormat::compile(format).has_iso_date_fast()) << format;
    char out[10];
    EXPECT_FALSE(StrptimeFormat::compile("%d%m%Y").iso_date_fast("01012023", out));
}

TEST(PandasRange, Bounds) {
    EXPECT_TRUE(in_pandas_range({2262, 4, 11, 23, 47, 16, 854775, false, 0}));
    EXPECT_FALSE(in_pandas_range({2262, 4, 11, 23, 47, 16, 854776, false, 0}));
    EXPECT_FALSE(in_pandas_range({9999, 12, 31, 0, 0, 0, 0, false, 0}));
    EXPECT_TRUE(in_pandas_range({1677, 9, 21, 0, 12, 43, 145225, false, 0}));
    EXPECT_FALSE(in_pandas_range({1677, 9, 21, 0, 12, 43, 145224, false, 0}));
    EXPECT_TRUE(in_pandas_range({2024, 1, 5, 0, 0, 0, 0, true, -8 * 3600}));
}

}  // namespace
}  // namespace gdx::transform
