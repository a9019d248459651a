// The config (errors name the file and the key), date resolution and object names.
#include <gtest/gtest.h>

#include <cstdlib>

#include <fmt/format.h>

#include "config/json_file.hpp"
#include "config/redshift_to_s3_config.hpp"
#include "export/export_dates.hpp"
#include "export/object_names.hpp"
#include "export/run_clock.hpp"
#include "util/error.hpp"

using namespace gdx;
using config::RedshiftToS3Config;

namespace {

RedshiftToS3Config parse(const std::string& extra) {
    const std::string text = R"({"bucket": "b", "storage": "client", "archive": "processed",
        "directory": "d/e", "object_prefix": "p", "dml": "q.sql", "header": true)" +
                             extra + "}";
    return config::parse_redshift_to_s3_config(config::parse_json_text(text, "c.json"), "c.json");
}

std::string config_error(const std::string& extra) {
    try {
        parse(extra);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(RedshiftToS3Config, DefaultsAsTheOriginal) {
    auto c = parse("");
    EXPECT_TRUE(c.addquotes);
    EXPECT_FALSE(c.escape);
    EXPECT_FALSE(c.delimiter);
    EXPECT_EQ(c.field_delimiter(), '|');
    EXPECT_EQ(c.batch_prefix(), "processed/batch/client/d/e");
    EXPECT_EQ(c.good_prefix(), "processed/good/client/d/e");
    EXPECT_EQ(c.parse_key, config::ParseKey::None);
    c = parse(R"(, "delimiter": ",", "addquotes": false, "escape": true, "extension": ".csv",
                 "sql_parse_key": "pmrp_date_range", "start_date": "unsent", "end_date": "unsent")");
    EXPECT_EQ(c.field_delimiter(), ',');
    EXPECT_EQ(c.start_date->source, config::DateSource::Unsent);
    EXPECT_EQ(c.end_date->source, config::DateSource::Max);  // as the original
}

TEST(RedshiftToS3Config, ErrorsNameTheFileAndTheKey) {
    EXPECT_NE(config_error(R"(, "sql_parse_key": "other")").find("c.json: key \"sql_parse_key\""),
              std::string::npos);
    EXPECT_NE(config_error(R"(, "sql_parse_key": "pmrp_qdata_dates", "date_list": [])")
                  .find("\"date_list\""),
              std::string::npos);
    EXPECT_NE(config_error(R"(, "sql_parse_key": "pmrp_qdata_dates")").find("sql_parse_key"),
              std::string::npos);
    EXPECT_NE(config_error(R"(, "sql_parse_key": "pmrp_date_range")").find("sql_parse_key"),
              std::string::npos);
    EXPECT_NE(config_error(R"(, "start_date": "min")").find("\"end_date\""), std::string::npos);
    EXPECT_NE(
        config_error(R"(, "start_date": "2024-01-01", "end_date": "max")").find("\"start_date\""),
        std::string::npos);
    EXPECT_NE(config_error(R"(, "start_date": "20240230", "end_date": "max")").find("start_date"),
              std::string::npos);
    // Days of the right shape that the calendar lacks, in both forms.
    for (const char* day : {"20230229", "21000229", "20240431"})
        EXPECT_NE(config_error(fmt::format(R"(, "start_date": "{}", "end_date": "max")", day))
                      .find("start_date"),
                  std::string::npos)
            << day;
    for (const char* day : {"2023-02-29", "20230229", "2024-06-31"})
        EXPECT_NE(
            config_error(
                fmt::format(R"(, "sql_parse_key": "pmrp_qdata_dates", "date_list": ["{}"])", day))
                .find("\"date_list\""),
            std::string::npos)
            << day;
    EXPECT_EQ(config_error(R"(, "start_date": "20240229", "end_date": "20000229")"), "no error");
    EXPECT_EQ(
        config_error(
            R"(, "sql_parse_key": "pmrp_qdata_dates", "date_list": ["2024-02-29", "20000229"])"),
        "no error");
    EXPECT_NE(config_error(R"(, "addquotes": "false")").find("\"addquotes\""), std::string::npos);
    EXPECT_NE(config_error(R"(, "delimiter": "'")").find("\"delimiter\""), std::string::npos);
    EXPECT_NE(config_error(R"(, "delimiter": ",,")").find("\"delimiter\""), std::string::npos);
    EXPECT_NE(config_error(R"(, "date_list": ["2021-01-01", "x'"])").find("\"date_list\""),
              std::string::npos);
    const std::string missing = config::parse_json_text(R"({"bucket": "b"})", "c.json").dump();
    try {
        config::parse_redshift_to_s3_config(config::parse_json_text(missing, "c.json"), "c.json");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("\"storage\""), std::string::npos) << e.what();
    }
}

TEST(ExportDates, UnsentTakesTheGreatestEndDateOfAnyKey) {
    std::vector<std::string> skipped;
    EXPECT_EQ(exports::unsent_start(
                  {"processed/good/client/x/pmrp_20240101_20240131_20240201T060000_part000",
                   "processed/good/client/x/pmrp_20240201_20240229_20240101T060000_part000",
                   "processed/good/client/x/odd_name", "processed/good/client/x/sub/a_b_c_d"},
                  &skipped),
              "20240301");
    EXPECT_EQ(skipped.size(), 2u);
    EXPECT_EQ(exports::unsent_start({}, nullptr), std::nullopt);
}

TEST(ExportDates, ResolvesMinMaxUnsentAndLiterals) {
    exports::DateSources s;
    s.clock = exports::clock_at_local("2024-02-16T06:00:01", "t");
    s.table_date = [](bool max) -> std::optional<std::string> {
        return max ? "2024-02-15" : "2018-05-08";
    };
    s.good_keys = [] {
        return std::vector<std::string>{"g/pmrp_20240101_20240131_20240201T060000_part000"};
    };
    using config::DateSource;
    auto r = exports::resolve_dates({DateSource::Unsent, {}}, {DateSource::Max, {}}, s, nullptr);
    EXPECT_EQ(r.start, "20240201");
    EXPECT_EQ(r.end, "20240215");
    r = exports::resolve_dates({DateSource::Min, {}}, {DateSource::Literal, "20230925"}, s,
                               nullptr);
    EXPECT_EQ(r.start, "20180508");
    // Nothing stored yet: three days before today (local).
    s.good_keys = [] { return std::vector<std::string>{}; };
    std::vector<std::string> notes;
    r = exports::resolve_dates({DateSource::Unsent, {}}, {DateSource::Max, {}}, s, &notes);
    EXPECT_EQ(r.start, "20240213");
    EXPECT_EQ(notes.size(), 1u);
}

TEST(ExportDates, ClearErrors) {
    exports::DateSources s;
    s.clock = exports::clock_at_local("2024-02-16T06:00:01", "t");
    s.table_date = [](bool) -> std::optional<std::string> { return std::nullopt; };
    s.good_keys = [] {
        return std::vector<std::string>{"g/pmrp_20240101_20240215_20240201T060000_part000"};
    };
    using config::DateSource;
    try {
        exports::resolve_dates({DateSource::Min, {}}, {DateSource::Max, {}}, s, nullptr);
        FAIL();
    } catch (const exports::DateError& e) {
        EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos);
    }
    s.table_date = [](bool) -> std::optional<std::string> { return "2024-02-15 00:00:00"; };
    try {
        exports::resolve_dates({DateSource::Unsent, {}}, {DateSource::Max, {}}, s, nullptr);
        FAIL();
    } catch (const exports::DateError& e) {
        EXPECT_STREQ(e.what(), "Start_date: 20240216 cannot be greater than end_date: 20240215.");
    }
    s.good_keys = [] { return std::vector<std::string>{"g/no_dates"}; };
    EXPECT_THROW(
        exports::resolve_dates({DateSource::Unsent, {}}, {DateSource::Max, {}}, s, nullptr),
        exports::DateError);
}

TEST(ObjectNames, KeysAsTheOriginal) {
    const std::string ts = "20240216T060001";
    EXPECT_EQ(exports::object_key(
                  "pmrp", std::pair<std::string, std::string>("20240201", "20240215"), {}, ts),
              "pmrp_20240201_20240215_20240216T060001");
    EXPECT_EQ(exports::object_key("p", std::nullopt, {}, ts), "p_20240216T060001");
    std::vector<std::string> many(40, "2021-01-01");
    const std::string k = exports::object_key("pmrp_qdata", std::nullopt, many, ts);
    EXPECT_EQ(k.size(), 255u);
    EXPECT_EQ(k.substr(k.size() - 16), "_" + ts);  // the date part is cut, not the timestamp
    EXPECT_EQ(exports::part_suffix(0), "_part000");
    EXPECT_EQ(exports::part_suffix(12), "_part012");

    auto c = parse(R"(, "extension": ".csv")");
    auto keys = exports::export_keys(c, "processed/batch/client/d/e/sub/p_1_part000");
    EXPECT_EQ(keys.client, "client/d/e/sub/p_1_part000.csv");
    EXPECT_EQ(keys.good, "processed/good/client/d/e/sub/p_1_part000");
    EXPECT_EQ(keys.bad, "processed/bad/client/d/e/sub/p_1_part000");
}

TEST(RunClock, GdxNowIsLocalTimeAsTzSays) {
    setenv("TZ", "America/Vancouver", 1);
    tzset();
    setenv("GDX_NOW", "2024-02-16T06:00:01", 1);
    auto c = exports::run_clock();
    EXPECT_EQ(exports::key_timestamp(c), "20240216T060001");
    EXPECT_EQ(std::chrono::system_clock::to_time_t(c.instant), 1708092001);  // 14:00:01 UTC
    EXPECT_EQ(exports::local_date_minus(c, 3), "20240213");
    setenv("GDX_NOW", "2024-02-16 06:00", 1);
    EXPECT_THROW(exports::run_clock(), ConfigError);
    unsetenv("GDX_NOW");
}
