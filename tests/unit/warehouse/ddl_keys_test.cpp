// PRIMARY KEY, UNIQUE and REFERENCES are informational on Redshift: the translation for SQLite
// and PostgreSQL drops them (a primary key stays NOT NULL, keys keep a plain index), and a
// table created from such DDL takes duplicate keys on every backend.
#include <gtest/gtest.h>

#include <filesystem>

#include "pg_test_support.hpp"
#include "util/error.hpp"
#include "warehouse/postgres/postgres_warehouse.hpp"
#include "warehouse/sql/translate.hpp"
#include "warehouse/sqlite/sqlite_warehouse.hpp"

namespace gdx::warehouse {
namespace {

using sql::Dialect;
using sql::translate_redshift;

TEST(DdlKeys, ColumnAndTableKeysAreDroppedWithPlainIndexes) {
    const auto t = translate_redshift(
        "CREATE TABLE IF NOT EXISTS servicebc.calls (\n"
        "  \"ID\" INTEGER ENCODE ZSTD NOT NULL PRIMARY KEY,\n"
        "  code VARCHAR(10) CONSTRAINT code_u UNIQUE,\n"
        "  office INT REFERENCES servicebc.offices (id),\n"
        "  a INT, b INT,\n"
        "  UNIQUE (a, b),\n"
        "  FOREIGN KEY (b) REFERENCES other(x)\n"
        ")",
        Dialect::PostgreSQL);
    ASSERT_EQ(t.statements.size(), 4u);
    EXPECT_EQ(t.statements[0],
              "CREATE TABLE IF NOT EXISTS servicebc.calls (\n"
              "  \"id\" INTEGER NOT NULL,\n"  // quoted names fold, as on Redshift
              "  code VARCHAR(10),\n"
              "  office INT,\n"
              "  a INT, b INT\n"
              ")");
    EXPECT_EQ(t.statements[1],
              "CREATE INDEX IF NOT EXISTS \"calls_id_idx\" ON servicebc.calls (\"id\")");
    EXPECT_EQ(t.statements[2],
              "CREATE INDEX IF NOT EXISTS \"calls_code_idx\" ON servicebc.calls (code)");
    EXPECT_EQ(t.statements[3],
              "CREATE INDEX IF NOT EXISTS \"calls_a_b_idx\" ON servicebc.calls (a, b)");
    ASSERT_EQ(t.notes.size(), 2u);
    EXPECT_EQ(t.notes[1],
              "servicebc.calls: id PRIMARY KEY, code UNIQUE, office REFERENCES servicebc.offices "
              "(id), UNIQUE (a, b), FOREIGN KEY (b) REFERENCES other(x) not enforced, as on "
              "Redshift (a plain index is kept for lookups)");
}

TEST(DdlKeys, TableLevelPrimaryKeyMakesItsColumnsNotNull) {
    const auto t = translate_redshift(
        "create table t (constraint t_pk primary key (a, \"B\"), a int, \"B\" varchar(3), c int)",
        Dialect::SQLite);
    ASSERT_EQ(t.statements.size(), 2u);
    EXPECT_EQ(t.statements[0],
              "create table t ( a int NOT NULL, \"b\" varchar(3) NOT NULL, c int)");
    EXPECT_EQ(t.statements[1], "CREATE INDEX IF NOT EXISTS \"t_a_b_idx\" ON t (a, \"b\")");
}

TEST(DdlKeys, SqliteIndexNamesCarryTheSchema) {
    const auto t =
        translate_redshift("CREATE TABLE s.t (id INT PRIMARY KEY, x INT)", Dialect::SQLite);
    ASSERT_EQ(t.statements.size(), 3u);  // schema registration, table, index
    EXPECT_EQ(t.statements[1], "CREATE TABLE s.t (id INT NOT NULL, x INT)");
    EXPECT_EQ(t.statements[2], "CREATE INDEX IF NOT EXISTS \"s.t_id_idx\" ON s.t (id)");
}

TEST(DdlKeys, TablesWithoutKeysAndOtherStatementsAreUntouched) {
    for (const char* sql : {"CREATE TABLE t (id INT NOT NULL, unique_id INT, \"primary\" INT)",
                            "CREATE TABLE t AS SELECT 1 AS id", "SELECT 'PRIMARY KEY' AS x",
                            "CREATE TABLE t (x VARCHAR(10) DEFAULT 'UNIQUE')"}) {
        SCOPED_TRACE(sql);
        const auto t = translate_redshift(sql, Dialect::PostgreSQL);
        ASSERT_EQ(t.statements.size(), 1u);
        EXPECT_EQ(t.statements[0], sql);
    }
}

// The same DDL and the same duplicate rows on each backend: every row is kept, NOT NULL of
// the primary key is still enforced, and the plain index exists.
void expect_keys_not_enforced(Warehouse& wh, const std::string& index_query) {
    wh.run_script(
        "CREATE SCHEMA keys; CREATE TABLE keys.calls (id INTEGER ENCODE ZSTD PRIMARY KEY, "
        "code VARCHAR(10) UNIQUE, parent INT REFERENCES keys.calls (id)); "
        "INSERT INTO keys.calls VALUES (1, 'a', 7); INSERT INTO keys.calls VALUES (1, 'a', 9);",
        nullptr);
    std::vector<int64_t> ids;
    RowCallback collect = [&](const ResultRow& row) {
        ids.push_back(std::get<int64_t>(row.values[0]));
    };
    wh.run_script("SELECT count(*) FROM keys.calls", collect);
    ASSERT_EQ(ids, std::vector<int64_t>{2});
    EXPECT_THROW(wh.run_script("INSERT INTO keys.calls VALUES (NULL, 'b', 1)", nullptr),
                 std::exception);
    ids.clear();
    wh.run_script(index_query, collect);
    EXPECT_EQ(ids, std::vector<int64_t>{2});
}

TEST(DdlKeys, SqliteLoadsDuplicateKeys) {
    const auto dir = std::filesystem::temp_directory_path() / "gdx_ddl_keys_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    sqlite::SqliteWarehouse wh((dir / "w.db").string());
    expect_keys_not_enforced(
        wh, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'keys.calls'");
    std::filesystem::remove_all(dir);
}

TEST(DdlKeys, PostgresLoadsDuplicateKeys) {
    PostgresWarehouse wh(test::pg_fresh_database("gdx_ddl_keys"));
    expect_keys_not_enforced(wh,
                             "SELECT count(*) FROM pg_indexes WHERE schemaname = 'keys' AND "
                             "tablename = 'calls'");
}

}  // namespace
}  // namespace gdx::warehouse
