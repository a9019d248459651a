// Templating the DML (the placeholder only), and turning it into a query for PostgreSQL/SQLite.
#include <gtest/gtest.h>

#include "export/dml_query.hpp"
#include "export/dml_template.hpp"
#include "util/error.hpp"

using namespace gdx::exports;

TEST(DmlTemplate, DateRangeValueDoublesItsQuotes) {
    EXPECT_EQ(date_range_value("20240201", "20240215"), "''20240201'' AND ''20240215''");
}

TEST(DmlTemplate, DateListIsTheOriginalOrChainWithItsTrailingSpace) {
    EXPECT_EQ(date_list_value({"2021-01-01", "2021-02-04"}),
              "((cfms_poc.welcome_time >= (TIMESTAMP ''2021-01-01'')) AND (cfms_poc.welcome_time "
              "< ((DATEADD(day,1, TIMESTAMP ''2021-01-01''))))) OR ((cfms_poc.welcome_time >= "
              "(TIMESTAMP ''2021-02-04'')) AND (cfms_poc.welcome_time < ((DATEADD(day,1, "
              "TIMESTAMP ''2021-02-04''))))) ");
}

TEST(DmlTemplate, OnlyTheConfiguredPlaceholderIsReplaced) {
    size_t n = 0;
    const std::string dml =
        "WHERE x ~ ''a{2,3}'' AND d BETWEEN {pmrp_date_range} AND j = ''{\"k\": 1}'' {{x}} "
        "{other} {pmrp_date_range}";
    EXPECT_EQ(fill_placeholder(dml, "pmrp_date_range", "V", &n),
              "WHERE x ~ ''a{2,3}'' AND d BETWEEN V AND j = ''{\"k\": 1}'' {{x}} {other} V");
    EXPECT_EQ(n, 2u);
    fill_placeholder("no placeholder", "pmrp_date_range", "V", &n);
    EXPECT_EQ(n, 0u);
}

TEST(DmlQuery, DecodesTheLiteralAsRedshiftDoes) {
    EXPECT_EQ(decode_unload_literal("a = ''servicebc'' AND tz = ''America/\\Vancouver'' AND "
                                    "b = \\'x\\' AND c = ''\\\\''",
                                    "t.sql"),
              "a = 'servicebc' AND tz = 'America/Vancouver' AND b = 'x' AND c = '\\'");
}

TEST(DmlQuery, RejectsALoneQuoteAndUnsupportedEscapes) {
    EXPECT_THROW(decode_unload_literal("a = 'x'", "t.sql"), gdx::ConfigError);
    EXPECT_THROW(decode_unload_literal("a = ''\\n''", "t.sql"), gdx::ConfigError);
    EXPECT_THROW(decode_unload_literal("a \\", "t.sql"), gdx::ConfigError);
    try {
        decode_unload_literal("SELECT 'x'", "dml/q.sql");
        FAIL();
    } catch (const gdx::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("dml/q.sql: byte 8"), std::string::npos) << e.what();
    }
}

TEST(DmlQuery, PortableRewrites) {
    EXPECT_EQ(portable_query("SELECT * FROM (SELECT DATEADD(day,1, x), DATEADD('month', 1, y), "
                             "'dateadd(day, 1' FROM t WHERE d BETWEEN '20240201' AND "
                             "'20240215' AND c = '20241301'\n)\n"),
              "SELECT * FROM (SELECT DATEADD('day',1, x), DATEADD('month', 1, y), "
              "'dateadd(day, 1' FROM t WHERE d BETWEEN '2024-02-01' AND '2024-02-15' AND c = "
              "'20241301'\n) AS unload_q\n");
    // Already aliased, or not a derived table: unchanged.
    EXPECT_EQ(portable_query("SELECT * FROM (SELECT 1) q"), "SELECT * FROM (SELECT 1) q");
    EXPECT_EQ(portable_query("SELECT count(*) FROM t WHERE f(x)"),
              "SELECT count(*) FROM t WHERE f(x)");
    // Comments and quoted text are left alone.
    EXPECT_EQ(portable_query("-- DATEADD(day, 1\nSELECT \"DATEADD(day,\" FROM (SELECT 1)"),
              "-- DATEADD(day, 1\nSELECT \"DATEADD(day,\" FROM (SELECT 1) AS unload_q");
}
