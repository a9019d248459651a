// Which days a Business Profile location needs, and the key of its object.
#include <gtest/gtest.h>

#include "jobs/business_location.hpp"

namespace gdx::jobs {
namespace {

using date::sys_days;

sys_days day(int y, unsigned m, unsigned d) {
    return sys_days(date::year{y} / date::month{m} / date::day{d});
}

config::GoogleBusinessGroup group(std::optional<std::string> start = std::nullopt,
                                  std::optional<std::string> end = std::nullopt) {
    return {"servicebc", "Service BC", "5448030039", std::move(start), std::move(end)};
}

TEST(LocationRange, DefaultsAreEighteenCalendarMonthsBackAndThreeDaysLag) {
    auto r = location_range(group(), std::nullopt, day(2026, 5, 20));
    EXPECT_EQ(r.start, day(2024, 11, 21));
    EXPECT_EQ(r.end, day(2026, 5, 17));
    EXPECT_TRUE(r.fetch);
    // The day is clamped to the month's end before the day is added: 2025-02-28 + 1.
    EXPECT_EQ(location_range(group(), std::nullopt, day(2026, 8, 31)).start, day(2025, 3, 1));
}

TEST(LocationRange, ResumesAfterTheLastLoadedDayUnlessTheConfigStartsLater) {
    auto r = location_range(group("2026-05-01"), day(2026, 5, 10), day(2026, 5, 20));
    EXPECT_EQ(r.start, day(2026, 5, 11));
    r = location_range(group("2026-05-12"), day(2026, 5, 10), day(2026, 5, 20));
    EXPECT_EQ(r.start, day(2026, 5, 12));
    r = location_range(group("2026-05-01", "2026-05-05"), std::nullopt, day(2026, 5, 20));
    EXPECT_EQ(r.end, day(2026, 5, 5));
}

TEST(LocationRange, OneDayOrNoDayIsNotFetched) {
    // Loaded up to today - 4: the range would be the single day today - 3; it waits.
    EXPECT_FALSE(location_range(group(), day(2026, 5, 16), day(2026, 5, 20)).fetch);
    EXPECT_FALSE(location_range(group(), day(2026, 5, 17), day(2026, 5, 20)).fetch);
    EXPECT_TRUE(location_range(group(), day(2026, 5, 15), day(2026, 5, 20)).fetch);
}

TEST(BusinessObjectKey, SpacesBecomeDashesAndSlashesAddNoKeyLevel) {
    EXPECT_EQ(business_object_key("client/google_mybusiness/", "servicebc",
                                  "Service BC Centre Victoria", day(2026, 5, 14), day(2026, 5, 17)),
              "client/google_mybusiness/servicebc/"
              "gmb_Service-BC-Centre-Victoria_2026-05-14_2026-05-17.csv");
    EXPECT_EQ(
        business_object_key("c/d/", "x", "North/East Office", day(2026, 5, 1), day(2026, 5, 2)),
        "c/d/x/gmb_North_East-Office_2026-05-01_2026-05-02.csv");
}

TEST(BusinessObjectKey, PrefixIsWhatEveryKeyOfThatStartBeginsWith) {
    const std::string prefix =
        business_object_key_prefix("c/d/", "x", "North/East Office", day(2026, 5, 1));
    EXPECT_EQ(prefix, "c/d/x/gmb_North_East-Office_2026-05-01_");
    for (auto end : {day(2026, 5, 2), day(2026, 12, 31)})
        EXPECT_TRUE(business_object_key("c/d/", "x", "North/East Office", day(2026, 5, 1), end)
                        .starts_with(prefix));
    EXPECT_FALSE(
        business_object_key("c/d/", "x", "North/East Office", day(2026, 5, 11), day(2026, 5, 12))
            .starts_with(prefix));
}

TEST(BusinessColumns, MetricsInLowerCaseAfterTheKeyColumns) {
    EXPECT_EQ(business_columns({"CALL_CLICKS", "WEBSITE_CLICKS"}),
              (std::vector<std::string>{"date", "client", "location", "location_id", "call_clicks",
                                        "website_clicks"}));
}

}  // namespace
}  // namespace gdx::jobs
