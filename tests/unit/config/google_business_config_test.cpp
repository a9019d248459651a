// The google-business config: the original's keys, "" dates, numeric ids, clear errors.
#include <gtest/gtest.h>

#include "config/google_business_config.hpp"
#include "util/error.hpp"

namespace gdx::config {
namespace {

using nlohmann::ordered_json;

ordered_json original_shape() {
    return ordered_json::parse(R"({
      "bucket": "b", "source": "client", "destination": "processed",
      "directory": "google_mybusiness", "dbtable": "google.mybusiness",
      "metrics": ["CALL_CLICKS", "WEBSITE_CLICKS"],
      "locations": [{"client_shortname": "servicebc", "name": "Service BC Locations",
                     "id": 5448030039, "start_date": "", "end_date": ""},
                    {"client_shortname": "north", "name": "North", "id": "77",
                     "start_date": "2026-01-01", "end_date": "2026-02-01"}]})");
}

std::string business_config_error(const ordered_json& j) {
    try {
        parse_google_business_config(j, "cfg.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

TEST(GoogleBusinessConfig, ReadsTheOriginalKeys) {
    auto cfg = parse_google_business_config(original_shape(), "cfg.json");
    EXPECT_EQ(cfg.prefix(), "client/google_mybusiness/");
    EXPECT_EQ(cfg.metrics, (std::vector<std::string>{"CALL_CLICKS", "WEBSITE_CLICKS"}));
    ASSERT_EQ(cfg.groups.size(), 2u);
    EXPECT_EQ(cfg.groups[0].id, "5448030039");
    EXPECT_FALSE(cfg.groups[0].start_date);
    EXPECT_FALSE(cfg.groups[0].end_date);
    EXPECT_EQ(cfg.groups[1].id, "77");
    EXPECT_EQ(cfg.groups[1].start_date, "2026-01-01");
    EXPECT_TRUE(cfg.warnings.empty());
}

TEST(GoogleBusinessConfig, BadValuesNameTheKey) {
    auto j = original_shape();
    j["metrics"] = {"CALL_CLICKS", "CALL_CLICKS"};
    EXPECT_NE(business_config_error(j).find("metrics"), std::string::npos);
    j = original_shape();
    j["locations"][0]["client_shortname"] = "a/b";
    EXPECT_NE(business_config_error(j).find("locations[0].client_shortname"), std::string::npos);
    j = original_shape();
    j["locations"][1]["end_date"] = "2026/02/01";
    EXPECT_NE(business_config_error(j).find("locations[1].end_date"), std::string::npos);
    j = original_shape();
    j["locations"][0].erase("id");
    EXPECT_NE(business_config_error(j).find("locations[0].id"), std::string::npos);
    j = original_shape();
    j["locations"] = ordered_json::array();
    EXPECT_NE(business_config_error(j).find("locations"), std::string::npos);
    j = original_shape();
    j.erase("metrics");
    EXPECT_NE(business_config_error(j).find("metrics"), std::string::npos);
}

// A date the calendar lacks passed the shape check and reached the job, which turned it into
// days through an empty optional (undefined behaviour).
TEST(GoogleBusinessConfig, ADayTheMonthLacksIsAConfigError) {
    for (const char* day : {"2023-02-29", "2026-04-31", "2100-02-29"}) {
        auto j = original_shape();
        j["locations"][1]["start_date"] = day;
        EXPECT_NE(business_config_error(j).find("locations[1].start_date"), std::string::npos)
            << day;
    }
    auto j = original_shape();
    j["locations"][1]["start_date"] = "2024-02-29";
    j["locations"][1]["end_date"] = "2000-02-29";
    EXPECT_EQ(business_config_error(j), "");
}

// What the job accepts for a default date: "", null, or no key at all (the original required
// the key; docs/config-reference.md).
TEST(GoogleBusinessConfig, EmptyNullOrMissingDateIsTheDefault) {
    auto j = original_shape();
    j["locations"][1]["start_date"] = nullptr;
    j["locations"][1].erase("end_date");
    auto cfg = parse_google_business_config(j, "cfg.json");
    EXPECT_FALSE(cfg.groups[1].start_date);
    EXPECT_FALSE(cfg.groups[1].end_date);
}

}  // namespace
}  // namespace gdx::config
