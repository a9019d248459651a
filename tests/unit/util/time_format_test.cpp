#include "util/time_format.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include <date/date.h>

using namespace gdx::util;
using namespace std::chrono;

namespace {
system_clock::time_point utc(int y, unsigned m, unsigned d, int hh, int mm, int ss, int us = 0) {
    return date::sys_days(date::year(y) / m / d) + hours(hh) + minutes(mm) + seconds(ss) +
           microseconds(us);
}
}  // namespace

TEST(TimeFormat, VancouverStandardAndDaylightTime) {
    EXPECT_EQ(format_vancouver(utc(2024, 1, 5, 21, 45, 10, 999999)),
              "2024-01-05 13:45:10-0800 (PST)");
    EXPECT_EQ(format_vancouver(utc(2024, 7, 5, 20, 45, 10)), "2024-07-05 13:45:10-0700 (PDT)");
    // Around the 2024-03-10 spring-forward (02:00 PST -> 03:00 PDT = 10:00 UTC).
    EXPECT_EQ(format_vancouver(utc(2024, 3, 10, 9, 59, 59)), "2024-03-10 01:59:59-0800 (PST)");
    EXPECT_EQ(format_vancouver(utc(2024, 3, 10, 10, 0, 0)), "2024-03-10 03:00:00-0700 (PDT)");
}

TEST(TimeFormat, TimedeltaLikePython) {
    EXPECT_EQ(format_timedelta(seconds(7)), "0:00:07");
    EXPECT_EQ(format_timedelta(microseconds(7'123'456)), "0:00:07.123456");
    EXPECT_EQ(format_timedelta(days(1) + hours(2) + microseconds(5)), "1 day, 2:00:00.000005");
    EXPECT_EQ(format_timedelta(days(2) + minutes(3)), "2 days, 0:03:00");
    EXPECT_EQ(format_timedelta(hours(27)), "1 day, 3:00:00");
    EXPECT_EQ(format_timedelta(hours(13) + minutes(5) + seconds(9)), "13:05:09");
    EXPECT_EQ(format_timedelta(microseconds(0)), "0:00:00");
    EXPECT_EQ(format_timedelta(seconds(-1)), "-1 day, 23:59:59");
}

TEST(TimeFormat, PythonLocalDatetimeOmitsZeroMicroseconds) {
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    setenv("TZ", "America/Vancouver", 1);
    tzset();
    EXPECT_EQ(format_python_local(utc(2024, 1, 5, 21, 45, 10)), "2024-01-05 13:45:10");
    EXPECT_EQ(format_python_local(utc(2024, 7, 5, 20, 45, 10, 7)), "2024-07-05 13:45:10.000007");
    if (old)
        setenv("TZ", saved.c_str(), 1);
    else
        unsetenv("TZ");
    tzset();
}
