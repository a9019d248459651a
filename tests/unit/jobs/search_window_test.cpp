// Object keys of the google-search job (jobs/search_window.hpp).
#include "jobs/search_window.hpp"
#include <gtest/gtest.h>

namespace gdx::jobs {

TEST(SearchObjectKey, HostOfTheSiteBetweenTheFixedParts) {
    EXPECT_EQ(search_object_key("client/google_gsc/", "https://www2.gov.bc.ca/", "2026-05-01",
                                "2026-05-03"),
              "client/google_gsc/googlesearch-www2.gov.bc.ca-2026-05-01-2026-05-03.csv");
}

TEST(SearchObjectKey, PrefixIsWhatEveryKeyOfThatStartBeginsWith) {
    const std::string prefix =
        search_object_key_prefix("p/", "https://www2.gov.bc.ca/", "2026-05-01");
    EXPECT_EQ(prefix, "p/googlesearch-www2.gov.bc.ca-2026-05-01-");
    for (const char* max_date : {"2026-05-01", "2026-06-30"})
        EXPECT_TRUE(search_object_key("p/", "https://www2.gov.bc.ca/", "2026-05-01", max_date)
                        .starts_with(prefix));
    EXPECT_FALSE(search_object_key("p/", "https://www2.gov.bc.ca/", "2026-05-10", "2026-05-12")
                     .starts_with(prefix));
}

}  // namespace gdx::jobs
