#include "util/python_regex.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"

#include <string>
#include <thread>
#include <vector>

#include "util/error.hpp"

namespace gdx::util {
namespace {

TEST(PyRegex, SearchAnywhere) {
    // A `doc` pattern with `$` appended, searched in the full key (docs/semantics.md#selection).
    PyRegex r = PyRegex::compile(R"(servicebc/call_centre/.*\.csv$)");
    EXPECT_TRUE(r.search("client/servicebc/call_centre/2024/a.csv"));
    EXPECT_FALSE(r.search("client/servicebc/call_centre/a.csv.bak"));
    EXPECT_FALSE(r.search("client/servicebc/other/a.csv"));
}

TEST(PyRegex, DollarAllowsFinalNewlineButBackslashZDoesNot) {
    EXPECT_TRUE(PyRegex::compile("abc$").search("xabc\n"));
    EXPECT_FALSE(PyRegex::compile(R"(abc\Z)").search("xabc\n"));
    EXPECT_TRUE(PyRegex::compile(R"(abc\Z)").search("xabc"));
    EXPECT_TRUE(PyRegex::compile(R"(a\\Z)").search("a\\Z"));  // escaped backslash stays
}

TEST(PyRegex, PythonNamedGroupsAndUnicode) {
    PyRegex r = PyRegex::compile(R"((?P<y>\d{4})-(?P=y))");
    EXPECT_TRUE(r.search("2024-2024"));
    EXPECT_FALSE(r.search("2024-2025"));
    EXPECT_TRUE(PyRegex::compile(R"(^\w+$)").search("h\xC3\xA9llo"));  // \w is Unicode
    EXPECT_TRUE(PyRegex::compile("^.$").search("\xE2\x82\xAC"));       // . is a code point
}

TEST(PyRegex, FullMatch) {
    PyRegex r = PyRegex::compile("a|ab");
    EXPECT_TRUE(r.full_match("ab"));  // backtracks to the second alternative
    EXPECT_TRUE(r.full_match("a"));
    EXPECT_FALSE(r.full_match("abc"));
    EXPECT_FALSE(r.full_match("xab"));
    EXPECT_FALSE(PyRegex::compile("abc$").full_match("abc\n"));
}

TEST(PyRegex, CompileErrorNamesPatternAndOffset) {
    try {
        PyRegex::compile("abc(def");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("abc(def"), std::string::npos) << m;
        EXPECT_NE(m.find("offset 7"), std::string::npos) << m;
    }
}

struct SubCase {
    const char* pattern;
    const char* tmpl;
    const char* in;
    const char* out;  // Python 3.9 re.sub result
};

class PyRegexSub : public ::testing::TestWithParam<SubCase> {};

TEST_P(PyRegexSub, LikePython) {
    const SubCase& c = GetParam();
    EXPECT_EQ(PyRegex::compile(c.pattern).sub(c.in, c.tmpl), c.out)
        << "re.sub(" << c.pattern << ", " << c.tmpl << ", " << c.in << ")";
}

const SubCase kSubCases[] = {
    {"a", "b", "banana", "bbnbnb"},
    {"x", "y", "", ""},
    {"(\\d+)-(\\d+)", "\\2/\\1", "10-20 and 3-4", "20/10 and 4/3"},
    {"(?P<word>\\w+)", "<\\g<word>>", "ab cd", "<ab> <cd>"},
    {"(\\w)", "\\g<1>\\g<1>", "ab", "aabb"},
    {"(\\w)", "\\g<0>.", "ab", "a.b."},
    {"x*", "-", "abxd", "-a-b--d-"},
    {"", "-", "abc", "-a-b-c-"},
    {"(a)|b", "[\\1]", "ab", "[a][]"},
    {"a", "\\n\\t\\\\", "a", "\n\t\\"},
    {"a", "\\-", "a", "\\-"},
    {"a", "\\101", "a", "A"},
    {"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "\\11\\10", "abcdefghijk", "kj"},
    {"\xC3\xA9", "e", "caf\xC3\xA9 \xC3\xA9t\xC3\xA9", "cafe ete"},
    {"^\\s+|\\s+$", "", "  padded  ", "padded"},
    {"N/A", "", "N/A", ""},
};

INSTANTIATE_TEST_SUITE_P(Table, PyRegexSub, ::testing::ValuesIn(kSubCases));

TEST(PyRegexSub, OctalZeroEscape) {
    EXPECT_EQ(PyRegex::compile("a").sub("xa", "\\0"), std::string("x\0", 2));
}

TEST(PyRegexSub, BadTemplatesThrow) {
    PyRegex r = PyRegex::compile("(a)");
    EXPECT_THROW(r.sub("a", "\\2"), ConfigError);
    EXPECT_THROW(r.sub("a", "\\g<name>"), ConfigError);
    EXPECT_THROW(r.sub("a", "\\q"), ConfigError);
    EXPECT_THROW(r.sub("a", "x\\"), ConfigError);
    EXPECT_THROW(r.check_template("\\g<2>"), ConfigError);
    EXPECT_NO_THROW(r.check_template("\\1-\\g<1>-\\\\"));
    // Validity does not depend on a match happening.
    EXPECT_THROW(r.check_template("\\5"), ConfigError);
}

TEST(PyRegex, CopiesShareCodeAndWorkAcrossThreads) {
    PyRegex r = PyRegex::compile(R"((\d+))");
    PyRegex copy = r;
    EXPECT_EQ(copy.pattern(), "(\\d+)");
    EXPECT_EQ(copy.group_count(), 1u);
    std::vector<std::thread> threads;
    std::vector<int> ok(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 2000; ++i)
                ok[t] += copy.sub("a" + std::to_string(i) + "b", "<\\1>") ==
                         "a<" + std::to_string(i) + ">b";
        });
    for (auto& th : threads) th.join();
    for (int v : ok) EXPECT_EQ(v, 2000);
}

// Found by fuzz/python_regex.cpp: PCRE2 took "()\g<0>" (a call of the whole pattern, which
// Python refuses) and then failed while matching ("JIT stack limit reached"), mid-load.
TEST(PyRegex, RecursionPythonRefusesIsAConfigError) {
    for (const char* p : {"()\\g<0>", "(a)\\g<1>", "a(?R)?", "(a)(?1)", "(?<n>a)(?&n)",
                          "(?P<n>a)(?P>n)", "(a)(?-1)", "(a)(?+1)(b)"}) {
        SCOPED_TRACE(p);
        EXPECT_THROW(PyRegex::compile(p), ConfigError);
    }
    // What Python accepts still compiles: named groups, inline flags on and off.
    EXPECT_TRUE(PyRegex::compile("(?P<year>\\d{4})(?-i:x)(?i)y").search("2024xY"));
}

}  // namespace
}  // namespace gdx::util
