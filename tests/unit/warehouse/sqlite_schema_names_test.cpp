// Schema-qualified names on SQLite: the textual rewrite to "schema.table" storage names.
#include <gtest/gtest.h>

#include "warehouse/sqlite/schema_names.hpp"

using gdx::warehouse::sqlite::qualify_schema_names;
using gdx::warehouse::sqlite::storage_table_name;

namespace {
const std::set<std::string> kSchemas = {"servicebc", "microservice", "mixed"};
}

TEST(SqliteSchemaNames, StorageNameFoldsEveryPart) {
    EXPECT_EQ(storage_table_name("servicebc.call_centre"), "servicebc.call_centre");
    EXPECT_EQ(storage_table_name("ServiceBC . \"Call\"\"Centre\""), "servicebc.call\"centre");
    EXPECT_EQ(storage_table_name("t"), "t");
}

TEST(SqliteSchemaNames, QualifiesKnownSchemasOnly) {
    EXPECT_EQ(
        qualify_schema_names("CREATE TABLE IF NOT EXISTS servicebc.call_centre (a INT)", kSchemas),
        "CREATE TABLE IF NOT EXISTS \"servicebc.call_centre\" (a INT)");
    EXPECT_EQ(qualify_schema_names("SELECT cm.title, x.y FROM other.t AS cm", kSchemas),
              "SELECT cm.title, x.y FROM other.t AS cm");
    EXPECT_EQ(qualify_schema_names("SELECT 'servicebc.x' FROM \"servicebc\".\"X\" s", kSchemas),
              "SELECT 'servicebc.x' FROM \"servicebc.x\" s");
}

TEST(SqliteSchemaNames, AddsAliasWhereQueriesNameTheTable) {
    EXPECT_EQ(
        qualify_schema_names(
            "UPDATE microservice.ldb_sku SET a = copy.a FROM copy WHERE ldb_sku.sku = copy.sku",
            kSchemas),
        "UPDATE \"microservice.ldb_sku\" AS \"ldb_sku\" SET a = copy.a FROM copy WHERE "
        "ldb_sku.sku = copy.sku");
    EXPECT_EQ(
        qualify_schema_names("SELECT servicebc.a.x FROM servicebc.a, servicebc.b JOIN "
                             "mixed.c ON c.k = a.k WHERE a.x IN (SELECT x FROM servicebc.d)",
                             kSchemas),
        "SELECT \"a\".x FROM \"servicebc.a\" AS \"a\", \"servicebc.b\" AS \"b\" JOIN "
        "\"mixed.c\" AS \"c\" ON c.k = a.k WHERE a.x IN (SELECT x FROM \"servicebc.d\" AS \"d\")");
    EXPECT_EQ(
        qualify_schema_names("INSERT INTO servicebc.a (x) SELECT x FROM servicebc.b b", kSchemas),
        "INSERT INTO \"servicebc.a\" AS \"a\" (x) SELECT x FROM \"servicebc.b\" b");
    EXPECT_EQ(qualify_schema_names("DELETE FROM servicebc.a WHERE a.x = 1", kSchemas),
              "DELETE FROM \"servicebc.a\" AS \"a\" WHERE a.x = 1");
}

TEST(SqliteSchemaNames, RenameStaysInSchema) {
    EXPECT_EQ(qualify_schema_names("ALTER TABLE servicebc.office_info RENAME TO office_info_old",
                                   kSchemas),
              "ALTER TABLE \"servicebc.office_info\" RENAME TO \"servicebc.office_info_old\"");
    EXPECT_EQ(qualify_schema_names("DROP TABLE IF EXISTS servicebc.x", kSchemas),
              "DROP TABLE IF EXISTS \"servicebc.x\"");
}
