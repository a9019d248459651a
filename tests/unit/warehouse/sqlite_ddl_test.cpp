// Every original ddl/*.sql file creates usable tables on SQLite through run_script, and
// describe_table reports the declared types.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../../support/original_configs.hpp"
#include "file_text.hpp"
#include "warehouse/sql/statements.hpp"
#include "warehouse/sql/translate.hpp"
#include "warehouse/warehouse.hpp"

namespace fs = std::filesystem;
using namespace gdx::warehouse;

namespace {

size_t count_upper(const std::string& text, const std::string& what) {
    std::string up = text;
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    size_t n = 0;
    for (size_t at = up.find(what); at != std::string::npos; at = up.find(what, at + 1)) ++n;
    return n;
}

struct TranslatedTable {
    std::string name;
    size_t columns = 0;
};

// Tables a script creates, with their number of column definitions (table constraints
// such as PRIMARY KEY (…) excluded), read from the PostgreSQL translation.
std::vector<TranslatedTable> translated_tables(const std::string& script) {
    std::vector<TranslatedTable> out;
    for (const auto& stmt : sql::translate_redshift(script, sql::Dialect::PostgreSQL).statements) {
        sql::StatementEditor ed(stmt);
        if (ed.size() < 3 || !ed.at(0).is("CREATE") || !ed.at(1).is("TABLE")) continue;
        size_t k = 2;
        if (ed.at(k).is("IF")) k += 3;
        TranslatedTable t;
        while (ed.has(k) && !ed.at(k).is_punct('(')) t.name += sql::identifier_value(ed.at(k++));
        int depth = 0;
        bool entry_start = true;
        for (; ed.has(k); ++k) {
            if (ed.at(k).is_punct('(')) ++depth;
            if (ed.at(k).is_punct(')') && --depth == 0) break;
            if (depth == 1 && ed.at(k).is_punct(',')) {
                entry_start = true;
            } else if (depth == 1 && entry_start) {
                const auto& w = ed.at(k);
                if (!w.is("PRIMARY") && !w.is("UNIQUE") && !w.is("CONSTRAINT") && !w.is("FOREIGN"))
                    ++t.columns;
                entry_start = false;
            }
        }
        out.push_back(t);
    }
    return out;
}

}  // namespace

TEST(SqliteOriginalDdl, EveryFileCreatesDescribedTables) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path dir = fs::temp_directory_path() / ("gdx-ddl-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    size_t files = 0, tables = 0;
    for (const auto& config_dir : fs::directory_iterator(gdx::test::original_configs_location())) {
        if (!fs::is_directory(config_dir.path() / "ddl")) continue;
        for (const auto& f : fs::directory_iterator(config_dir.path() / "ddl")) {
            const std::string script = gdx::test::file_text(f.path());
            const auto declared = translated_tables(script);
            // Templated scripts ({dbschema}) and post-load SQL are not standalone DDL.
            if (declared.empty() || script.find('{') != std::string::npos) continue;
            SCOPED_TRACE(f.path().string());
            ++files;
            auto wh = open_warehouse("sqlite:" + (dir / (std::to_string(files) + ".db")).string());
            ASSERT_NO_THROW(wh->run_script(script, {}));
            if (count_upper(script, "CREATE TABLE") == count_upper(script, "IF NOT EXISTS")) {
                ASSERT_NO_THROW(wh->run_script(script, {}));  // re-runnable
            }
            for (const auto& t : declared) {
                ++tables;
                const auto schema = wh->describe_table(t.name);
                ASSERT_TRUE(schema) << t.name;
                EXPECT_EQ(schema->columns.size(), t.columns) << t.name;
                for (const auto& c : schema->columns) {
                    EXPECT_NE(c.type.kind, TypeKind::Other)
                        << t.name << "." << c.name << " " << c.type.declared;
                }
                // Usable: the table can be queried under its schema-qualified name.
                size_t n = 99;
                wh->run_script("SELECT count(*) FROM " + t.name, [&](const ResultRow& r) {
                    n = static_cast<size_t>(std::get<int64_t>(r.values[0]));
                });
                EXPECT_EQ(n, 0u);
            }
        }
    }
    EXPECT_GE(files, 28u + 6u);
    EXPECT_GE(tables, 60u);
    fs::remove_all(dir);
}

TEST(SqliteOriginalDdl, GoldenTypes) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path dir =
        fs::temp_directory_path() / ("gdx-ddl-golden-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto wh = open_warehouse("sqlite:" + (dir / "g.db").string());
    const fs::path ddl = gdx::test::original_config("s3_to_redshift/ddl");
    wh->run_script(gdx::test::file_text(ddl / "servicebc.cats_gdx.sql"), {});
    const auto cats = wh->describe_table("servicebc.cats_gdx");
    ASSERT_TRUE(cats);
    ASSERT_EQ(cats->columns.size(), 11u);
    EXPECT_EQ(cats->columns[0].name, "ip");
    EXPECT_EQ(cats->columns[0].type.length, 255);
    EXPECT_TRUE(cats->columns[0].type.not_null);
    EXPECT_EQ(cats->columns[3].type.kind, TypeKind::TimestampTz);
    EXPECT_EQ(cats->columns[5].type.kind, TypeKind::BigInt);
    EXPECT_TRUE(cats->columns[10].type.identity);
    EXPECT_EQ(cats->loadable_columns().size(), 10u);

    wh->run_script(gdx::test::file_text(ddl / "ldb_sku_initial_setup.sql"), {});
    const auto sku = wh->describe_table("microservice.ldb_sku");
    ASSERT_TRUE(sku);
    EXPECT_EQ(sku->columns.size(), 41u);
    fs::remove_all(dir);
}
