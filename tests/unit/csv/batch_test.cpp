// Batch format writer and reader (docs/batch-format.md).
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

#include "csv/batch_reader.hpp"
#include "csv/batch_writer.hpp"
#include "csv_test_support.hpp"

namespace gdx::csv::test {
namespace {

using Value = std::optional<std::string>;  // nullopt = SQL NULL
using Table = std::vector<std::vector<Value>>;

std::string write_batch(const std::vector<std::string>& header, const Table& rows,
                        size_t buffer_size = 1 << 20) {
    StringWriter out;
    BatchWriter w(out, buffer_size);
    w.header(header);
    for (const auto& row : rows) {
        for (const Value& v : row) {
            if (v)
                w.field(*v);
            else
                w.null_field();
        }
        w.end_row();
    }
    w.flush();
    EXPECT_EQ(w.rows(), rows.size());
    EXPECT_EQ(w.bytes(), out.data.size());
    EXPECT_FALSE(out.committed);
    return out.data;
}

struct ReadBack {
    std::vector<std::string> header;
    Table rows;
    std::vector<uint64_t> lines;
};

ReadBack read_batch(std::string_view bytes, size_t max_chunk = static_cast<size_t>(-1)) {
    StringSource src(bytes, max_chunk);
    BatchReader r(src);
    ReadBack out{r.header(), {}, {}};
    BatchRow row;
    while (r.next(row)) {
        std::vector<Value> values;
        for (size_t i = 0; i < row.size(); ++i) {
            if (row.is_null(i))
                values.emplace_back(std::nullopt);
            else
                values.emplace_back(std::string(row[i]));
        }
        out.rows.push_back(std::move(values));
        out.lines.push_back(row.line());
    }
    return out;
}

TEST(BatchWriter, WritesTheDocumentedBytes) {
    const std::string got =
        write_batch({"id", "a|b"}, {{Value("x|y"), Value("back\\slash")},
                                    {Value("line\nfeed"), Value("cr\rx")},
                                    {Value("\\N"), std::nullopt},
                                    {Value("-"), Value("")},
                                    {Value(" \"q\"\t "), Value("\xF0\x9F\x98\x80")}});
    EXPECT_EQ(got,
              "id|a\\|b\n"
              "x\\|y|back\\\\slash\n"
              "line\\\nfeed|cr\\\rx\n"
              "\\\\N|\\N\n"
              "-|\n"
              " \"q\"\t |\xF0\x9F\x98\x80\n");
}

TEST(BatchWriter, FlushesWhenTheBufferFills) {
    StringWriter out;
    BatchWriter w(out, 8);
    w.header({"c"});
    for (int i = 0; i < 100; ++i) {
        w.field("value" + std::to_string(i));
        w.end_row();
    }
    EXPECT_GT(out.writes, 50);
    const uint64_t before_flush = out.data.size();
    w.flush();
    EXPECT_GE(out.data.size(), before_flush);
    EXPECT_EQ(w.bytes(), out.data.size());
    EXPECT_EQ(w.rows(), 100u);
    EXPECT_EQ(read_batch(out.data).rows.size(), 100u);
}

TEST(Batch, SpecialStringsRoundTripByteIdentical) {
    const std::vector<std::string> specials = {"|",
                                               "\\",
                                               "\"",
                                               "\n",
                                               "\r",
                                               "\t",
                                               "\\N",
                                               "-",
                                               "  lead",
                                               "trail  ",
                                               "\xF0\x9F\x98\x80",
                                               "",
                                               "\\\\N",
                                               "N",
                                               "a|b\\c\r\nd",
                                               "\\|",
                                               "|\\",
                                               "\"x\"",
                                               "\r\n",
                                               ",",
                                               "NULL"};
    Table rows;
    for (const std::string& s : specials) rows.push_back({Value(s), std::nullopt, Value(s + s)});
    rows.push_back({Value(""), std::nullopt, Value("")});
    const std::string bytes = write_batch({"h|1", "h\\2", "h\n3"}, rows);
    for (size_t chunk : {size_t(1), size_t(2), size_t(-1)}) {
        const ReadBack back = read_batch(bytes, chunk);
        EXPECT_EQ(back.header, (std::vector<std::string>{"h|1", "h\\2", "h\n3"}));
        EXPECT_EQ(back.rows, rows);
    }
}

TEST(Batch, EmptyIsDistinctFromNullInOneColumnTables) {
    const Table rows = {{Value("")}, {std::nullopt}, {Value("\\N")}, {Value("")}};
    const std::string bytes = write_batch({"only"}, rows);
    EXPECT_EQ(bytes, "only\n\n\\N\n\\\\N\n\n");
    EXPECT_EQ(read_batch(bytes).rows, rows);
}

TEST(BatchReader, LinesCountPhysicalLines) {
    const ReadBack back = read_batch("a|b\nx\\\ny|z\n1|2\n");
    EXPECT_EQ(back.rows, (Table{{Value("x\ny"), Value("z")}, {Value("1"), Value("2")}}));
    EXPECT_EQ(back.lines, (std::vector<uint64_t>{2, 4}));
}

TEST(BatchReader, MalformedInputIsADataErrorWithTheLine) {
    const DataErrorInfo lone = expect_data_error([] { read_batch("a\nok\nx\\"); });
    EXPECT_EQ(lone.line, 3u);
    EXPECT_NE(lone.what.find("backslash"), std::string::npos);

    const DataErrorInfo count = expect_data_error([] { read_batch("a|b\n1|2\n3\n"); });
    EXPECT_EQ(count.line, 3u);
    const DataErrorInfo extra = expect_data_error([] { read_batch("a|b\n1|2|3\n"); });
    EXPECT_EQ(extra.line, 2u);

    const DataErrorInfo unterminated = expect_data_error([] { read_batch("a\n1\n2"); });
    EXPECT_EQ(unterminated.line, 3u);

    EXPECT_EQ(expect_data_error([] { read_batch(""); }).line, 1u);
}

TEST(BatchReader, HeaderOnlyHasNoRows) {
    const ReadBack back = read_batch("x|y\n");
    EXPECT_EQ(back.header, (std::vector<std::string>{"x", "y"}));
    EXPECT_TRUE(back.rows.empty());
}

// Random strings over an alphabet of the characters the format treats specially.
TEST(Batch, RandomizedRoundTrip) {
    const std::string alphabet = "|\\\n\rN\"- \ta";
    std::mt19937 rng(7);
    for (int iter = 0; iter < 300; ++iter) {
        const size_t ncols = 1 + rng() % 4;
        std::vector<std::string> header;
        for (size_t c = 0; c < ncols; ++c) header.push_back("c" + std::to_string(c) + "|\\");
        Table rows(rng() % 8);
        for (auto& row : rows) {
            for (size_t c = 0; c < ncols; ++c) {
                if (rng() % 6 == 0) {
                    row.emplace_back(std::nullopt);
                    continue;
                }
                std::string s;
                const size_t len = rng() % 7;
                for (size_t i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
                row.emplace_back(s);
            }
        }
        const std::string bytes = write_batch(header, rows, 1 + rng() % 16);
        const ReadBack back = read_batch(bytes, 1 + rng() % 9);
        ASSERT_EQ(back.header, header) << "iteration " << iter;
        ASSERT_EQ(back.rows, rows) << "iteration " << iter;
    }
}

}  // namespace
}  // namespace gdx::csv::test
