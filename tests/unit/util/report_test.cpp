#include "util/report.hpp"

#include <gtest/gtest.h>

#include <date/date.h>

using namespace gdx::util;
using namespace std::chrono;

namespace {
RunReport spec_example() {
    RunReport r;
    r.job = "s3-to-redshift";
    r.config_path = "config.d/servicebc.call_centre_calls.json";
    r.start = date::sys_days(date::year(2024) / 1 / 5) + hours(21) + minutes(45) + seconds(10);
    r.end = r.start + microseconds(7'123'456);
    r.objects = 3;
    r.processed = 1;
    r.failed = 1;
    r.good = 1;
    r.bad = 1;
    r.loaded = 1;
    r.empty = 1;
    r.good_list = {"client/pmrp_sbc/CallCenter-calls_20240103.csv"};
    r.bad_list = {"client/pmrp_sbc/CallCenter-calls_20240104.csv"};
    r.incomplete_list = {"client/pmrp_sbc/CallCenter-calls_20240105.csv"};
    r.empty_list = {"client/pmrp_sbc/CallCenter-calls_20240104.csv"};
    return r;
}
}  // namespace

TEST(Report, SpecExampleLayout) {
    const std::string want =
        "Report: gdx s3-to-redshift\n"
        "\n"
        "Config: config.d/servicebc.call_centre_calls.json\n"
        "\n"
        "*** ATTN: A failure occurred. Please investigate logs/s3-to-redshift.log ***\n"
        "\n"
        "Microservice started at: 2024-01-05 13:45:10-0800 (PST), ended at: 2024-01-05 "
        "13:45:17-0800 (PST), elapsing: 0:00:07.123456.\n"
        "\n"
        "Objects to process: 3\n"
        "Objects successfully processed: 1\n"
        "Objects that failed to process: 1\n"
        "Objects output to 'processed/good': 1\n"
        "Objects output to 'processed/bad': 1\n"
        "Objects loaded to Redshift: 1\n"
        "Empty Objects: 1\n"
        "\n"
        "\n"
        "List of objects successfully fully ingested from S3, processed, loaded to S3 ('good'), "
        "and copied to Redshift:\n"
        "1: client/pmrp_sbc/CallCenter-calls_20240103.csv\n"
        "\n"
        "List of objects that failed to process:\n"
        "1: client/pmrp_sbc/CallCenter-calls_20240104.csv\n"
        "\n"
        "List of objects that were not processed due to early exit:\n"
        "1: client/pmrp_sbc/CallCenter-calls_20240105.csv\n"
        "\n"
        "List of empty objects:\n"
        "1: client/pmrp_sbc/CallCenter-calls_20240104.csv\n";
    EXPECT_EQ(format_report_text(spec_example(), "logs/s3-to-redshift.log"), want);
}

TEST(Report, SuccessHasNoAttnAndRepairedLineOnlyWhenNeeded) {
    RunReport r = spec_example();
    r.failed = r.bad = 0;
    r.bad_list.clear();
    r.incomplete_list.clear();
    r.empty_list.clear();
    r.good_list.push_back("client/b.csv");
    r.start = date::sys_days(date::year(2024) / 7 / 5) + hours(20);
    r.end = r.start + seconds(7);
    std::string text = format_report_text(r, "logs/x.log");
    EXPECT_EQ(text.find("ATTN"), std::string::npos);
    EXPECT_EQ(text.find("repaired"), std::string::npos);
    EXPECT_NE(text.find("Config: config.d/servicebc.call_centre_calls.json\n\nMicroservice "
                        "started at: 2024-07-05 13:00:00-0700 (PDT), ended at: 2024-07-05 "
                        "13:00:07-0700 (PDT), elapsing: 0:00:07.\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("1: client/pmrp_sbc/CallCenter-calls_20240103.csv\n2: client/b.csv\n"),
              std::string::npos);

    r.repaired = 1;
    r.repaired_list = {"client/r.csv"};
    text = format_report_text(r, "logs/x.log");
    EXPECT_NE(
        text.find("Empty Objects: 1\nObjects repaired (already loaded, copy finished): 1\n\n"),
        std::string::npos)
        << text;
    EXPECT_TRUE(text.ends_with("copy to 'good' finished):\n1: client/r.csv\n")) << text;
}

// Redshift keeps the original's wording; any other warehouse is named by its scheme. Objects a
// concurrent run claimed are listed as skipped.
TEST(Report, NamesTheWarehouseAndListsObjectsClaimedByAnotherRun) {
    RunReport r = spec_example();
    EXPECT_NE(format_report_text(r, "x.log").find("Objects loaded to Redshift: 1\n"),
              std::string::npos);
    r.warehouse = "sqlite";
    r.skipped_list = {"client/c.csv"};
    const std::string text = format_report_text(r, "x.log");
    EXPECT_NE(text.find("Objects loaded to the warehouse (sqlite): 1\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("and copied to the warehouse (sqlite):\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("Redshift"), std::string::npos) << text;
    EXPECT_NE(text.find("Objects skipped (claimed by another run): 1\n"), std::string::npos)
        << text;
    EXPECT_TRUE(
        text.ends_with("List of objects skipped (claimed by another run):\n"
                       "1: client/c.csv\n"))
        << text;
    r.bad_objects = {
        {"client/b.csv", "cannot parse 'x'", 3, 2, "processed/bad/client/b.csv.error.json"}};
    const auto j = report_to_json(r);
    EXPECT_EQ(j["skipped_list"], nlohmann::json::array({"client/c.csv"}));
    EXPECT_EQ(j["warehouse"], "sqlite");
    EXPECT_EQ(j["bad_objects"][0]["line"], 3);
    EXPECT_EQ(j["bad_objects"][0]["column"], 2);
    EXPECT_EQ(j["bad_objects"][0]["sidecar"], "processed/bad/client/b.csv.error.json");
}

TEST(Report, Json) {
    const auto j = report_to_json(spec_example());
    EXPECT_EQ(j["job"], "s3-to-redshift");
    EXPECT_EQ(j["objects"], 3);
    EXPECT_EQ(j["bad"], 1);
    EXPECT_EQ(j["start"], "2024-01-05 13:45:10-0800 (PST)");
    EXPECT_EQ(j["start_utc"], "2024-01-05T21:45:10.000000Z");
    EXPECT_EQ(j["elapsed"], "0:00:07.123456");
    EXPECT_DOUBLE_EQ(j["elapsed_seconds"].get<double>(), 7.123456);
    EXPECT_EQ(j["incomplete_list"][0], "client/pmrp_sbc/CallCenter-calls_20240105.csv");
    EXPECT_TRUE(j["tables"].is_array());
}
