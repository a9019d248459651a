// The Redshift functions and syntax the originals' SQL uses give Redshift's documented
// results on both local backends, through the same translation (`gdx sql`, jobs' DML).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "pg_test_support.hpp"
#include "warehouse/sql/translate.hpp"
#include "warehouse/warehouse.hpp"

namespace fs = std::filesystem;
using namespace gdx::warehouse;

namespace {

struct Case {
    const char* sql;
    const char* want;  // the single value, as text; "NULL" for SQL NULL
};

// Redshift's results (documentation examples and hand-checked values).
const Case kCases[] = {
    {"SELECT DATEADD(month, 1, '2008-01-31')", "2008-02-29 00:00:00"},
    {"SELECT DATEADD(mon, -1, TIMESTAMP '2024-03-31 10:00:00')", "2024-02-29 10:00:00"},
    {"SELECT DATEADD(day, 1, DATEADD(day, -1, DATE_TRUNC('day', TIMESTAMP '2024-03-01 05:00')))",
     "2024-03-01 00:00:00"},
    {"SELECT DATEADD(hour, -1, DATE_TRUNC('hour', TIMESTAMP '2024-03-01 05:30'))",
     "2024-03-01 04:00:00"},
    {"SELECT DATEADD('day', 7, '2024-02-26'::date)", "2024-03-04 00:00:00"},
    {"SELECT DATEDIFF(day, '2024-03-01', '2024-02-01')", "-29"},
    {"SELECT DATEDIFF(month, '2024-01-31', '2024-02-01')", "1"},
    {"SELECT DATEDIFF(year, '2023-12-31 23:59', '2024-01-01')", "1"},
    {"SELECT DATE_TRUNC('DAY', TIMESTAMP '2024-08-14 13:45:31')", "2024-08-14 00:00:00"},
    {"SELECT DATE_TRUNC('month', DATE_TRUNC('day', TIMESTAMP '2024-08-14 13:45:31'))",
     "2024-08-01 00:00:00"},
    {"SELECT DATE_TRUNC('week', TIMESTAMP '2024-08-14 13:45:31')", "2024-08-12 00:00:00"},
    {"SELECT TO_CHAR(DATE_TRUNC('second', TIMESTAMP '2024-02-05 13:04:05.5'), "
     "'YYYY-MM-DD HH24:MI:SS')",
     "2024-02-05 13:04:05"},
    {"SELECT TO_CHAR(DATE_TRUNC('month', TIMESTAMP '2024-02-05 13:04:05'), 'YYYY-MM')", "2024-02"},
    {"SELECT TO_CHAR(TIMESTAMP '2024-02-05 13:04:05', 'Mon DD, YYYY HH12 AM')",
     "Feb 05, 2024 01 PM"},
    {"SELECT CONVERT_TIMEZONE('America/Vancouver', TIMESTAMP '2024-07-01 12:00:00')",
     "2024-07-01 05:00:00"},
    {"SELECT CONVERT_TIMEZONE('UTC', 'America/Vancouver', '2024-01-01 03:00:00')",
     "2023-12-31 19:00:00"},
    {"SELECT DATE_TRUNC('day', CONVERT_TIMEZONE('America/Vancouver', TIMESTAMP '2024-01-01 "
     "03:00'))",
     "2023-12-31 00:00:00"},
    {"SELECT TRANSLATE(TRANSLATE('a b.c', ' ', '_'), '.', '')", "a_bc"},
    {"SELECT SPLIT_PART('https://www2.gov.bc.ca/gov', '/', 3)", "www2.gov.bc.ca"},
    {"SELECT DATE('2024-02-05 13:04:05')", "2024-02-05"},
    {"SELECT (DATE(TIMESTAMP '2024-02-05 13:04:05'))", "2024-02-05"},
    {"SELECT '20240205'::date", "2024-02-05"},
    {"SELECT '2024-02-05 10:11:12'::timestamp", "2024-02-05 10:11:12"},
    {"SELECT CAST('2024-02-05 10:11:12' AS TIMESTAMP(0))", "2024-02-05 10:11:12"},
    {"SELECT CAST('7' AS INTEGER) + 1", "8"},
    {"SELECT '42'::int * 2", "84"},
    {"SELECT 'yes'::BOOLEAN", "1"},
    {"SELECT (0)::BOOLEAN", "0"},
    {"SELECT CASE WHEN '2024-02-05'::date BETWEEN '20240201' AND '20240215' THEN 1 ELSE 0 END",
     "1"},
    {"SELECT CASE WHEN '2024-02-16'::date BETWEEN '20240201' AND '20240215' THEN 1 ELSE 0 END",
     "0"},
    {"SELECT CASE WHEN '2024-02-05'::date >= '20240205' THEN 1 ELSE 0 END", "1"},
    {"SELECT CASE WHEN '20240204' < '2024-02-05'::date THEN 1 ELSE 0 END", "1"},
    {"SELECT NVL(NULL, 'x')", "x"},
    {"SELECT LEN('añb')", "3"},
    {"SELECT LEFT('abc', 2) || RIGHT('abc', 1)", "abc"},
    {"SELECT POSITION('?' IN 'a?b')", "2"},
    {"SELECT CASE WHEN 'ABC' ILIKE '%b%' THEN 1 ELSE 0 END", "1"},
    {"SELECT \"A\".\"X\" FROM (SELECT 1 AS x) AS \"A\"", "1"},
    {"SELECT * FROM (SELECT 5 AS x)", "5"},
    {"SELECT x FROM (SELECT * FROM (SELECT 6 AS x)) WHERE x > 1", "6"},
    {"SELECT REGEXP_REPLACE('a1b22c', '[0-9]')", "abc"},
    {"SELECT REGEXP_REPLACE('id=1&b=2&c=3', '([^&]*&[^&]*)&.*', '$1')", "id=1&b=2"},
    // Redshift reads backslash escapes in literals: '\\.' is the regex \. (a dot).
    {"SELECT REGEXP_SUBSTR('https://www2.gov.bc.ca:443/x', '[^/]+\\\\.[^/:]+')", "www2.gov.bc.ca"},
    {"SELECT REGEXP_SUBSTR('abc', 'x')", ""},
    {"SELECT REGEXP_REPLACE('/a/index.html', 'index.(html|htm)$', '')", "/a/"},
    {"SELECT 'a\\\\b' || '\\/'", "a\\b/"},
    // GETDATE() with the pinned clock (see the fixture): 06:00:01 PST is 14:00:01 UTC.
    {"SELECT GETDATE()", "2024-02-16 14:00:01"},
    {"SELECT SYSDATE", "2024-02-16 14:00:01"},
    {"SELECT DATEADD(day, 0, DATE_TRUNC('day', CONVERT_TIMEZONE('America/Vancouver', "
     "GETDATE())))",
     "2024-02-16 00:00:00"},
    {"SELECT CASE WHEN DATEADD(day, -1, DATE_TRUNC('day', GETDATE())) < '2024-02-15 00:00:01' "
     "THEN 1 ELSE 0 END",
     "1"},
};

std::string text(const Value& v) {
    if (std::holds_alternative<std::monostate>(v)) return "NULL";
    if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
    return std::get<std::string>(v);
}

std::string single_value(Warehouse& wh, const std::string& sql) {
    std::string out = "<no row>";
    wh.run_script(sql, [&](const ResultRow& r) { out = text(r.values.at(0)); });
    return out;
}

class RedshiftFunctions : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        ::setenv("TZ", "America/Vancouver", 1);
        ::setenv("GDX_NOW", "2024-02-16T06:00:01", 1);
        if (GetParam() == "sqlite") {
            dir_ = fs::temp_directory_path() / ("gdx-fn-" + std::to_string(::getpid()));
            fs::create_directories(dir_);
            wh_ = open_warehouse("sqlite:" + (dir_ / "w.db").string());
        } else {
            wh_ = open_warehouse(gdx::test::pg_fresh_database("gdx_fn"));
        }
    }
    void TearDown() override {
        wh_.reset();
        if (!dir_.empty()) fs::remove_all(dir_);
        ::unsetenv("GDX_NOW");
        ::unsetenv("TZ");
    }
    fs::path dir_;
    std::unique_ptr<Warehouse> wh_;
};

TEST_P(RedshiftFunctions, GiveRedshiftsResults) {
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.sql);
        std::string got;
        ASSERT_NO_THROW(got = single_value(*wh_, c.sql));
        EXPECT_EQ(got, c.want);
    }
}

TEST_P(RedshiftFunctions, DatesStoredInTablesCompareWithCompactLiterals) {
    wh_->run_script(
        "CREATE SCHEMA IF NOT EXISTS t; CREATE TABLE t.d (day DATE, at TIMESTAMP);"
        "INSERT INTO t.d VALUES ('2024-02-01', '2024-02-01 00:00:00'),"
        " ('2024-02-15', '2024-02-15 12:00:00'), ('2024-02-16', '2024-02-16 00:00:00');",
        nullptr);
    EXPECT_EQ(single_value(*wh_,
                           "SELECT COUNT(*) FROM t.d WHERE day BETWEEN '20240201' AND "
                           "'20240215'"),
              "2");
    // The end bound of a timestamp is midnight: 2024-02-15 12:00 is outside.
    EXPECT_EQ(single_value(*wh_,
                           "SELECT COUNT(*) FROM t.d WHERE at BETWEEN '20240201' AND "
                           "'20240215'"),
              "1");
    EXPECT_EQ(single_value(*wh_,
                           "SELECT MAX(day) FROM t.d WHERE at < DATEADD(day, -1, "
                           "DATE_TRUNC('day', GETDATE()))"),
              "2024-02-01");
}

TEST_P(RedshiftFunctions, QuotedIdentifiersFoldToLowerCase) {
    wh_->run_script(
        "CREATE SCHEMA IF NOT EXISTS q; CREATE TABLE q.office (\"ID\" INT, \"OFFICESIZE\" "
        "VARCHAR(10)); INSERT INTO q.office VALUES (1, 'L');",
        nullptr);
    EXPECT_EQ(single_value(*wh_, "SELECT o.officesize FROM q.office AS o WHERE id = 1"), "L");
    EXPECT_EQ(single_value(*wh_, "SELECT \"OfficeSize\" FROM q.office"), "L");
    const auto schema = wh_->describe_table("q.office");
    ASSERT_TRUE(schema);
    EXPECT_EQ(schema->columns.at(1).name, "officesize");
}

TEST_P(RedshiftFunctions, BadInputIsAnError) {
    EXPECT_ANY_THROW(single_value(*wh_, "SELECT DATEADD(day, 1, 'not a date')"));
    EXPECT_ANY_THROW(single_value(*wh_, "SELECT CONVERT_TIMEZONE('Mars/Olympus', GETDATE())"));
    ::setenv("GDX_NOW", "tomorrow", 1);
    EXPECT_ANY_THROW(single_value(*wh_, "SELECT GETDATE()"));
}

TEST_P(RedshiftFunctions, LateralColumnAliasesResolveAsOnRedshift) {
    wh_->run_script(
        "CREATE SCHEMA IF NOT EXISTS l; CREATE TABLE l.pages (page VARCHAR(100));"
        "INSERT INTO l.pages VALUES ('https://a.gov.bc.ca/x'), ('https://b.gov.bc.ca/y');",
        nullptr);
    // An output alias used in WHERE and, later, in the same select list.
    EXPECT_EQ(single_value(*wh_,
                           "SELECT label FROM (SELECT SPLIT_PART(page, '/', 3) AS host, "
                           "'h=' || host AS label FROM l.pages WHERE host = 'b.gov.bc.ca') AS q"),
              "h=b.gov.bc.ca");
}

INSTANTIATE_TEST_SUITE_P(Backends, RedshiftFunctions, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(RedshiftTranslation, PostgresRewritesAreTextual) {
    ::unsetenv("GDX_NOW");
    const auto t = sql::translate_redshift(
        "SELECT DATEADD(day,-1, DATE_TRUNC('day',GETDATE())), NVL(a, 1) FROM (SELECT 1 AS a)",
        sql::Dialect::PostgreSQL);
    ASSERT_EQ(t.statements.size(), 1u);
    EXPECT_EQ(t.statements[0],
              "SELECT (CAST(DATE_TRUNC('day',date_trunc('second', now() AT TIME ZONE 'UTC')) AS "
              "timestamp) + (-1) * INTERVAL '1 day'), COALESCE(a, 1) FROM (SELECT 1 AS a) AS "
              "gdx_subquery_1");
}

TEST(RedshiftTranslation, SqliteRewritesAreTextual) {
    const auto t = sql::translate_redshift(
        "SELECT dd.isweekend::BOOLEAN, x::date, \"OFFICESIZE\" FROM t WHERE d BETWEEN "
        "'20240201' AND '20240215' AND s = '20240201x'",
        sql::Dialect::SQLite);
    ASSERT_EQ(t.statements.size(), 1u);
    EXPECT_EQ(t.statements[0],
              "SELECT redshift_bool(dd.isweekend) AS \"isweekend\", redshift_date(x) AS \"x\", "
              "\"officesize\" FROM t WHERE "
              "d BETWEEN '2024-02-01' AND '2024-02-15' AND s = '20240201x'");
}

}  // namespace
