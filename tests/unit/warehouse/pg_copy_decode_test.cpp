// COPY TO STDOUT text rows decoded into fields (the export's PostgreSQL path).
#include <gtest/gtest.h>

#include "warehouse/postgres/pg_query_stream.hpp"

using gdx::warehouse::QueryField;
using gdx::warehouse::pg::decode_copy_row;

TEST(PgCopyDecode, FieldsNullsAndEscapes) {
    std::vector<QueryField> f;
    std::string scratch;
    ASSERT_EQ(decode_copy_row("a\t\\N\t\tb\\tc\\\\d\\ne\\r\\101\\x41\\N\n", f, scratch), 4u);
    EXPECT_EQ(f[0].text, "a");
    EXPECT_FALSE(f[0].null);
    EXPECT_TRUE(f[1].null);
    EXPECT_EQ(f[2].text, "");
    EXPECT_FALSE(f[2].null);
    EXPECT_EQ(f[3].text, "b\tc\\d\ne\rAAN");
    ASSERT_EQ(decode_copy_row("plain", f, scratch), 1u);
    EXPECT_EQ(f[0].text, "plain");
    ASSERT_EQ(decode_copy_row("\\\\x\tOù\\\\", f, scratch), 2u);
    EXPECT_EQ(f[0].text, "\\x");
    EXPECT_EQ(f[1].text, "Où\\");
}
