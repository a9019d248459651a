#include "config/cmslite_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../../support/original_configs.hpp"
#include "../support/test_paths.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using gdx::ConfigError;
using namespace gdx::config;
using json = nlohmann::ordered_json;

namespace {

// The repository's demo config: the base that the validation tests break one key of.
json demo() {
    std::ifstream in(fs::path(gdx::testing::source_dir()) / "examples/config.d/cmslite_demo.json");
    return json::parse(in);
}

std::string cmslite_error(const json& j) {
    try {
        parse_cmslite_config(j, "cms.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(CmsliteConfig, ShippedConfigsLoad) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path kDir = gdx::test::original_config("cmslitemetadata_to_redshift");
    for (const char* name : {"cmslite_gdx.json", "cmslite_groups_gdx.json", "cmslite_test.json"}) {
        auto c = load_cmslite_config(kDir / name);
        EXPECT_EQ(c.column_count, 40) << name;
        EXPECT_EQ(c.columns.size(), 40u);
        EXPECT_EQ(c.columns_metadata.size(), 36u);
        EXPECT_EQ(c.nested_delim, '|');
        EXPECT_EQ(c.delim, ',');
        EXPECT_TRUE(c.truncate);
        EXPECT_EQ(c.sql_query, "cmslite.to_redshift.sql");
        EXPECT_EQ(c.dateformat.size(), 7u);
        EXPECT_FALSE(c.replace.empty());
        EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
    }
    auto prod = load_cmslite_config(kDir / "cmslite_gdx.json");
    EXPECT_EQ(prod.dbschema, "cmslite");
    ASSERT_EQ(prod.columns_lookup.size(), 6u);
    EXPECT_EQ(prod.columns_lookup[5], "dcterms_creator");
    EXPECT_EQ(prod.dbtables_dictionaries[5], "creators");
    EXPECT_EQ(prod.dbtables_metadata[5], "metadata_creators");
    EXPECT_EQ(load_cmslite_config(kDir / "cmslite_groups_gdx.json").columns_lookup.size(), 8u);
}

TEST(CmsliteConfig, NestedDelimMustBeOneCharacter) {
    auto j = demo();
    j["nested_delim"] = "||";
    EXPECT_NE(cmslite_error(j).find("cms.json: key \"nested_delim\" must be exactly one character"),
              std::string::npos);
    j["nested_delim"] = ",";
    EXPECT_NE(cmslite_error(j).find("must differ from \"delim\""), std::string::npos);
}

TEST(CmsliteConfig, TableListsMustCoverLookups) {
    auto j = demo();
    j["dbtables_metadata"].erase(j["dbtables_metadata"].size() - 1);
    EXPECT_EQ(cmslite_error(j),
              "cms.json: key \"dbtables_metadata\" has 2 entries but "
              "\"columns_lookup\" has 3");
    j = demo();
    j["dbtables_dictionaries"].push_back("extra");
    auto c = parse_cmslite_config(j, "cms.json");
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find("extra ones are ignored"), std::string::npos);
}

TEST(CmsliteConfig, ValidationErrors) {
    auto j = demo();
    EXPECT_EQ(cmslite_error(j), "(no error)");
    j["column_count"] = 9;
    EXPECT_NE(cmslite_error(j).find("key \"columns\" has 8 entries"), std::string::npos);
    j = demo();
    j.erase("sql_query");
    EXPECT_NE(cmslite_error(j).find("key \"sql_query\" is required"), std::string::npos);
    j = demo();
    j["dateformat"].push_back(json::parse(R"({"field": "nope", "format": "%Y"})"));
    EXPECT_NE(cmslite_error(j).find("key \"dateformat\" entry 2 names column \"nope\""),
              std::string::npos);
    j = demo();
    j["columns_lookup"].push_back("nope");
    j["dbtables_dictionaries"].push_back("d");
    j["dbtables_metadata"].push_back("m");
    EXPECT_NE(cmslite_error(j).find("key \"columns_lookup\" entry 4 names column \"nope\""),
              std::string::npos);
    j = demo();
    j["replace"] = json::parse(R"([{"field": "missing", "old": "a", "new": "b"}])");
    EXPECT_NE(cmslite_error(j).find("key \"replace\" entry 1 names column \"missing\""),
              std::string::npos);
}

TEST(CmsliteConfig, RenameAppliesBeforeFieldChecks) {
    auto j = demo();
    j["rename"] = json::parse(R"([{"old": "page_type", "new": "kind"}])");
    j["dateformat"].push_back(json::parse(R"({"field": "kind", "format": "%Y"})"));
    EXPECT_EQ(cmslite_error(j), "(no error)");
    auto c = parse_cmslite_config(j, "cms.json");
    auto names = cmslite_column_names(c);
    EXPECT_NE(std::find(names.begin(), names.end(), "kind"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "page_type"), names.end());
}
