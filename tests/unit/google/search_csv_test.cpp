#include "google/search_csv.hpp"

#include <gtest/gtest.h>

namespace gdx::google {
namespace {

std::string py(double v) {
    std::string s;
    append_python_float(s, v);
    return s;
}

std::string number(const char* json_text, bool count = false) {
    std::string s;
    auto v = nlohmann::json::parse(json_text);
    count ? append_python_count(s, v) : append_python_number(s, v);
    return s;
}

TEST(PythonFloat, FixedNotationBetweenExponentsMinus4And15) {
    EXPECT_EQ(py(3.0), "3.0");
    EXPECT_EQ(py(0.0), "0.0");
    EXPECT_EQ(py(-0.0), "-0.0");
    EXPECT_EQ(py(0.0001), "0.0001");
    EXPECT_EQ(py(123.5), "123.5");
    EXPECT_EQ(py(9.544002955027276), "9.544002955027276");
    EXPECT_EQ(py(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(py(1e15), "1000000000000000.0");
    EXPECT_EQ(py(1.0 / 3), "0.3333333333333333");
}

TEST(PythonFloat, ScientificOutside) {
    EXPECT_EQ(py(0.00001), "1e-05");
    EXPECT_EQ(py(2.5e-07), "2.5e-07");
    EXPECT_EQ(py(1e16), "1e+16");
    EXPECT_EQ(py(1.2345e+100), "1.2345e+100");
    EXPECT_EQ(py(-3e-10), "-3e-10");
}

TEST(PythonNumber, IntegerLiteralsStayIntegersAndCountsLoseDotZero) {
    EXPECT_EQ(number("3"), "3");
    EXPECT_EQ(number("3.0"), "3.0");
    EXPECT_EQ(number("0.00001"), "1e-05");
    EXPECT_EQ(number("12", true), "12");
    EXPECT_EQ(number("12.0", true), "12");
    EXPECT_EQ(number("100.0", true), "100");
    EXPECT_EQ(number("10.05", true), "105");  // the original deleted every ".0"
    EXPECT_EQ(number("-4"), "-4");
}

TEST(SearchCsv, OneLinePerRowKeysCleaned) {
    SearchCsv csv("https://www2.gov.bc.ca/");
    std::string out;
    auto row = nlohmann::json::parse(R"({"keys":["2026-05-17","a|b\\c","can","MOBILE",
        "https://www2.gov.bc.ca/x\ny"],"clicks":12.0,"impressions":100,"ctr":0.12,"position":3})");
    EXPECT_EQ(csv.append_row(out, row), "2026-05-17");
    EXPECT_EQ(out,
              "https://www2.gov.bc.ca/|2026-05-17|abc|can|MOBILE|https://www2.gov.bc.ca/x y|3|12|"
              "0.12|100\n");
    std::string utf8;
    csv.append_row(utf8, nlohmann::json::parse(
                             R"({"keys":["2026-05-17","-","can","MOBILE","é\"x"],"clicks":0,)"
                             R"("impressions":1,"ctr":0.0,"position":1.5})"));
    EXPECT_EQ(utf8, "https://www2.gov.bc.ca/|2026-05-17|-|can|MOBILE|é\"x|1.5|0|0.0|1\n");
}

TEST(SearchCsv, MalformedRowsAreRefused) {
    SearchCsv csv("s");
    std::string out;
    EXPECT_THROW(csv.append_row(out, nlohmann::json::parse(R"({"keys":["a"]})")),
                 std::invalid_argument);
    EXPECT_THROW(
        csv.append_row(out, nlohmann::json::parse(R"({"keys":["a","b","c","d","e"],"clicks":1})")),
        std::invalid_argument);
}

TEST(SearchCsv, HeaderIsTheOriginalsSixtyEightBytes) {
    EXPECT_EQ(kSearchCsvHeader.size(), 68u);
}

}  // namespace
}  // namespace gdx::google
