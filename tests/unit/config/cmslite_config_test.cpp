#include "config/cmslite_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "util/error.hpp"

namespace fs = std::filesystem;
using gdx::ConfigError;
using namespace gdx::config;
using json = nlohmann::ordered_json;

namespace {

const fs::path kDir = fs::path(GDX_SHARED_DIR) / "original-configs/cmslitemetadata_to_redshift";

json production() {
    std::ifstream in(kDir / "cmslite_gdx.json");
    return json::parse(in);
}

std::string error_of(const json& j) {
    try {
        parse_cmslite_config(j, "cms.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(CmsliteConfig, ShippedConfigsLoad) {
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
    auto j = production();
    j["nested_delim"] = "||";
    EXPECT_NE(error_of(j).find("cms.json: key \"nested_delim\" must be exactly one character"),
              std::string::npos);
    j["nested_delim"] = ",";
    EXPECT_NE(error_of(j).find("must differ from \"delim\""), std::string::npos);
}

TEST(CmsliteConfig, TableListsMustCoverLookups) {
    auto j = production();
    j["dbtables_metadata"].erase(j["dbtables_metadata"].size() - 1);
    EXPECT_EQ(error_of(j),
              "cms.json: key \"dbtables_metadata\" has 5 entries but "
              "\"columns_lookup\" has 6");
    j = production();
    j["dbtables_dictionaries"].push_back("extra");
    auto c = parse_cmslite_config(j, "cms.json");
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find("extra ones are ignored"), std::string::npos);
}

TEST(CmsliteConfig, ValidationErrors) {
    auto j = production();
    j["column_count"] = 41;
    EXPECT_NE(error_of(j).find("key \"columns\" has 40 entries"), std::string::npos);
    j = production();
    j.erase("sql_query");
    EXPECT_NE(error_of(j).find("key \"sql_query\" is required"), std::string::npos);
    j = production();
    j["dateformat"].push_back(json::parse(R"({"field": "nope", "format": "%Y"})"));
    EXPECT_NE(error_of(j).find("key \"dateformat\" entry 8 names column \"nope\""),
              std::string::npos);
    j = production();
    j["columns_lookup"].push_back("nope");
    j["dbtables_dictionaries"].push_back("d");
    j["dbtables_metadata"].push_back("m");
    EXPECT_NE(error_of(j).find("key \"columns_lookup\" entry 7 names column \"nope\""),
              std::string::npos);
    j = production();
    j["replace"][0]["field"] = "missing";
    EXPECT_NE(error_of(j).find("key \"replace\" entry 1 names column \"missing\""),
              std::string::npos);
}

TEST(CmsliteConfig, RenameAppliesBeforeFieldChecks) {
    auto j = production();
    j["rename"] = json::parse(R"([{"old": "hr_url", "new": "page_url"}])");
    j["dateformat"].push_back(json::parse(R"({"field": "page_url", "format": "%Y"})"));
    EXPECT_EQ(error_of(j), "(no error)");
    auto c = parse_cmslite_config(j, "cms.json");
    auto names = cmslite_column_names(c);
    EXPECT_NE(std::find(names.begin(), names.end(), "page_url"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "hr_url"), names.end());
}
