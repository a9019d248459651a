// CsvReader: pandas C-engine tokenizer rules (docs/semantics.md#parsing), buffer boundaries,
// errors.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "csv/csv_reader.hpp"
#include "csv_test_support.hpp"

namespace gdx::csv::test {
namespace {

struct Case {
    const char* name;
    std::string input;
    Rows rows;
    std::vector<uint64_t> lines;
    char delimiter = ',';
    bool strip_quotes = false;
};

std::vector<Case> cases() {
    return {
        {"plain", "a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}}, {1, 2}},
        {"no_final_newline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        {"trailing_delimiter_at_eof", "a,", {{"a", ""}}, {1}},
        {"quoted_delimiter", "\"a,b\",c\n", {{"a,b", "c"}}, {1}},
        {"doubled_quotes", "\"he said \"\"hi\"\"\",x\n", {{"he said \"hi\"", "x"}}, {1}},
        {"doubled_quote_at_end", "\"a\"\"\",b\n", {{"a\"", "b"}}, {1}},
        {"only_doubled_quote", "\"\"\"\"\n", {{"\""}}, {1}},
        {"empty_quoted", "\"\",a\n\"\"\n", {{"", "a"}, {""}}, {1, 2}},
        {"newline_in_quotes", "\"l1\nl2\",x\nnext,y\n", {{"l1\nl2", "x"}, {"next", "y"}}, {1, 3}},
        {"crlf_in_quotes", "\"x\r\ny\",z\r\nq\r\n", {{"x\r\ny", "z"}, {"q"}}, {1, 3}},
        {"cr_in_quotes", "\"x\ry\",z\rq", {{"x\ry", "z"}, {"q"}}, {1, 3}},
        {"text_after_closing_quote", "\"x\" y,z\n", {{"x y", "z"}}, {1}},
        {"quote_after_closing_quote", "\"x\"y\"z\",w\n", {{"xy\"z\"", "w"}}, {1}},
        {"quote_inside_unquoted", "ab\"c,d\"\n", {{"ab\"c", "d\""}}, {1}},
        {"quoted_at_eof", "a,\"b\"", {{"a", "b"}}, {1}},
        {"crlf", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        {"lone_cr", "a,b\r1,2\r3,4", {{"a", "b"}, {"1", "2"}, {"3", "4"}}, {1, 2, 3}},
        {"mixed_terminators", "a\r\n\r\nb\rc\n\rd", {{"a"}, {"b"}, {"c"}, {"d"}}, {1, 3, 4, 6}},
        {"quoted_then_cr_at_eof", "a,\"b\"\r", {{"a", "b"}}, {1}},
        {"bom",
         "\xEF\xBB\xBF"
         "a,b\n1,2\n",
         {{"a", "b"}, {"1", "2"}},
         {1, 2}},
        {"bom_only_at_start",
         "a\n\xEF\xBB\xBF"
         "b\n",
         {{"a"},
          {"\xEF\xBB\xBF"
           "b"}},
         {1, 2}},
        {"bom_only", "\xEF\xBB\xBF", {}, {}},
        {"empty", "", {}, {}},
        {"blank_lines_everywhere",
         "\n\n  \n\t\na,b\n\n \t \n1,2\n\n",
         {{"a", "b"}, {"1", "2"}},
         {5, 8}},
        {"whitespace_line_at_eof", "a\n   ", {{"a"}}, {1}},
        {"whitespace_line_crlf", "a\r\n \r\nb\r\n", {{"a"}, {"b"}}, {1, 3}},
        {"no_trimming", "  x , y \n", {{"  x ", " y "}}, {1}},
        {"space_then_delimiter_is_a_row", " ,\n", {{" ", ""}}, {1}},
        {"only_delimiters", ",,\n", {{"", "", ""}}, {1}},
        {"ragged",
         "a,b,c\n1\n1,2,3,4\n",
         {{"a", "b", "c"}, {"1"}, {"1", "2", "3", "4"}},
         {1, 2, 3}},
        {"blank_line_inside_quotes_kept", "\"a\n\n  \nb\"\n", {{"a\n\n  \nb"}}, {1}},
        {"tab_delimiter_line_of_tabs", "\t\t\n", {{"", "", ""}}, {1}, '\t'},
        {"tab_delimiter_space_tab", " \t\n", {{" ", ""}}, {1}, '\t'},
        {"pipe_delimiter", "a|\"b|c\"|d\n", {{"a", "b|c", "d"}}, {1}, '|'},
        {"unicode",
         "\xC3\xA9t\xC3\xA9,\"\xF0\x9F\x98\x80\"\n",
         {{"\xC3\xA9t\xC3\xA9", "\xF0\x9F\x98\x80"}},
         {1}},
        {"strip_quotes_splits", "\"a,b\",c\n", {{"a", "b", "c"}}, {1}, ',', true},
        {"strip_quotes_doubled",
         "\"he said \"\"hi\"\"\",x\n",
         {{"he said hi", "x"}},
         {1},
         ',',
         true},
        {"strip_quotes_unterminated_is_fine", "\"abc\nd\n", {{"abc"}, {"d"}}, {1, 2}, ',', true},
        {"strip_quotes_newline_no_longer_protected",
         "\"a\nb\"\n",
         {{"a"}, {"b"}},
         {1, 2},
         ',',
         true},
    };
}

struct BufferParam {
    size_t buffer_size;
    size_t max_chunk;
};

class CsvReaderBuffers : public ::testing::TestWithParam<BufferParam> {};

TEST_P(CsvReaderBuffers, AllCasesParseLikePandas) {
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.name);
        CsvOptions opt;
        opt.delimiter = c.delimiter;
        opt.strip_quotes = c.strip_quotes;
        opt.buffer_size = GetParam().buffer_size;
        const Parsed got = parse_all(c.input, opt, GetParam().max_chunk);
        EXPECT_EQ(got.rows, c.rows);
        EXPECT_EQ(got.lines, c.lines);
        if (!c.strip_quotes) {
            EXPECT_EQ(got.bytes_consumed, c.input.size());
        }
    }
}

TEST_P(CsvReaderBuffers, WithoutQuotingAQuoteIsAnOrdinaryCharacter) {
    CsvOptions opt;
    opt.delimiter = '|';
    opt.quoting = false;
    const Parsed got = parse_all("\"a|b\"c|\"\n\"x\"|y\"\"|\"\n", opt, GetParam().max_chunk);
    EXPECT_EQ(got.rows, (Rows{{"\"a", "b\"c", "\""}, {"\"x\"", "y\"\"", "\""}}));
}

TEST_P(CsvReaderBuffers, BackslashEscapesAsCopyEscapeReadsThem) {
    CsvOptions opt;
    opt.delimiter = '|';
    opt.quoting = false;
    opt.backslash_escapes = true;
    opt.buffer_size = GetParam().buffer_size;
    const std::string long_title = std::string(100, 't') + "\\|" + std::string(100, 'u');
    const Parsed got =
        parse_all("h|t\n1|a\\|b\\\\c\n2|line\\\none\n3|\"q\"\\n\n4|" + long_title + "\n5|end\\",
                  opt, GetParam().max_chunk);
    EXPECT_EQ(got.rows, (Rows{{"h", "t"},
                              {"1", "a|b\\c"},
                              {"2", "line\none"},
                              {"3", "\"q\"n"},
                              {"4", std::string(100, 't') + "|" + std::string(100, 'u')},
                              {"5", "end\\"}}));
    EXPECT_EQ(got.lines, (std::vector<uint64_t>{1, 2, 3, 5, 6, 7}));
}

TEST_P(CsvReaderBuffers, RecordSpanningManyBuffers) {
    std::string field;
    for (int i = 0; i < 200; ++i) field += "x\"\"y,\r\n" + std::to_string(i);
    std::string expected_field;
    for (int i = 0; i < 200; ++i) expected_field += "x\"y,\r\n" + std::to_string(i);
    std::string long_plain(300, 'p');
    const std::string input = "h1,h2,h3\r\n\"" + field + "\"," + long_plain + ",z\r\nlast,row\r\n";
    CsvOptions opt;
    opt.buffer_size = GetParam().buffer_size;
    const Parsed got = parse_all(input, opt, GetParam().max_chunk);
    ASSERT_EQ(got.rows.size(), 3u);
    EXPECT_EQ(got.rows[1], (std::vector<std::string>{expected_field, long_plain, "z"}));
    EXPECT_EQ(got.rows[2], (std::vector<std::string>{"last", "row"}));
    EXPECT_EQ(got.lines, (std::vector<uint64_t>{1, 2, 2 + 200 + 1}));
}

TEST_P(CsvReaderBuffers, UnterminatedQuoteReportsFieldStart) {
    const std::string input = "a,b\n1,2\n3,\"xyz\nmore,lines\n";
    CsvOptions opt;
    opt.buffer_size = GetParam().buffer_size;
    const DataErrorInfo e = expect_data_error([&] { parse_all(input, opt, GetParam().max_chunk); });
    EXPECT_EQ(e.what, "unterminated quoted field");
    EXPECT_EQ(e.line, 3u);
    EXPECT_EQ(e.column, 2u);
    EXPECT_EQ(e.value, "xyz\nmore,lines\n");
}

INSTANTIATE_TEST_SUITE_P(Sizes, CsvReaderBuffers,
                         ::testing::Values(BufferParam{4, size_t(-1)}, BufferParam{7, size_t(-1)},
                                           BufferParam{7, 1}, BufferParam{7, 3}, BufferParam{16, 5},
                                           BufferParam{1 << 20, size_t(-1)},
                                           BufferParam{1 << 20, 1}),
                         [](const auto& info) {
                             return "buf" + std::to_string(info.param.buffer_size) + "_chunk" +
                                    (info.param.max_chunk == size_t(-1)
                                         ? std::string("all")
                                         : std::to_string(info.param.max_chunk));
                         });

TEST(CsvReader, UnterminatedQuoteValueIsTruncated) {
    const std::string input = "x,y\n\n\"" + std::string(kShownValueBytes + 100, 'q');
    const DataErrorInfo e = expect_data_error([&] { parse_all(input); });
    EXPECT_EQ(e.line, 3u);
    EXPECT_EQ(e.column, 1u);
    EXPECT_EQ(e.value, std::string(kShownValueBytes, 'q') + "…");
}

TEST(CsvReader, OneMegabyteFields) {
    const std::string big(1 << 20, 'a');
    std::string quoted_big;
    for (int i = 0; i < (1 << 18); ++i) quoted_big += "b\"\"c";
    std::string unescaped;
    for (int i = 0; i < (1 << 18); ++i) unescaped += "b\"c";
    const std::string input = "k," + big + "\n\"" + quoted_big + "\",end\n";
    for (size_t buffer : {size_t(7), size_t(1) << 20}) {
        CsvOptions opt;
        opt.buffer_size = buffer;
        const Parsed got = parse_all(input, opt);
        ASSERT_EQ(got.rows.size(), 2u);
        EXPECT_EQ(got.rows[0][1], big);
        EXPECT_EQ(got.rows[1][0], unescaped);
        EXPECT_EQ(got.rows[1][1], "end");
    }
}

TEST(CsvReader, BytesConsumedAfterEachRecord) {
    StringSource src("a,b\n\n1,2\r\nx");
    CsvReader reader(src, CsvOptions{});
    Row row;
    ASSERT_TRUE(reader.next(row));
    EXPECT_EQ(reader.bytes_consumed(), 4u);
    ASSERT_TRUE(reader.next(row));
    EXPECT_EQ(reader.bytes_consumed(), 10u);
    ASSERT_TRUE(reader.next(row));
    EXPECT_EQ(reader.bytes_consumed(), 11u);
    EXPECT_FALSE(reader.next(row));
    EXPECT_FALSE(reader.next(row));
}

TEST(CsvReader, RowIsReusedAcrossRecords) {
    StringSource src("\"a\"\"1\",b\nc,\"d\"\"2\"\n");
    CsvReader reader(src, CsvOptions{});
    Row row;
    ASSERT_TRUE(reader.next(row));
    EXPECT_EQ(row[0], "a\"1");
    EXPECT_EQ(row[1], "b");
    ASSERT_TRUE(reader.next(row));
    EXPECT_EQ(row.size(), 2u);
    EXPECT_EQ(row[0], "c");
    EXPECT_EQ(row[1], "d\"2");
}

// Random fields over an alphabet of special characters, written fully quoted with random
// line terminators, must come back unchanged whatever the buffer and chunk sizes.
TEST(CsvReader, RandomizedQuotedRoundTrip) {
    const std::string alphabet = "\",\r\n \ta\xC3\xA9|";
    std::mt19937 rng(20240601);
    const char* terminators[] = {"\n", "\r\n", "\r"};
    for (int iter = 0; iter < 200; ++iter) {
        Rows expected;
        std::string text;
        const int nrows = 1 + static_cast<int>(rng() % 6);
        for (int r = 0; r < nrows; ++r) {
            std::vector<std::string> row;
            const int nfields = 1 + static_cast<int>(rng() % 4);
            for (int f = 0; f < nfields; ++f) {
                std::string value;
                const int len = static_cast<int>(rng() % 9);
                for (int i = 0; i < len; ++i) value += alphabet[rng() % alphabet.size()];
                if (f) text += ',';
                text += '"';
                for (char ch : value) {
                    if (ch == '"') text += '"';
                    text += ch;
                }
                text += '"';
                row.push_back(value);
            }
            text += terminators[rng() % 3];
            expected.push_back(row);
        }
        CsvOptions opt;
        opt.buffer_size = 4 + rng() % 20;
        const Parsed got = parse_all(text, opt, 1 + rng() % 8);
        ASSERT_EQ(got.rows, expected) << "iteration " << iter;
    }
}

}  // namespace
}  // namespace gdx::csv::test

namespace gdx::csv::test {
namespace {

// Row::kReadablePastField: vector tests of the pipeline load 16 bytes from a field's start.
// Under ASan a field without those bytes after it is a reported overflow here.
TEST(CsvReader, SixteenReadableBytesFollowEveryField) {
    const std::string text =
        "a,\"b\"\"c\",\"x\" y,,\"\"\n"
        "\"only \"\"arena\"\"\"\n"
        "last,field";
    for (size_t chunk : {size_t(1), size_t(3), size_t(-1)}) {
        StringSource src(text, chunk);
        CsvOptions opt;
        opt.buffer_size = 4;  // records straddle refills; the buffer grows
        CsvReader reader(src, opt);
        Row row;
        size_t fields = 0;
        while (reader.next(row)) {
            for (size_t i = 0; i < row.size(); ++i, ++fields) {
                char tail[Row::kReadablePastField];
                std::memcpy(tail, row[i].data() + row[i].size(), sizeof tail);
                (void)tail;
            }
        }
        EXPECT_EQ(fields, 8u);
    }
}

}  // namespace
}  // namespace gdx::csv::test
