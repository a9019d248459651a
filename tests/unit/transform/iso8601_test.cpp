// The cmslite-metadata date rule: ISO-8601 in (parse_iso8601), the configured format out
// (StrftimeFormat), each value on its own.
#include <gtest/gtest.h>

#include "transform/iso8601.hpp"
#include "transform/strftime.hpp"
#include "util/error.hpp"

namespace gdx::transform {
namespace {

std::string render(std::string_view format, std::string_view value) {
    ParsedTime t;
    if (!parse_iso8601(value, t)) return "<not a date>";
    std::string out;
    StrftimeFormat::compile(format).render(t, out);
    return out;
}

TEST(Iso8601, EveryShapeTheOriginalReadRendersWithTheFormat) {
    const char* kFormat = "%Y-%m-%d %H:%M:%S";
    EXPECT_EQ(render(kFormat, "2028-01-01"), "2028-01-01 00:00:00");
    EXPECT_EQ(render(kFormat, "2021-05-13 10:11:12"), "2021-05-13 10:11:12");
    EXPECT_EQ(render(kFormat, "2021-05-13T10:11:12"), "2021-05-13 10:11:12");
    EXPECT_EQ(render(kFormat, "2021-05-13T10:11"), "2021-05-13 10:11:00");
    EXPECT_EQ(render(kFormat, "2021-05-13 10:11:12.987654321"), "2021-05-13 10:11:12");
    EXPECT_EQ(render(kFormat, "2021-05-13T10:11:12,5"), "2021-05-13 10:11:12");
    // Offsets are read but not applied: the wall-clock fields as written.
    EXPECT_EQ(render(kFormat, "2021-05-13T23:11:12Z"), "2021-05-13 23:11:12");
    EXPECT_EQ(render(kFormat, "2021-05-13T23:11:12-07:00"), "2021-05-13 23:11:12");
    EXPECT_EQ(render(kFormat, "2021-05-13 23:11:12.5+0530"), "2021-05-13 23:11:12");
    EXPECT_EQ(render(kFormat, "2021-05-13T23:11:12+01"), "2021-05-13 23:11:12");
    EXPECT_EQ(render(kFormat, "2024-02-29"), "2024-02-29 00:00:00");
}

TEST(Iso8601, ValuesThatAreNoDateAreRejected) {
    for (const char* bad : {"",
                            "-",
                            "2028",
                            "2028-01",
                            "2028-1-01",
                            "28-01-01",
                            "2028-13-01",
                            "2028-02-30",
                            "2023-02-29",
                            "2028-01-01 24:00:00",
                            "2028-01-01 10:60",
                            "2028-01-01 10:00:61",
                            "2028-01-01T",
                            "2028-01-01 10",
                            "2028-01-01 10:00:00.",
                            "2028-01-01 10:00:00 Z",
                            "2028-01-01 10:00:00+25:00",
                            "2028-01-01 10:00:00+01:0",
                            "0000-01-01",
                            "01/02/2028",
                            "2028-01-01x",
                            " 2028-01-01",
                            "2028-01-01 ",
                            "yesterday"}) {
        ParsedTime t;
        EXPECT_FALSE(parse_iso8601(bad, t)) << bad;
    }
}

TEST(Iso8601, FieldsAndOffsetAreKept) {
    ParsedTime t;
    ASSERT_TRUE(parse_iso8601("0001-12-31T01:02:03.000004-09:30", t));
    EXPECT_EQ(t.year, 1);
    EXPECT_EQ(t.month, 12);
    EXPECT_EQ(t.day, 31);
    EXPECT_EQ(t.hour, 1);
    EXPECT_EQ(t.minute, 2);
    EXPECT_EQ(t.second, 3);
    EXPECT_EQ(t.microsecond, 4);
    EXPECT_TRUE(t.has_offset);
    EXPECT_EQ(t.offset_seconds, -(9 * 3600 + 30 * 60));
}

TEST(Strftime, PythonDirectivesInTheCLocale) {
    EXPECT_EQ(render("%d/%b/%Y:%H:%M:%S %z", "2021-05-03T07:08:09-07:00"),
              "03/May/2021:07:08:09 -0700");
    EXPECT_EQ(render("%z|%%|%y|%j|%f", "2021-02-01 00:00:00.25"), "|%|21|032|250000");
    EXPECT_EQ(render("%A %a %B %I%p", "2024-01-07 00:30"), "Sunday Sun January 12AM");
    EXPECT_EQ(render("%I %p", "2024-01-07 13:30"), "01 PM");
    EXPECT_EQ(render("%Y-%m-%d", "0999-01-01"), "0999-01-01");
    EXPECT_EQ(render("date: %Y", "2024-01-07"), "date: 2024");
}

TEST(Strftime, UnsupportedDirectivesAreConfigErrors) {
    EXPECT_THROW(StrftimeFormat::compile("%Y-%m-%d %Z"), ConfigError);
    EXPECT_THROW(StrftimeFormat::compile("%Y %"), ConfigError);
    EXPECT_NO_THROW(StrftimeFormat::compile("100%% %Y"));
}

}  // namespace
}  // namespace gdx::transform
