// Redshift's date functions on ISO text (what SQLite runs), against Redshift's documented
// results.
#include "warehouse/sql/redshift_datetime.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>

#include "util/error.hpp"

using namespace gdx::warehouse::sql;

namespace {

DateTime dt(const char* text) {
    auto parsed = parse_datetime(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(DateTime{});
}

std::string ts(const DateTime& t) {
    return format_timestamp(t);
}

TEST(RedshiftDatetime, ParsesIsoCompactAndOffsets) {
    EXPECT_EQ(ts(dt("2024-02-05")), "2024-02-05 00:00:00");
    EXPECT_EQ(ts(dt("20240205")), "2024-02-05 00:00:00");
    EXPECT_EQ(ts(dt(" 2024-02-05 13:04:05.120 ")), "2024-02-05 13:04:05.12");
    EXPECT_EQ(ts(dt("2024-02-05T13:04")), "2024-02-05 13:04:00");
    // The offset is ignored, as PostgreSQL's and Redshift's cast to TIMESTAMP do.
    EXPECT_EQ(ts(dt("2024-02-05 01:00:00-08")), "2024-02-05 01:00:00");
    EXPECT_EQ(ts(dt("2023-10-10 13:55:36-07:00")), "2023-10-10 13:55:36");
    EXPECT_EQ(ts(dt("2024-02-05 01:00:00+0530")), "2024-02-05 01:00:00");
    EXPECT_EQ(format_date(dt("2024-02-05 23:59:59")), "2024-02-05");
    EXPECT_FALSE(parse_datetime("2024-02-30"));
    EXPECT_FALSE(parse_datetime("yesterday"));
    EXPECT_FALSE(parse_datetime("202402051"));
    EXPECT_FALSE(parse_datetime("2024-02-05 25:00:00"));
}

TEST(RedshiftDatetime, DateAddClampsMonthsAndAcceptsAbbreviations) {
    // Redshift documentation: DATEADD(month, 1, '2008-01-31') = 2008-02-29.
    EXPECT_EQ(ts(date_add("month", 1, dt("2008-01-31"))), "2008-02-29 00:00:00");
    EXPECT_EQ(ts(date_add("mon", -1, dt("2024-03-31 10:00:00"))), "2024-02-29 10:00:00");
    EXPECT_EQ(ts(date_add("qtr", 1, dt("2024-11-30"))), "2025-02-28 00:00:00");
    EXPECT_EQ(ts(date_add("y", 1, dt("2024-02-29"))), "2025-02-28 00:00:00");
    EXPECT_EQ(ts(date_add("d", -1, dt("2024-03-01"))), "2024-02-29 00:00:00");
    EXPECT_EQ(ts(date_add("hour", -3, dt("2024-01-01 01:00:00"))), "2023-12-31 22:00:00");
    EXPECT_EQ(ts(date_add("w", 2, dt("2024-01-01"))), "2024-01-15 00:00:00");
    EXPECT_EQ(ts(date_add("ms", 1500, dt("2024-01-01"))), "2024-01-01 00:00:01.5");
    EXPECT_THROW(date_add("fortnight", 1, dt("2024-01-01")), std::invalid_argument);
}

// Found by fuzz_sql_translate (fuzz/corpus/sql_translate/regress-dateadd-overflow): a count of
// days whose microseconds overflow int64 (signed overflow, undefined behaviour).
TEST(RedshiftDatetime, DateAddBeyondTheYearsIsAnError) {
    EXPECT_THROW(date_add("day", 2130735818, dt("1011-02-08")), std::invalid_argument);
    EXPECT_THROW(date_add("millennium", INT64_MAX / 1000, dt("2024-01-01")), std::invalid_argument);
    EXPECT_THROW(date_add("month", INT64_MAX, dt("2024-01-01")), std::invalid_argument);
    EXPECT_THROW(date_add("year", 40000, dt("2024-01-01")), std::invalid_argument);
    EXPECT_THROW(date_add("day", 20000000, dt("2024-01-01")), std::invalid_argument);
    EXPECT_EQ(ts(date_add("year", 7000, dt("2024-01-01"))), "9024-01-01 00:00:00");
}

TEST(RedshiftDatetime, DateDiffCountsBoundaries) {
    EXPECT_EQ(date_diff("year", dt("2023-12-31"), dt("2024-01-01")), 1);
    EXPECT_EQ(date_diff("month", dt("2024-01-31"), dt("2024-02-01")), 1);
    EXPECT_EQ(date_diff("day", dt("2024-01-01 23:59:59"), dt("2024-01-02 00:00:00")), 1);
    EXPECT_EQ(date_diff("day", dt("2024-03-01"), dt("2024-02-01")), -29);
    EXPECT_EQ(date_diff("hour", dt("2024-01-01 10:59"), dt("2024-01-01 11:01")), 1);
    EXPECT_EQ(date_diff("week", dt("2024-01-07"), dt("2024-01-08")), 1);  // Sunday → Monday
    EXPECT_EQ(date_diff("qtr", dt("2024-03-31"), dt("2024-04-01")), 1);
}

TEST(RedshiftDatetime, DateTruncAllParts) {
    const DateTime t = dt("2024-08-14 13:45:31.123456");  // a Wednesday
    EXPECT_EQ(ts(date_trunc("second", t)), "2024-08-14 13:45:31");
    EXPECT_EQ(ts(date_trunc("minute", t)), "2024-08-14 13:45:00");
    EXPECT_EQ(ts(date_trunc("HOUR", t)), "2024-08-14 13:00:00");
    EXPECT_EQ(ts(date_trunc("day", t)), "2024-08-14 00:00:00");
    EXPECT_EQ(ts(date_trunc("week", t)), "2024-08-12 00:00:00");
    EXPECT_EQ(ts(date_trunc("month", t)), "2024-08-01 00:00:00");
    EXPECT_EQ(ts(date_trunc("quarter", t)), "2024-07-01 00:00:00");
    EXPECT_EQ(ts(date_trunc("year", t)), "2024-01-01 00:00:00");
    EXPECT_EQ(ts(date_trunc("milliseconds", t)), "2024-08-14 13:45:31.123");
}

TEST(RedshiftDatetime, ToCharPatterns) {
    const DateTime t = dt("2024-02-05 13:04:05.120000");  // a Monday
    EXPECT_EQ(to_char(t, "YYYY-MM-DD HH24:MI:SS"), "2024-02-05 13:04:05");
    EXPECT_EQ(to_char(t, "YYYY-MM"), "2024-02");
    EXPECT_EQ(to_char(t, "HH12:MI AM"), "01:04 PM");
    EXPECT_EQ(to_char(t, "Mon DD, YYYY"), "Feb 05, 2024");
    EXPECT_EQ(to_char(t, "MONTH|Month|FMMonth"), "FEBRUARY |February |February");
    EXPECT_EQ(to_char(t, "Dy DAY FMDay D"), "Mon MONDAY    Monday 2");
    EXPECT_EQ(to_char(t, "DDD Q IW MS US"), "036 1 06 120 120000");
    EXPECT_EQ(to_char(t, "\"week\" WW"), "week 06");
    EXPECT_EQ(to_char(t, "YYY YY Y HH pm FMHH12 x"), "024 24 4 01 pm 1 x");
    EXPECT_EQ(to_char(dt("2024-01-01"), "J"), "2460311");
}

TEST(RedshiftDatetime, ConvertTimezone) {
    // Summer (PDT, UTC-7) and winter (PST, UTC-8).
    EXPECT_EQ(ts(convert_timezone("UTC", "America/Vancouver", dt("2024-07-01 12:00:00"))),
              "2024-07-01 05:00:00");
    EXPECT_EQ(ts(convert_timezone("UTC", "America/Vancouver", dt("2024-01-01 03:00:00"))),
              "2023-12-31 19:00:00");
    EXPECT_EQ(ts(convert_timezone("America/Vancouver", "UTC", dt("2024-01-01 03:00:00"))),
              "2024-01-01 11:00:00");
    EXPECT_THROW(convert_timezone("UTC", "Mars/Olympus", dt("2024-01-01")), std::invalid_argument);
}

TEST(RedshiftDatetime, GetdateHonoursGdxNowAsLocalTime) {
    ::setenv("TZ", "America/Vancouver", 1);
    ::setenv("GDX_NOW", "2024-02-16T06:00:01", 1);
    EXPECT_EQ(ts(redshift_getdate()), "2024-02-16 14:00:01");  // PST = UTC-8
    ::setenv("GDX_NOW", "2024-07-16T06:00:01", 1);
    EXPECT_EQ(ts(redshift_getdate()), "2024-07-16 13:00:01");  // PDT = UTC-7
    EXPECT_EQ(ts(redshift_sysdate()), "2024-07-16 13:00:01");
    ::setenv("GDX_NOW", "2024-07-16 06:00", 1);
    EXPECT_THROW(redshift_getdate(), gdx::ConfigError);
    ::unsetenv("GDX_NOW");
    ::unsetenv("TZ");
    EXPECT_EQ(redshift_getdate().time.count() % 1000000, 0);
}

}  // namespace
