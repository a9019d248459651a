#include "config/s3_to_redshift_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "../../support/original_configs.hpp"
#include "config/json_file.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using gdx::ConfigError;
using namespace gdx::config;
using json = nlohmann::ordered_json;

namespace {

json minimal() {
    return json::parse(R"({
        "bucket": "bkt", "source": "client", "destination": "processed", "directory": "d",
        "doc": "x.*\\.csv", "dbtable": "s.t", "column_count": 3, "columns": ["a", "b", "c"],
        "delim": "|", "truncate": false })");
}

std::string loader_config_error(const json& j) {
    try {
        parse_s3_to_redshift_config(j, "config.d/x.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

bool has_warning(const S3ToRedshiftConfig& c, const std::string& part) {
    return std::any_of(c.warnings.begin(), c.warnings.end(),
                       [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

}  // namespace

TEST(S3ToRedshiftConfig, MinimalDefaults) {
    auto c = parse_s3_to_redshift_config(minimal(), "config.d/x.json");
    EXPECT_EQ(c.bucket, "bkt");
    EXPECT_EQ(c.columns, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(c.delim, '|');
    EXPECT_FALSE(c.truncate);
    EXPECT_EQ(c.dbschema, "microservice");
    EXPECT_EQ(c.encoding, "utf-8");
    EXPECT_EQ(c.file_limit, 0);
    EXPECT_FALSE(c.no_header);
    EXPECT_FALSE(c.strip_quotes);
    EXPECT_FALSE(c.empty_files_ok);
    EXPECT_TRUE(c.keep_default_na);
    EXPECT_FALSE(c.iam_role);
    EXPECT_FALSE(c.sql_query);
    EXPECT_TRUE(c.warnings.empty());
    EXPECT_EQ(c.source_path, "config.d/x.json");
}

TEST(S3ToRedshiftConfig, ColumnCountMismatchNamesFileAndKeys) {
    auto j = minimal();
    j["column_count"] = 4;
    EXPECT_EQ(loader_config_error(j),
              "config.d/x.json: key \"columns\" has 3 entries but \"column_count\" is 4");
}

TEST(S3ToRedshiftConfig, RequiredKeysAndTypes) {
    for (const char* key : {"bucket", "source", "destination", "directory", "doc", "dbtable",
                            "column_count", "columns", "delim", "truncate"}) {
        auto j = minimal();
        j.erase(key);
        EXPECT_EQ(loader_config_error(j),
                  std::string("config.d/x.json: key \"") + key + "\" is required but missing");
    }
    auto j = minimal();
    j["bucket"] = 5;
    EXPECT_NE(loader_config_error(j).find("key \"bucket\" must be a string, found integer"),
              std::string::npos);
    j = minimal();
    j["column_count"] = "3";
    EXPECT_NE(loader_config_error(j).find("key \"column_count\" must be an integer"),
              std::string::npos);
    j = minimal();
    j["column_count"] = 3.0;
    EXPECT_NE(loader_config_error(j).find("key \"column_count\" must be an integer"),
              std::string::npos);
    j = minimal();
    j["columns"] = json::parse(R"(["a", 2, "c"])");
    EXPECT_NE(loader_config_error(j).find("key \"columns\" entry 2 must be a string"),
              std::string::npos);
    j = minimal();
    j["columns"] = json::parse(R"(["a", "b", "a"])");
    EXPECT_NE(loader_config_error(j).find("key \"columns\" names column \"a\" twice"),
              std::string::npos);
    EXPECT_THROW(parse_s3_to_redshift_config(json::array(), "x.json"), ConfigError);
}

TEST(S3ToRedshiftConfig, DelimMustBeOneCharacter) {
    for (const char* bad : {"", "||", "\\t", "\xC2\xA6", "\""}) {
        auto j = minimal();
        j["delim"] = bad;
        EXPECT_NE(loader_config_error(j).find("config.d/x.json: key \"delim\""), std::string::npos)
            << bad;
    }
    auto j = minimal();
    j["delim"] = "\t";
    EXPECT_EQ(parse_s3_to_redshift_config(j, "x").delim, '\t');
}

TEST(S3ToRedshiftConfig, PythonTruthiness) {
    auto j = minimal();
    j["truncate"] = 1;
    j["no_header"] = "false";  // a non-empty string is true in Python
    j["strip_quotes"] = json::array();
    j["ldb_sku"] = nullptr;
    j["empty_files_ok"] = json::object({{"x", 1}});
    j["keep_default_na"] = 0;
    auto c = parse_s3_to_redshift_config(j, "x.json");
    EXPECT_TRUE(c.truncate);
    EXPECT_TRUE(c.no_header);
    EXPECT_TRUE(has_warning(c, "\"no_header\" is the string \"false\", which counts as true"));
    EXPECT_FALSE(c.strip_quotes);
    EXPECT_FALSE(c.ldb_sku);
    EXPECT_TRUE(c.empty_files_ok);
    EXPECT_FALSE(c.keep_default_na);
}

TEST(S3ToRedshiftConfig, FileLimit) {
    auto limit = [](json v) {
        auto j = minimal();
        j["file_limit"] = v;
        return parse_s3_to_redshift_config(j, "x").file_limit;
    };
    EXPECT_EQ(limit(5), 5);
    EXPECT_EQ(limit(0), 0);
    EXPECT_EQ(limit(-3), 0);
    EXPECT_EQ(limit(nullptr), 0);
    EXPECT_EQ(limit(2.0), 2);
    EXPECT_EQ(limit(2.5), 0);
    EXPECT_EQ(limit("3"), 0);
}

TEST(S3ToRedshiftConfig, UnknownColumnsAreErrors) {
    auto j = minimal();
    j["dateformat"] =
        json::parse(R"([{"field": "a", "format": "%Y"}, {"field": "zz", "format": "%Y"}])");
    EXPECT_EQ(loader_config_error(j),
              "config.d/x.json: key \"dateformat\" entry 2 names column \"zz\", "
              "which is not in \"columns\"");
    j = minimal();
    j["column_string_limit"] = json::parse(R"({"a": 5, "q": 3})");
    EXPECT_NE(loader_config_error(j).find("key \"column_string_limit\" names column \"q\""),
              std::string::npos);
    j = minimal();
    j["replace"] = json::parse(R"([{"field": "nope", "old": "x", "new": "y"}])");
    EXPECT_NE(loader_config_error(j).find("key \"replace\" entry 1 names column \"nope\""),
              std::string::npos);
    j = minimal();
    j["drop_columns"] = json::parse(R"(["b", "x"])");
    EXPECT_NE(loader_config_error(j).find("key \"drop_columns\" names column \"x\""),
              std::string::npos);
    // A dropped column cannot be reformatted afterwards (the original order).
    j = minimal();
    j["drop_columns"] = json::parse(R"(["b"])");
    j["dateformat"] = json::parse(R"([{"field": "b", "format": "%Y"}])");
    EXPECT_NE(loader_config_error(j).find("which \"drop_columns\" removes"), std::string::npos);
    // An added column can be.
    j = minimal();
    j["add_columns"] = json::parse(R"({"new": "2020"})");
    j["dateformat"] = json::parse(R"([{"field": "new", "format": "%Y"}])");
    EXPECT_EQ(loader_config_error(j), "(no error)");
}

TEST(S3ToRedshiftConfig, StringLimitMustBePositiveInteger) {
    for (json bad : {json(0), json(-1), json(2.5), json("10"), json(true)}) {
        auto j = minimal();
        j["column_string_limit"] = json::object({{"a", bad}});
        EXPECT_NE(loader_config_error(j).find("limit for \"a\" must be a positive integer"),
                  std::string::npos)
            << bad.dump();
    }
    auto j = minimal();
    j["column_string_limit"] = json::parse(R"({"c": 255, "a": 4095})");
    auto c = parse_s3_to_redshift_config(j, "x");
    ASSERT_EQ(c.column_string_limit.size(), 2u);
    EXPECT_EQ(c.column_string_limit[0], (std::pair<std::string, int64_t>{"c", 255}));
    EXPECT_EQ(c.column_string_limit[1], (std::pair<std::string, int64_t>{"a", 4095}));
}

TEST(S3ToRedshiftConfig, DtypeNamesNotInColumnsAreWarnings) {
    auto j = minimal();
    j["dtype_dic_strings"] = json::parse(R"(["a", "Source Translated Port"])");
    j["dtype_dic_ints"] = json::parse(R"(["b", "b"])");
    j["something_else"] = 1;
    auto c = parse_s3_to_redshift_config(j, "config.d/x.json");
    EXPECT_TRUE(has_warning(
        c, "config.d/x.json: key \"dtype_dic_strings\" names \"Source Translated Port\""));
    EXPECT_TRUE(has_warning(c, "unknown key \"something_else\""));
    EXPECT_EQ(c.warnings.size(), 2u);
    EXPECT_EQ(c.dtype_dic_ints, (std::vector<std::string>{"b", "b"}));
}

TEST(S3ToRedshiftConfig, AddColumnsRenderLikePandas) {
    auto j = minimal();
    j["add_columns"] = json::parse(
        R"({"n": null, "s": "new", "i": 5, "f": 1.5, "w": 5.0, "t": true, "F": false,
            "big": 1e20, "small": 0.0001, "tiny": 1.5e-7, "neg": -2})");
    auto c = parse_s3_to_redshift_config(j, "x");
    std::vector<std::pair<std::string, std::optional<std::string>>> want = {
        {"n", std::nullopt}, {"s", "new"},        {"i", "5"},     {"f", "1.5"},
        {"w", "5.0"},        {"t", "True"},       {"F", "False"}, {"big", "1e+20"},
        {"small", "0.0001"}, {"tiny", "1.5e-07"}, {"neg", "-2"}};
    EXPECT_EQ(c.add_columns, want);
    j["add_columns"] = json::parse(R"({"x": [1]})");
    EXPECT_NE(loader_config_error(j).find("key \"add_columns\" value for \"x\""),
              std::string::npos);
}

TEST(S3ToRedshiftConfig, ReplaceAndDateformatRules) {
    auto j = minimal();
    j["replace"] = json::parse(R"([{"field": "a", "old": " (\\d):", "new": " 0\\1:", "regex": true},
                                   {"field": "b", "old": "0.0", "new": "0"}])");
    j["dateformat"] = json::parse(R"([{"field": "c", "format": "%Y%m%d"}])");
    auto c = parse_s3_to_redshift_config(j, "x");
    ASSERT_EQ(c.replace.size(), 2u);
    EXPECT_EQ(c.replace[0].old_value, " (\\d):");
    EXPECT_EQ(c.replace[0].new_value, " 0\\1:");
    EXPECT_TRUE(c.replace[0].regex);
    EXPECT_FALSE(c.replace[1].regex);
    ASSERT_EQ(c.dateformat.size(), 1u);
    EXPECT_EQ(c.dateformat[0].format, "%Y%m%d");
    j["replace"] = json::parse(R"([{"field": "a", "new": "y"}])");
    EXPECT_NE(loader_config_error(j).find("key \"replace\" entry 1 has no \"old\""),
              std::string::npos);
    j["replace"] = json::parse(R"({"field": "a"})");
    EXPECT_NE(loader_config_error(j).find("key \"replace\" must be a list of objects"),
              std::string::npos);
}

TEST(S3ToRedshiftConfig, LdbSkuNeedsSqlQuery) {
    auto j = minimal();
    j["ldb_sku"] = true;
    EXPECT_NE(loader_config_error(j).find("key \"sql_query\" is required when \"ldb_sku\""),
              std::string::npos);
    j["sql_query"] = "ddl/q.sql";
    EXPECT_EQ(*parse_s3_to_redshift_config(j, "x").sql_query, "ddl/q.sql");
}

TEST(S3ToRedshiftConfig, GdxAdditions) {
    auto j = minimal();
    j["na_values"] = json::parse(R"(["-", "n/a"])");
    j["iam_role"] = "arn:aws:iam::1:role/r";
    j["encoding"] = "ISO-8859-1'";
    auto c = parse_s3_to_redshift_config(j, "x");
    EXPECT_EQ(c.na_values, (std::vector<std::string>{"-", "n/a"}));
    EXPECT_EQ(*c.iam_role, "arn:aws:iam::1:role/r");
    EXPECT_EQ(c.encoding, "ISO-8859-1'");
    j["na_values"] = "-";
    EXPECT_EQ(parse_s3_to_redshift_config(j, "x").na_values, (std::vector<std::string>{"-"}));
    j["na_values"] = 3;
    EXPECT_NE(loader_config_error(j).find("key \"na_values\""), std::string::npos);
}

TEST(S3ToRedshiftConfig, AllOriginalConfigsLoad) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path dir = gdx::test::original_config("s3_to_redshift/config.d");
    int loaded = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        if (entry.path().filename() == "epdlookup.json") {
            try {
                load_s3_to_redshift_config(entry.path());
                ADD_FAILURE() << "epdlookup.json must fail";
            } catch (const ConfigError& e) {
                EXPECT_NE(std::string(e.what()).find("epdlookup.json:2:1: "), std::string::npos)
                    << e.what();
                EXPECT_NE(std::string(e.what()).find("U+00A0"), std::string::npos);
            }
            continue;
        }
        try {
            auto c = load_s3_to_redshift_config(entry.path());
            EXPECT_EQ(static_cast<int64_t>(c.columns.size()), c.column_count);
            EXPECT_TRUE(c.warnings.empty()) << entry.path() << ": " << c.warnings.front();
            ++loaded;
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what();
        }
    }
    EXPECT_EQ(loaded, 37);
}

TEST(S3ToRedshiftConfig, SpecificOriginalValues) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path dir = gdx::test::original_config("s3_to_redshift/config.d");
    auto ldb = load_s3_to_redshift_config(dir / "ldb_sku.json");
    EXPECT_TRUE(ldb.ldb_sku);
    EXPECT_EQ(ldb.add_columns.size(), 3u);
    EXPECT_EQ(ldb.add_columns[0].first, "date_added");
    EXPECT_FALSE(ldb.add_columns[0].second);
    EXPECT_EQ(ldb.add_columns[2].second, std::optional<std::string>("new"));
    auto calls = load_s3_to_redshift_config(dir / "servicebc.call_centre_calls.json");
    EXPECT_TRUE(calls.no_header);
    EXPECT_EQ(calls.delim, '|');
    auto news = load_s3_to_redshift_config(dir / "chatbot_newreports.json");
    EXPECT_TRUE(news.strip_quotes);
    EXPECT_EQ(news.encoding, "ISO-8859-1'");
    auto cats = load_s3_to_redshift_config(dir / "cats_sbc.json");
    EXPECT_EQ(cats.drop_columns.size(), 2u);
    EXPECT_EQ(cats.replace.size(), 2u);
    EXPECT_FALSE(cats.replace[0].regex);
}

TEST(S3ToRedshiftConfig, AllDerivedAssetConfigsLoad) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path dir = gdx::test::original_config("derived_assets_to_redshift/config.d");
    int loaded = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        try {
            auto c = load_s3_to_redshift_config(entry.path(), S3ConfigFlavor::DerivedAssets);
            EXPECT_FALSE(c.truncate);
            EXPECT_EQ(c.column_count, 16);
            EXPECT_EQ(c.dateformat.at(0).format, "%d/%b/%Y:%H:%M:%S %z");
            EXPECT_TRUE(c.raw.contains("access_log_parse"));
            // Only the "Source Translated Port" dtype entry, which names no column.
            ASSERT_EQ(c.warnings.size(), 1u) << c.warnings.front();
            EXPECT_NE(c.warnings[0].find("Source Translated Port"), std::string::npos);
            ++loaded;
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what();
        }
    }
    EXPECT_EQ(loaded, 10);
    // The plain s3-to-redshift flavor requires `truncate`.
    EXPECT_THROW(load_s3_to_redshift_config(dir / "gov_assets.json"), ConfigError);
}

TEST(S3ToRedshiftConfig, BucketNamesFollowS3Rules) {
    for (const char* bad : {"..", "ab", "Upper-Case", "under_score", "-leading", "trailing.",
                            "two..dots", "192.168.1.1", "b/slash"}) {
        json j = minimal();
        j["bucket"] = bad;
        EXPECT_NE(loader_config_error(j).find("config.d/x.json: key \"bucket\" \"" +
                                              std::string(bad) + "\" is not a valid bucket name"),
                  std::string::npos)
            << bad << ": " << loader_config_error(j);
    }
    json j = minimal();
    j["bucket"] = "sp-ca-bc-gov-131565110619-12-microservices";
    EXPECT_EQ(loader_config_error(j), "(no error)");
}

TEST(S3ToRedshiftConfig, KeyPrefixesStayInsideTheBucket) {
    for (const char* key : {"source", "destination", "directory"}) {
        for (const char* bad : {"../../x", "..", "a/../b", "./a", "/abs", "a/", "a//b", "a\nb"}) {
            json j = minimal();
            j[key] = bad;
            EXPECT_NE(
                loader_config_error(j).find("config.d/x.json: key \"" + std::string(key) + "\""),
                std::string::npos)
                << key << "=" << bad << ": " << loader_config_error(j);
        }
    }
    json j = minimal();
    j["directory"] = "webdata_tran/trannet_monthly/v02-Aug_2023_automated";
    EXPECT_EQ(loader_config_error(j), "(no error)");
}

TEST(S3ToRedshiftConfig, ErrorsNameTheFileAndTheKey) {
    json j = minimal();
    j["doc"] = "x(.*\\.csv";  // unbalanced
    std::string e = loader_config_error(j);
    EXPECT_NE(e.find("config.d/x.json: key \"doc\" is not a valid regular expression"),
              std::string::npos)
        << e;
    EXPECT_EQ(e.find("csv$"), std::string::npos) << "the $ gdx appends is not the user's: " << e;
    j = minimal();
    j["encoding"] = "klingon-8";
    e = loader_config_error(j);
    EXPECT_NE(e.find("config.d/x.json: key \"encoding\""), std::string::npos) << e;
    EXPECT_NE(e.find("klingon-8"), std::string::npos) << e;
    j = minimal();
    j["replace"] = json::parse(R"([{"field": "a", "old": "(x", "new": "y", "regex": true}])");
    e = loader_config_error(j);
    EXPECT_NE(e.find("config.d/x.json: key \"replace\" entry 1: "), std::string::npos) << e;
}
