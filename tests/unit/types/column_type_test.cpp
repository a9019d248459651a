#include "types/column_type.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "../../support/original_configs.hpp"
#include "util/error.hpp"

namespace gdx::types {
namespace {

struct TypeCase {
    const char* text;
    TypeKind kind;
    int32_t length;
    int32_t precision;
    int32_t scale;
    bool identity;
    const char* declared;
};

class ParseDeclaredType : public ::testing::TestWithParam<TypeCase> {};

TEST_P(ParseDeclaredType, Parses) {
    const TypeCase& c = GetParam();
    ColumnType t = parse_declared_type(c.text);
    EXPECT_EQ(t.kind, c.kind) << c.text;
    EXPECT_EQ(t.length, c.length) << c.text;
    EXPECT_EQ(t.precision, c.precision) << c.text;
    EXPECT_EQ(t.scale, c.scale) << c.text;
    EXPECT_EQ(t.identity, c.identity) << c.text;
    EXPECT_EQ(t.declared, c.declared) << c.text;
}

constexpr TypeCase kTypeCases[] = {
    {"VARCHAR(20)", TypeKind::Text, 20, -1, -1, false, "VARCHAR(20)"},
    {"varchar(8192)", TypeKind::Text, 8192, -1, -1, false, "VARCHAR(8192)"},
    {"VARCHAR", TypeKind::Text, 256, -1, -1, false, "VARCHAR"},
    {"VARCHAR(MAX)", TypeKind::Text, 65535, -1, -1, false, "VARCHAR(MAX)"},
    {"character varying(255)", TypeKind::Text, 255, -1, -1, false, "CHARACTER VARYING(255)"},
    {"CHARACTER VARYING", TypeKind::Text, 256, -1, -1, false, "CHARACTER VARYING"},
    {"CHAR(3)", TypeKind::Text, 3, -1, -1, false, "CHAR(3)"},
    {"CHAR", TypeKind::Text, 1, -1, -1, false, "CHAR"},
    {"character", TypeKind::Text, 1, -1, -1, false, "CHARACTER"},
    {"CHARACTER(10)", TypeKind::Text, 10, -1, -1, false, "CHARACTER(10)"},
    {"BPCHAR", TypeKind::Text, 256, -1, -1, false, "BPCHAR"},
    {"TEXT", TypeKind::Text, 256, -1, -1, false, "TEXT"},
    {"NVARCHAR(40)", TypeKind::Text, 40, -1, -1, false, "NVARCHAR(40)"},
    {"INT", TypeKind::Integer, -1, -1, -1, false, "INT"},
    {"integer", TypeKind::Integer, -1, -1, -1, false, "INTEGER"},
    {"INT4", TypeKind::Integer, -1, -1, -1, false, "INT4"},
    {"BIGINT", TypeKind::BigInt, -1, -1, -1, false, "BIGINT"},
    {"int8", TypeKind::BigInt, -1, -1, -1, false, "INT8"},
    {"SMALLINT", TypeKind::SmallInt, -1, -1, -1, false, "SMALLINT"},
    {"INT2", TypeKind::SmallInt, -1, -1, -1, false, "INT2"},
    {"DOUBLE PRECISION", TypeKind::Double, -1, -1, -1, false, "DOUBLE PRECISION"},
    {"double   precision", TypeKind::Double, -1, -1, -1, false, "DOUBLE PRECISION"},
    {"FLOAT", TypeKind::Double, -1, -1, -1, false, "FLOAT"},
    {"FLOAT8", TypeKind::Double, -1, -1, -1, false, "FLOAT8"},
    {"REAL", TypeKind::Real, -1, -1, -1, false, "REAL"},
    {"FLOAT4", TypeKind::Real, -1, -1, -1, false, "FLOAT4"},
    {"DECIMAL", TypeKind::Decimal, -1, 18, 0, false, "DECIMAL"},
    {"DECIMAL(3,2)", TypeKind::Decimal, -1, 3, 2, false, "DECIMAL(3,2)"},
    {"NUMERIC(8, 2)", TypeKind::Decimal, -1, 8, 2, false, "NUMERIC(8, 2)"},
    {"numeric(13)", TypeKind::Decimal, -1, 13, 0, false, "NUMERIC(13)"},
    {"BOOL", TypeKind::Boolean, -1, -1, -1, false, "BOOL"},
    {"boolean", TypeKind::Boolean, -1, -1, -1, false, "BOOLEAN"},
    {"DATE", TypeKind::Date, -1, -1, -1, false, "DATE"},
    {"TIMESTAMP", TypeKind::Timestamp, -1, -1, -1, false, "TIMESTAMP"},
    {"timestamp without time zone", TypeKind::Timestamp, -1, -1, -1, false,
     "TIMESTAMP WITHOUT TIME ZONE"},
    {"TIMESTAMPTZ", TypeKind::TimestampTz, -1, -1, -1, false, "TIMESTAMPTZ"},
    {"Timestamp With Time Zone", TypeKind::TimestampTz, -1, -1, -1, false,
     "TIMESTAMP WITH TIME ZONE"},
    {"TIME", TypeKind::Time, -1, -1, -1, false, "TIME"},
    {"BIGINT IDENTITY(0,1)", TypeKind::BigInt, -1, -1, -1, true, "BIGINT"},
    {"BIGINT IDENTITY (0,1) NOT NULL", TypeKind::BigInt, -1, -1, -1, true, "BIGINT"},
    {"VARCHAR(255) ENCODE ZSTD NOT NULL", TypeKind::Text, 255, -1, -1, false, "VARCHAR(255)"},
    {"GEOMETRY", TypeKind::Other, -1, -1, -1, false, "GEOMETRY"},
};

INSTANTIATE_TEST_SUITE_P(Table, ParseDeclaredType, ::testing::ValuesIn(kTypeCases));

TEST(ParseDeclaredTypeAttrs, NotNull) {
    EXPECT_TRUE(parse_declared_type("VARCHAR(255) ENCODE ZSTD NOT NULL").not_null);
    EXPECT_FALSE(parse_declared_type("VARCHAR(255) ENCODE ZSTD").not_null);
}

TEST(ParseDeclaredTypeErrors, Malformed) {
    EXPECT_THROW(parse_declared_type(""), ConfigError);
    EXPECT_THROW(parse_declared_type("   "), ConfigError);
    EXPECT_THROW(parse_declared_type("VARCHAR(20"), ConfigError);
    EXPECT_THROW(parse_declared_type("VARCHAR(abc)"), ConfigError);
    EXPECT_THROW(parse_declared_type("NUMERIC(2,5)"), ConfigError);
}

TEST(TableSchema, LoadableColumnsSkipIdentity) {
    TableSchema s;
    s.name = "servicebc.cats_gdx";
    s.columns.push_back({"ip", parse_declared_type("VARCHAR(255)")});
    s.columns.push_back({"gdx_id", parse_declared_type("BIGINT IDENTITY(0,1)")});
    s.columns.push_back({"port", parse_declared_type("BIGINT")});
    auto cols = s.loadable_columns();
    ASSERT_EQ(cols.size(), 2u);
    EXPECT_EQ(cols[0]->name, "ip");
    EXPECT_EQ(cols[1]->name, "port");
}

// The column definitions of every CREATE TABLE in `sql`: the body between the balanced
// parentheses, split on top-level commas.
std::vector<std::string> column_definitions(const std::string& sql) {
    std::vector<std::string> out;
    const std::regex create(R"(CREATE\s+TABLE[^(]*\()", std::regex::icase);
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), create);
         it != std::sregex_iterator(); ++it) {
        size_t i = static_cast<size_t>(it->position() + it->length());
        int depth = 1;
        std::string cur;
        for (; i < sql.size() && depth > 0; ++i) {
            char c = sql[i];
            if (c == '(') ++depth;
            if (c == ')' && --depth == 0) break;
            if (c == ',' && depth == 1) {
                out.push_back(cur);
                cur.clear();
            } else {
                cur += c;
            }
        }
        out.push_back(cur);
    }
    return out;
}

// Every column type in the original DDL files must be recognised (none falls to Other).
TEST(ParseDeclaredTypeDdl, EveryOriginalDdlColumnIsKnown) {
    namespace fs = std::filesystem;
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path root = gdx::test::original_configs_location();
    const std::regex column(R"re(^\s*("[^"]*"|[A-Za-z_][A-Za-z_0-9]*)\s+([\s\S]*\S)\s*$)re");
    const std::regex skip(R"(^\s*(PRIMARY|SORTKEY|DISTKEY|DISTSTYLE|UNIQUE|FOREIGN|CONSTRAINT)\b)",
                          std::regex::icase);
    int checked = 0;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (e.path().extension() != ".sql" || e.path().parent_path().filename() != "ddl") continue;
        std::ifstream in(e.path());
        std::stringstream ss;
        ss << in.rdbuf();
        for (const std::string& def : column_definitions(ss.str())) {
            std::smatch m;
            if (std::regex_search(def, skip) || !std::regex_match(def, m, column)) continue;
            ColumnType t = parse_declared_type(m[2].str());
            EXPECT_NE(t.kind, TypeKind::Other) << e.path() << ": " << def;
            ++checked;
        }
    }
    EXPECT_GT(checked, 300);
}

}  // namespace
}  // namespace gdx::types
