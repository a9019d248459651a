// Templating the DML: the configured placeholder only.
#include <gtest/gtest.h>

#include "export/dml_template.hpp"

using namespace gdx::exports;

TEST(DmlTemplate, DateRangeValueDoublesItsQuotes) {
    EXPECT_EQ(date_range_value("20240201", "20240215"), "''20240201'' AND ''20240215''");
}

TEST(DmlTemplate, DateListIsTheOriginalOrChainWithItsTrailingSpace) {
    EXPECT_EQ(date_list_value({"2021-01-01", "2021-02-04"}),
              "((cfms_poc.welcome_time >= (TIMESTAMP ''2021-01-01'')) AND (cfms_poc.welcome_time "
              "< ((DATEADD(day,1, TIMESTAMP ''2021-01-01''))))) OR ((cfms_poc.welcome_time >= "
              "(TIMESTAMP ''2021-02-04'')) AND (cfms_poc.welcome_time < ((DATEADD(day,1, "
              "TIMESTAMP ''2021-02-04''))))) ");
}

TEST(DmlTemplate, OnlyTheConfiguredPlaceholderIsReplaced) {
    size_t n = 0;
    const std::string dml =
        "WHERE x ~ ''a{2,3}'' AND d BETWEEN {pmrp_date_range} AND j = ''{\"k\": 1}'' {{x}} "
        "{other} {pmrp_date_range}";
    EXPECT_EQ(fill_placeholder(dml, "pmrp_date_range", "V", &n),
              "WHERE x ~ ''a{2,3}'' AND d BETWEEN V AND j = ''{\"k\": 1}'' {{x}} {other} V");
    EXPECT_EQ(n, 2u);
    fill_placeholder("no placeholder", "pmrp_date_range", "V", &n);
    EXPECT_EQ(n, 0u);
}
