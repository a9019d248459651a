// SourceLines: batch records mapped back to the source object's lines.
#include <gtest/gtest.h>

#include "jobs/source_lines.hpp"

namespace gdx::test::source_lines {

using jobs::SourceLines;

TEST(SourceLines, OneRowPerLineAfterAHeader) {
    SourceLines lines;
    for (uint64_t line = 2; line <= 1001; ++line) lines.add(line);
    EXPECT_EQ(lines.rows(), 1000u);
    EXPECT_EQ(lines.line_of_record(1), std::nullopt);  // the batch's header
    EXPECT_EQ(lines.line_of_record(2), 2u);
    EXPECT_EQ(lines.line_of_record(1001), 1001u);
    EXPECT_EQ(lines.line_of_record(1002), std::nullopt);  // past the rows
}

TEST(SourceLines, RecordsSpanningLinesAndBlankLinesShiftTheLinesAfterThem) {
    // Source: header on 1, a row on 2, a quoted field over lines 3-5, two blank lines (6, 7),
    // rows on 8 and 9; without a header the first row could start on line 1 as well.
    SourceLines lines;
    for (uint64_t line : {2, 3, 8, 9}) lines.add(line);
    EXPECT_EQ(lines.line_of_record(2), 2u);
    EXPECT_EQ(lines.line_of_record(3), 3u);
    EXPECT_EQ(lines.line_of_record(4), 8u);
    EXPECT_EQ(lines.line_of_record(5), 9u);
    EXPECT_EQ(lines.line_of_record(6), std::nullopt);
}

TEST(SourceLines, ClearStartsAgain) {
    SourceLines lines;
    lines.add(7);
    lines.clear();
    lines.add(1);
    EXPECT_EQ(lines.rows(), 1u);
    EXPECT_EQ(lines.line_of_record(2), 1u);
}

TEST(SourceLines, PastTheLastRunKeptTheLineIsUnknown) {
    // Every row two lines apart: one run per row, until the runs are full.
    SourceLines lines;
    const uint64_t rows = SourceLines::kMaxRuns + 10;
    for (uint64_t i = 0; i < rows; ++i) lines.add(2 + 2 * i);
    EXPECT_EQ(lines.line_of_record(2), 2u);
    EXPECT_EQ(lines.line_of_record(1 + SourceLines::kMaxRuns), 2 * SourceLines::kMaxRuns);
    EXPECT_EQ(lines.line_of_record(2 + SourceLines::kMaxRuns), std::nullopt);
    EXPECT_EQ(lines.line_of_record(1 + rows), std::nullopt);
}

}  // namespace gdx::test::source_lines
