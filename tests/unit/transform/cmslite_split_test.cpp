// The CMS Lite split on its own: parsed rows in, the metadata, dictionary and lookup batches
// out (no store, no warehouse).
#include "transform/cmslite_split.hpp"
#include "string_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "csv/byte_source.hpp"
#include "csv/csv_reader.hpp"
#include "util/error.hpp"

using namespace gdx;
using namespace gdx::transform;

namespace {

config::CmsliteConfig example_config() {
    return config::parse_cmslite_config(nlohmann::ordered_json::parse(R"({
 "bucket":"bkt","source":"client","destination":"processed","directory":"cms","doc":"cms.*",
 "dbschema":"cmslite","dbtable":"metadata","sql_query":"post.sql",
 "columns":["node_id","title","modified_date","content_types","dcterms_creator"],
 "column_count":5,
 "columns_metadata":["node_id","title","folder_name","modified_date"],
 "columns_lookup":["content_types","dcterms_creator"],
 "dbtables_dictionaries":["content_types","creators"],
 "dbtables_metadata":["metadata_content_types","metadata_creators"],
 "replace":[{"field":"content_types","old":"NULL","new":"||"}],
 "dateformat":[{"field":"modified_date","format":"%Y-%m-%d"}],
 "delim":",","nested_delim":"|","truncate":true})"),
                                        "cms.json");
}

types::TableSchema metadata_table() {
    types::TableSchema t;
    t.name = "cmslite.metadata";
    for (auto [name, type] : {std::pair{"node_id", "VARCHAR(10)"},
                              {"title", "VARCHAR(20)"},
                              {"folder_name", "VARCHAR(10)"},
                              {"modified_date", "DATE"}}) {
        types::TableColumn c;
        c.name = name;
        c.type = types::parse_declared_type(type);
        t.columns.push_back(c);
    }
    return t;
}

struct Split {
    std::string metadata, dictionaries[2], lookups[2];
    uint64_t unwrapped = 0;
};

Split split(const std::string& data_rows) {
    const auto cfg = example_config();
    const auto plan = cmslite_metadata_plan(cfg, metadata_table());
    csv::StringSource source(data_rows);
    csv::CsvOptions options;
    csv::CsvReader reader(source, options);
    gdx::test::StringWriter meta_out;
    csv::BatchWriter meta(meta_out);
    CmsliteSplit s(cfg, plan, meta, "test");
    csv::Row row;
    while (reader.next(row)) s.add(row);
    meta.flush();
    s.finish();
    Split out;
    out.metadata = meta_out.data;
    out.unwrapped = s.unwrapped_cells();
    EXPECT_EQ(s.lookup_columns(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        gdx::test::StringWriter d, l;
        csv::BatchWriter dw(d), lw(l);
        s.write_dictionary(i, {"id", "value"}, dw);
        s.write_lookup(i, {"node_id", "id"}, lw);
        dw.flush();
        lw.flush();
        out.dictionaries[i] = d.data;
        out.lookups[i] = l.data;
    }
    return out;
}

}  // namespace

TEST(CmsliteSplit, MetadataPlanFollowsColumnsMetadataAndTheTable) {
    const auto plan = cmslite_metadata_plan(example_config(), metadata_table());
    EXPECT_EQ(plan.batch_header,
              (std::vector<std::string>{"node_id", "title", "folder_name", "modified_date"}));
    EXPECT_EQ(plan.input_columns.size(), 5u);
}

TEST(CmsliteSplit, MetadataPlanRejectsATableOfAnotherWidth) {
    auto table = metadata_table();
    table.columns.pop_back();
    EXPECT_THROW(cmslite_metadata_plan(example_config(), table), ConfigError);
}

TEST(CmsliteSplit, RowsBecomeMetadataDictionariesAndLookups) {
    const auto s = split(
        "N1,Home,2021-05-13,|Guide|Form|Guide|,|Ministry B|Ministry A|\n"
        "N2,Budget,NULL,NULL,||\n"
        "N3,-,2021-06-01,|form|,|Ministry A|\n");
    // The header is the caller's; a missing text value loads as '', a missing date as NULL.
    EXPECT_EQ(s.metadata,
              "N1|Home||2021-05-13\n"
              "N2|Budget||\\N\n"
              "N3|-||2021-06-01\n");
    // Dictionary ids in the original's order; duplicates within a cell kept in the lookup.
    EXPECT_EQ(s.dictionaries[0], "id|value\n0|Form\n1|Guide\n2|form\n");
    EXPECT_EQ(s.lookups[0], "node_id|id\nN1|1\nN1|0\nN1|1\nN3|2\n");
    EXPECT_EQ(s.dictionaries[1], "id|value\n0|Ministry A\n1|Ministry B\n");
    EXPECT_EQ(s.lookups[1], "node_id|id\nN1|1\nN1|0\nN3|0\n");
    EXPECT_EQ(s.unwrapped, 0u);
}

TEST(CmsliteSplit, UnwrappedCellsAreCountedAndStillSplit) {
    const auto s = split("N1,Home,2021-05-13,Guide,|A|\n");
    EXPECT_EQ(s.unwrapped, 1u);
    EXPECT_EQ(s.dictionaries[0], "id|value\n0|uid\n");
}

TEST(CmsliteSplit, ABadValueIsADataErrorWithItsLineAndColumn) {
    try {
        split("N1,Home,2021-05-13,||,||\nN2,Home,not a date,||,||\n");
        FAIL() << "no error";
    } catch (const DataError& e) {
        EXPECT_EQ(e.info().line, 2u);
        EXPECT_EQ(e.info().column_name, "modified_date");
        EXPECT_EQ(e.info().value, "not a date");
    }
}
