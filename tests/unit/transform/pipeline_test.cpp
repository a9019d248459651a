// RowTransformer end to end on small inputs: CSV text -> reader -> compiled plan -> batch
// text. The expected batches are written out by hand from the rules (pandas semantics, batch
// format), so the fast paths (runs of unchanged fields, the direct date layout) are held to
// exactly what the general per-cell path writes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "csv/batch_writer.hpp"
#include "csv/byte_source.hpp"
#include "csv/csv_reader.hpp"
#include "string_writer.hpp"
#include "transform/column_plan.hpp"
#include "transform/pipeline.hpp"
#include "util/error.hpp"

namespace gdx::transform {
namespace {

types::TableSchema schema(const std::vector<std::pair<std::string, std::string>>& columns) {
    types::TableSchema s{"s.t", {}};
    for (const auto& [name, declared] : columns)
        s.columns.push_back({name, types::parse_declared_type(declared)});
    return s;
}

// Transforms every row of `csv_text` (no header) and returns the batch without its header.
std::string transform(const ColumnEdits& edits, const types::TableSchema* target,
                      std::string_view csv_text, char delimiter = '|',
                      size_t read_chunk = static_cast<size_t>(-1)) {
    const ColumnPlan plan = compile_column_plan(edits, target);
    csv::StringSource src(csv_text, read_chunk);
    csv::CsvOptions opt;
    opt.delimiter = delimiter;
    opt.buffer_size = 64;  // small: records straddle refills
    csv::CsvReader reader(src, opt);
    gdx::test::StringWriter sink;
    csv::BatchWriter writer(sink, 16);  // small: flushes mid-stream
    RowTransformer transformer(plan);
    csv::Row row;
    while (reader.next(row)) transformer.write_row(row, writer);
    writer.flush();
    return sink.data;
}

ColumnEdits call_centre_like() {
    ColumnEdits e;
    e.columns = {"id", "name", "day", "flag", "n", "x", "y", "phone"};
    e.string_limits = {{"name", 5}};
    e.dates = {{"day", "%Y%m%d"}};
    e.bools = {"flag"};
    e.ints = {"n"};
    return e;
}

types::TableSchema call_centre_table() {
    return schema({{"id", "VARCHAR(6)"},
                   {"name", "VARCHAR(10)"},
                   {"day", "TIMESTAMP"},
                   {"flag", "BOOLEAN"},
                   {"n", "BIGINT"},
                   {"x", "DOUBLE PRECISION"},
                   {"y", "DOUBLE PRECISION"},
                   {"phone", "VARCHAR(12)"}});
}

TEST(RowTransformer, UnchangedFieldsAndEditedOnesInOneRow) {
    const auto table = call_centre_table();
    EXPECT_EQ(transform(call_centre_like(), &table,
                        "007|Alice|20230221|True|42|1.5|-2|250-555-0100\n"
                        "008|Roberta|20240229|false|0042|3|4.25|\n"),
              "007|Alice|2023-02-21 00:00:00|True|42|1.5|-2|250-555-0100\n"
              "008|Rober|2024-02-29 00:00:00|false|42|3|4.25|\n");
}

TEST(RowTransformer, MissingValuesBreakRunsAndBecomeEmptyOrNull) {
    const auto table = call_centre_table();
    // NA tokens: '' in text columns, \N elsewhere; "" stays "" in text columns.
    EXPECT_EQ(transform(call_centre_like(), &table,
                        "NA|null||NaN|NA|nan|NULL|n/a\n"
                        "|x|20230101|True|1|1|1|\n"),
              "||\\N|\\N|\\N|\\N|\\N|\n"
              "|x|2023-01-01 00:00:00|True|1|1|1|\n");
}

TEST(RowTransformer, BytesThatNeedEscapingInsideARunAreEscaped) {
    const auto table = call_centre_table();
    EXPECT_EQ(transform(call_centre_like(), &table, "a\\b|c\\|20230101|TRUE|-5|1e3|2|back\\\\\n"),
              "a\\\\b|c\\\\|2023-01-01 00:00:00|TRUE|-5|1e3|2|back\\\\\\\\\n");
}

TEST(RowTransformer, QuotedFieldsWithDelimitersAndLineBreaksAreEscaped) {
    const auto table = call_centre_table();
    EXPECT_EQ(transform(call_centre_like(), &table,
                        "\"a|b\"|\"x\"\"y\"|20230101|True|1|\"2\"|3|\"l\nf\"\n"
                        "\"\"|\"\"|20230101|True|1|\"1\".5|\"-2\".25|\"a\rb\"\n"),
              "a\\|b|x\"y|2023-01-01 00:00:00|True|1|2|3|l\\\nf\n"
              "||2023-01-01 00:00:00|True|1|1.5|-2.25|a\\\rb\n");
}

TEST(RowTransformer, OtherDelimiterKeepsPipesInsideFieldsEscaped) {
    const auto table = call_centre_table();
    EXPECT_EQ(transform(call_centre_like(), &table,
                        "a|b,c|d,20230101,True,1,2,3,x|\n"
                        "|,|,20230101,True,1,2,3,|\n",
                        ','),
              "a\\|b|c\\|d|2023-01-01 00:00:00|True|1|2|3|x\\|\n"
              "\\||\\||2023-01-01 00:00:00|True|1|2|3|\\|\n");
}

TEST(RowTransformer, NaValuesShapedLikeNumbersBoolsOrDatesStayMissing) {
    const auto table = call_centre_table();
    ColumnEdits e = call_centre_like();
    e.na_values = {"20230101", "True", "7", "2.5"};
    const std::string csv = "1|a|20230101|True|7|2.5|2.5|x\n1|a|20230102|False|8|2.25|1|x\n";
    EXPECT_EQ(transform(e, &table, csv),
              "1|a|\\N|\\N|\\N|\\N|\\N|x\n"
              "1|a|2023-01-02 00:00:00|False|8|2.25|1|x\n");
    e.keep_default_na = false;  // "" is then a value: it stays '' in text columns
    EXPECT_EQ(transform(e, &table, "||20230102|True|7|2.5|3|NA\n"),
              "||2023-01-02 00:00:00|\\N|\\N|\\N|3|NA\n");
}

// The originals' COPY … NULL AS '-': "-" is NULL in every column that is not text, with or
// without an edit, on the fast paths and the general one; it stays "-" in text columns.
TEST(RowTransformer, DashIsNullInColumnsThatAreNotText) {
    const auto table = call_centre_table();
    EXPECT_EQ(transform(call_centre_like(), &table, "-|-|-|-|-|-|-|-\n-|-|20230101|True|1|-|2|-\n"),
              "-|-|\\N|\\N|\\N|\\N|\\N|-\n-|-|2023-01-01 00:00:00|True|1|\\N|2|-\n");

    ColumnEdits plain;
    plain.columns = {"i", "d", "dt", "ts", "tz", "b", "r", "s", "t"};
    const auto types = schema({{"i", "INTEGER"},
                               {"d", "DECIMAL(8,2)"},
                               {"dt", "DATE"},
                               {"ts", "TIMESTAMP"},
                               {"tz", "TIMESTAMPTZ"},
                               {"b", "BOOLEAN"},
                               {"r", "REAL"},
                               {"s", "SMALLINT"},
                               {"t", "TEXT"}});
    EXPECT_EQ(transform(plain, &types, "-|-|-|-|-|-|-|-|-\n-1|-1.5|2023-01-01|-|-|-|-2|-|x\n"),
              "\\N|\\N|\\N|\\N|\\N|\\N|\\N|\\N|-\n"
              "-1|-1.5|2023-01-01|\\N|\\N|\\N|-2|\\N|x\n");
    // Only a field that is exactly "-" (no trimming, no other dash).
    for (const char* bad : {"--", " -", "- ", "\"-\"x"}) {
        SCOPED_TRACE(bad);
        EXPECT_THROW(transform(plain, &types, std::string(bad) + "|1|||||||\n"), DataError);
    }
    // An added constant "-" is NULL too (a table-less plan loads it as text).
    ColumnEdits added = plain;
    added.columns = {"i", "d", "dt", "ts", "tz", "b", "r", "s"};
    added.add = {{"t", std::string("-")}, {"i", std::string("-")}};
    EXPECT_EQ(transform(added, &types, "7|1||||||\n"), "\\N|1|\\N|\\N|\\N|\\N|\\N|\\N|-\n");
}

TEST(RowTransformer, DashIsTestedAfterReplaceAsCopySawIt) {
    ColumnEdits e;
    e.columns = {"a", "b", "c"};
    e.replace = {{"a", "-", "0", false}, {"b", "none", "-", false}, {"c", "-", "dash", false}};
    const auto table = schema({{"a", "INTEGER"}, {"b", "INTEGER"}, {"c", "VARCHAR(5)"}});
    EXPECT_EQ(transform(e, &table, "-|none|-\n-|-|x\n"), "0|\\N|dash\n0|\\N|x\n");
}

TEST(RowTransformer, DashInANotNullColumnIsADataErrorShowingIt) {
    ColumnEdits e;
    e.columns = {"a"};
    auto table = schema({{"a", "INTEGER"}});
    table.columns[0].type.not_null = true;
    try {
        transform(e, &table, "1\n-\n");
        ADD_FAILURE() << "accepted";
    } catch (const DataError& err) {
        EXPECT_EQ(err.info().line, 2u);
        EXPECT_EQ(err.info().value, "-");
    }
}

TEST(RowTransformer, ShortRowsArePaddedWithMissingValues) {
    const auto table = call_centre_table();
    EXPECT_EQ(transform(call_centre_like(), &table, "1|b\n"), "1|b|\\N|\\N|\\N|\\N|\\N|\n");
}

TEST(RowTransformer, ReorderedAndDroppedColumnsAreNoRun) {
    ColumnEdits e;
    e.columns = {"a", "b", "c", "d"};
    e.drop = {"b"};
    e.add = {{"k", std::string("K")}};
    EXPECT_EQ(transform(e, nullptr, "1|2|3|4\n5||7|8\n"), "1|3|4|K\n5|7|8|K\n");
}

TEST(RowTransformer, EditsThatChangeTheValueAreApplied) {
    const auto table = call_centre_table();
    // A cut on a UTF-8 boundary, a canonical integer from a float literal, a bool spelling.
    EXPECT_EQ(transform(call_centre_like(), &table,
                        "1|\xC3\xA9\xC3\xA9\xC3\xA9|20231231|FALSE|4.0|1|2|3\n"),
              "1|\xC3\xA9\xC3\xA9|2023-12-31 00:00:00|FALSE|4|1|2|3\n");
}

TEST(RowTransformer, DateFormatsWithSeparatorsAndDateTargets) {
    ColumnEdits e;
    e.columns = {"d", "t"};
    e.dates = {{"d", "%Y-%m-%d"}, {"t", "%Y%m%d"}};
    const auto table = schema({{"d", "DATE"}, {"t", "TIMESTAMP"}});
    EXPECT_EQ(transform(e, &table, "2023-02-28|00010101\n2000-02-29|99991231\n"),
              "2023-02-28|0001-01-01 00:00:00\n2000-02-29|9999-12-31 00:00:00\n");
    // One-digit month and day: not the fixed layout, but %Y-%m-%d accepts them.
    EXPECT_EQ(transform(e, &table, "2023-2-8|20230208\n"), "2023-02-08|2023-02-08 00:00:00\n");
}

TEST(RowTransformer, InvalidDatesAreDataErrorsNamingTheCell) {
    const auto table = call_centre_table();
    for (const char* bad : {"20230229", "20231301", "20230001", "20230100", "00000101", "2023010",
                            "202301011", "2023O101", "2023-01-01"}) {
        const std::string csv = std::string("1|a|") + bad + "|True|1|1|1|x\n";
        try {
            transform(call_centre_like(), &table, csv);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const DataError& err) {
            EXPECT_EQ(err.info().column_name, "day") << bad;
            EXPECT_EQ(err.info().column, 3u) << bad;
            EXPECT_EQ(err.info().value, bad);
        }
    }
}

TEST(RowTransformer, RejectedValuesInRunsAreDataErrors) {
    const auto table = call_centre_table();
    struct Case {
        const char* row;
        const char* column;
    };
    for (const Case& c :
         {Case{"1234567|a|20230101|True|1|1|1|x\n", "id"},
          Case{"1|a|20230101|yes|1|1|1|x\n", "flag"}, Case{"1|a|20230101|True|1.5|1|1|x\n", "n"},
          Case{"1|a|20230101|True|1|abc|1|x\n", "x"},
          Case{"1|a|20230101|True|1|1|1|1234567890123\n", "phone"}}) {
        try {
            transform(call_centre_like(), &table, c.row);
            ADD_FAILURE() << c.row << " was accepted";
        } catch (const DataError& err) {
            EXPECT_EQ(err.info().column_name, c.column) << c.row;
            EXPECT_EQ(err.info().line, 1u);
        }
    }
}

TEST(RowTransformer, SameBatchWhateverTheReadChunks) {
    const auto table = call_centre_table();
    std::string csv;
    for (int i = 0; i < 200; ++i)
        csv += std::to_string(i) + "|n" + std::to_string(i % 7) + "|2023" +
               (i % 2 ? "0115" : "1231") + "|" + (i % 3 ? "True" : "False") + "|" +
               std::to_string(i * 37) + "|" + std::to_string(i) + ".5|" + (i % 5 ? "" : "NA") +
               "|" + (i % 4 ? "\"a|b\"" : "a\\b") + "\r\n";
    const std::string whole = transform(call_centre_like(), &table, csv);
    EXPECT_EQ(transform(call_centre_like(), &table, csv, '|', 7), whole);
    EXPECT_EQ(transform(call_centre_like(), &table, csv, '|', 1), whole);
    EXPECT_NE(whole.find("0|n0|2023-12-31 00:00:00|False|0|0.5|\\N|a\\\\b\n"), std::string::npos);
    EXPECT_NE(whole.find("1|n1|2023-01-15 00:00:00|True|37|1.5|\\N|a\\|b\n"), std::string::npos);
}

}  // namespace
}  // namespace gdx::transform
