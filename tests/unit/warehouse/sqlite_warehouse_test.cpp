// SqliteWarehouse against real SQLite files and a real local object store.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../../support/original_configs.hpp"
#include "store/object_store.hpp"
#include "util/error.hpp"
#include "warehouse/warehouse.hpp"

namespace fs = std::filesystem;
using namespace gdx::warehouse;

namespace {

class SqliteWarehouseTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gdx-sqlite-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "store" / "bucket");
        fs::create_directories(dir_ / "db");
        store_ = gdx::store::open_store("file:" + (dir_ / "store").string());
        wh_ = open_warehouse("sqlite:" + db_path());
    }
    void TearDown() override {
        wh_.reset();
        fs::remove_all(dir_);
    }

    std::string db_path() const { return (dir_ / "db" / "gdx.db").string(); }

    BatchRef put_batch(const std::string& key, const std::string& bytes) {
        store_->put_bytes("bucket", key, bytes);
        return BatchRef{store_.get(), "bucket", key};
    }

    // All rows of a query, each rendered as "v1|v2|..." with NULL as \N.
    static std::vector<std::string> rows(Warehouse& wh, const std::string& sql) {
        std::vector<std::string> out;
        wh.run_script(sql, [&](const ResultRow& row) {
            std::string line;
            for (size_t i = 0; i < row.values.size(); ++i) {
                if (i > 0) line += "|";
                std::visit(
                    [&](const auto& v) {
                        using T = std::decay_t<decltype(v)>;
                        if constexpr (std::is_same_v<T, std::monostate>) {
                            line += "\\N";
                        } else if constexpr (std::is_same_v<T, std::string>) {
                            line += v;
                        } else {
                            line += std::to_string(v);
                        }
                    },
                    row.values[i]);
            }
            out.push_back(line);
        });
        return out;
    }
    std::vector<std::string> rows(const std::string& sql) { return rows(*wh_, sql); }

    void create_typed_table() {
        wh_->run_script(
            "CREATE TABLE IF NOT EXISTS servicebc.typed (\n"
            "  name VARCHAR(20) ENCODE ZSTD NOT NULL,\n"
            "  n INT ENCODE AZ64,\n"
            "  small SMALLINT,\n"
            "  price NUMERIC(8,2),\n"
            "  ratio DOUBLE PRECISION,\n"
            "  ok BOOLEAN,\n"
            "  day DATE,\n"
            "  at TIMESTAMP WITHOUT TIME ZONE,\n"
            "  id BIGINT IDENTITY(0,1) NOT NULL\n"
            ") DISTSTYLE EVEN;\n"
            "GRANT SELECT ON servicebc.typed TO looker;",
            {});
    }

    static constexpr const char* kTypedHeader = "name|n|small|price|ratio|ok|day|at\n";

    fs::path dir_;
    std::unique_ptr<gdx::store::ObjectStore> store_;
    std::unique_ptr<Warehouse> wh_;
};

TEST_F(SqliteWarehouseTest, DescribeTableReportsDeclaredTypes) {
    create_typed_table();
    const auto schema = wh_->describe_table("servicebc.typed");
    ASSERT_TRUE(schema);
    ASSERT_EQ(schema->columns.size(), 9u);
    EXPECT_EQ(schema->columns[0].name, "name");
    EXPECT_EQ(schema->columns[0].type.kind, TypeKind::Text);
    EXPECT_EQ(schema->columns[0].type.length, 20);
    EXPECT_TRUE(schema->columns[0].type.not_null);
    EXPECT_EQ(schema->columns[2].type.kind, TypeKind::SmallInt);
    EXPECT_EQ(schema->columns[3].type.kind, TypeKind::Decimal);
    EXPECT_EQ(schema->columns[3].type.scale, 2);
    EXPECT_EQ(schema->columns[7].type.kind, TypeKind::Timestamp);
    EXPECT_TRUE(schema->columns[8].type.identity);
    EXPECT_EQ(schema->loadable_columns().size(), 8u);
    EXPECT_FALSE(wh_->describe_table("servicebc.missing"));
    EXPECT_FALSE(wh_->describe_table("typed"));  // the schema is part of the name
}

TEST_F(SqliteWarehouseTest, AppendLoadsTypedValuesAndIdentities) {
    create_typed_table();
    const auto batch = put_batch("b1", std::string(kTypedHeader) +
                                           "a\\|b|007|-5|1.555|2.5|True|2024-01-05|2024-01-05\n"
                                           "|\\N|\\N|\\N|\\N|\\N|\\N|2024-01-05 10:11:12.5\n"
                                           "\\\\N|| 3|||f||\n");
    for (int round = 0; round < 2; ++round) {
        auto tx = wh_->begin();
        EXPECT_EQ(tx->load("servicebc.typed", batch, LoadMode::Append), 3u);
        tx->commit();
    }
    EXPECT_EQ(rows("SELECT name, n, small, price, ratio, ok, day, at, id, typeof(price) "
                   "FROM servicebc.typed ORDER BY id"),
              (std::vector<std::string>{
                  "a|b|7|-5|1.560000|2.500000|1|2024-01-05|2024-01-05 00:00:00|0|real",
                  "|\\N|\\N|\\N|\\N|\\N|\\N|2024-01-05 10:11:12.5|1|null",
                  "\\N|\\N|3|\\N|\\N|0|\\N|\\N|2|null",
                  "a|b|7|-5|1.560000|2.500000|1|2024-01-05|2024-01-05 00:00:00|3|real",
                  "|\\N|\\N|\\N|\\N|\\N|\\N|2024-01-05 10:11:12.5|4|null",
                  "\\N|\\N|3|\\N|\\N|0|\\N|\\N|5|null"}));
}

TEST_F(SqliteWarehouseTest, ReplaceSwapsContentAtomicallyForReaders) {
    create_typed_table();
    {
        auto tx = wh_->begin();
        tx->load("servicebc.typed",
                 put_batch("old", std::string(kTypedHeader) + "old1|||||||\nold2|||||||\n"),
                 LoadMode::Append);
        tx->commit();
    }
    auto reader = open_warehouse("sqlite:" + db_path());
    auto tx = wh_->begin();
    EXPECT_EQ(
        tx->load("servicebc.typed", put_batch("new", std::string(kTypedHeader) + "new|||||||\n"),
                 LoadMode::Replace),
        1u);
    // Before commit another connection still sees the old rows, never an empty table.
    EXPECT_EQ(rows(*reader, "SELECT name FROM servicebc.typed ORDER BY name"),
              (std::vector<std::string>{"old1", "old2"}));
    tx->commit();
    EXPECT_EQ(rows(*reader, "SELECT name, id FROM servicebc.typed"),
              (std::vector<std::string>{"new|0"}));
}

struct RejectCase {
    const char* row;
    const char* column;
    const char* value;
    const char* message_part;
};

TEST_F(SqliteWarehouseTest, RejectedValuesFailTheLoadAndRollBack) {
    create_typed_table();
    {
        auto tx = wh_->begin();
        tx->load("servicebc.typed", put_batch("seed", std::string(kTypedHeader) + "keep|||||||\n"),
                 LoadMode::Append);
        tx->commit();
    }
    const RejectCase cases[] = {
        {"123456789012345678901|1||||||", "name", "123456789012345678901", "too long"},
        {"x|abc||||||", "n", "abc", "integer"},
        {"x||40000|||||", "small", "40000", ""},
        {"x||||||2024-02-30|", "day", "2024-02-30", "date"},
        {"x|||||maybe||", "ok", "maybe", "boolean"},
        {"x|||1234567.1||||", "price", "1234567.1", ""},
        {"\\N|||||||", "name", "\\N", "not-null"},
    };
    int n = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.row);
        const auto batch = put_batch("bad" + std::to_string(n++),
                                     std::string(kTypedHeader) + "fine|||||||\n" + c.row + "\n");
        for (LoadMode mode : {LoadMode::Append, LoadMode::Replace}) {
            auto tx = wh_->begin();
            try {
                tx->load("servicebc.typed", batch, mode);
                ADD_FAILURE() << "load accepted a bad value";
            } catch (const LoadError& e) {
                EXPECT_EQ(e.batch_line, 3u);
                EXPECT_EQ(e.column, c.column);
                EXPECT_EQ(e.value, c.value);
                EXPECT_NE(std::string(e.what()).find(c.message_part), std::string::npos)
                    << e.what();
            }
            tx.reset();  // rollback
            EXPECT_EQ(rows("SELECT name FROM servicebc.typed"), (std::vector<std::string>{"keep"}));
        }
    }
}

TEST_F(SqliteWarehouseTest, HeaderMustMatchLoadableColumns) {
    create_typed_table();
    auto tx = wh_->begin();
    try {
        tx->load("servicebc.typed", put_batch("h", "name|n\nx|1\n"), LoadMode::Append);
        FAIL() << "accepted";
    } catch (const LoadError& e) {
        EXPECT_EQ(e.batch_line, 1u);
        EXPECT_NE(std::string(e.what()).find("(name, n)"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("(name, n, small, price, ratio, ok, day, at)"),
                  std::string::npos);
    }
    // A missing table is the target's failure (the run stops), not the batch's: as on PostgreSQL.
    try {
        tx->load("servicebc.nope", put_batch("h2", "a\n1\n"), LoadMode::Append);
        FAIL() << "accepted";
    } catch (const LoadError& e) {
        FAIL() << "a LoadError would send the object to bad: " << e.what();
    } catch (const gdx::BackendError& e) {
        EXPECT_EQ(e.kind(), gdx::ErrorKind::Target) << e.what();
    }
}

TEST_F(SqliteWarehouseTest, LedgerClaimRecordLookup) {
    EXPECT_FALSE(wh_->ledger_lookup("bucket", "k"));
    {
        auto tx = wh_->begin();
        EXPECT_FALSE(tx->claim("bucket", "k"));
        tx->record(LedgerEntry{"s3_to_redshift", "cfg.json", "bucket", "k", "etag1", 10, 3, "good",
                               "batch/k", ""});
        // not committed: rolled back
    }
    EXPECT_FALSE(wh_->ledger_lookup("bucket", "k"));
    {
        auto tx = wh_->begin();
        tx->record(LedgerEntry{"s3_to_redshift", "cfg.json", "bucket", "k", "etag1", 10, 3, "good",
                               "batch/k", ""});
        tx->commit();
    }
    const auto e = wh_->ledger_lookup("bucket", "k");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->etag, "etag1");
    EXPECT_EQ(e->rows, 3u);
    EXPECT_EQ(e->batch_key, "batch/k");
    EXPECT_EQ(e->loaded_at.size(), 20u);  // YYYY-MM-DDTHH:MM:SSZ
    EXPECT_EQ(e->loaded_at.back(), 'Z');
    auto tx = wh_->begin();
    const auto claimed = tx->claim("bucket", "k");
    ASSERT_TRUE(claimed);
    EXPECT_EQ(claimed->config, "cfg.json");
    EXPECT_THROW(tx->record(*claimed), gdx::BackendError);  // one row per object
}

// Selection asks for the ledger rows of a prefix in one query: exactly the keys that start with
// it, whatever characters the prefix holds (LIKE wildcards included), in this bucket only.
TEST_F(SqliteWarehouseTest, LedgerKeysOfAPrefix) {
    {
        auto tx = wh_->begin();
        for (std::string key : {"in/a%_!.csv", "in/a%_!/b.csv", "in/aX_!.csv", "in/b.csv",
                                "inside.csv", "in0.csv", "out/in/a.csv"})
            tx->record(LedgerEntry{"j", "c", "bucket", key, "e", 1, 1, "good", "b/" + key, ""});
        tx->record(LedgerEntry{"j", "c", "other", "in/a%_!.csv", "e", 1, 1, "good", "b", ""});
        tx->commit();
    }
    using Keys = std::set<std::string>;
    EXPECT_EQ(wh_->ledger_keys("bucket", "in/"),
              (Keys{"in/a%_!.csv", "in/a%_!/b.csv", "in/aX_!.csv", "in/b.csv"}));
    EXPECT_EQ(wh_->ledger_keys("bucket", "in/a%_!"), (Keys{"in/a%_!.csv", "in/a%_!/b.csv"}));
    EXPECT_EQ(wh_->ledger_keys("other", "in/"), (Keys{"in/a%_!.csv"}));
    EXPECT_TRUE(wh_->ledger_keys("bucket", "nothing/").empty());
    EXPECT_EQ(wh_->ledger_keys("bucket", "").size(), 7u);
}

// Two processes claim the same object at the same time: exactly one loads it.
TEST_F(SqliteWarehouseTest, ConcurrentProcessesLoadAnObjectOnce) {
    wh_->run_script("CREATE TABLE s.t (v VARCHAR(10))", {});
    const auto batch = put_batch("obj", "v\na\nb\n");
    const std::string db = db_path();
    const std::string store_dir = (dir_ / "store").string();
    auto run_once = [&]() -> int {  // 10 = loaded, 20 = already claimed
        auto store = gdx::store::open_store("file:" + store_dir);
        auto wh = open_warehouse("sqlite:" + db);
        auto tx = wh->begin();
        if (tx->claim("bucket", "obj")) return 20;
        const uint64_t n =
            tx->load("s.t", BatchRef{store.get(), "bucket", "obj"}, LoadMode::Append);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // widen the race window
        tx->record(LedgerEntry{"job", "cfg", "bucket", "obj", "e", 1, n, "good", "batch/obj", ""});
        tx->commit();
        return 10;
    };
    std::vector<pid_t> children;
    for (int i = 0; i < 2; ++i) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            int code = 1;
            try {
                code = run_once();
            } catch (...) {
                code = 2;
            }
            ::_exit(code);
        }
        children.push_back(pid);
    }
    std::vector<int> codes;
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        ASSERT_TRUE(WIFEXITED(status));
        codes.push_back(WEXITSTATUS(status));
    }
    std::sort(codes.begin(), codes.end());
    EXPECT_EQ(codes, (std::vector<int>{10, 20}));
    EXPECT_EQ(rows("SELECT count(*) FROM s.t"), (std::vector<std::string>{"2"}));
}

TEST_F(SqliteWarehouseTest, TwelveSchemasInOneTransactionWithTheLedger) {
    std::string ddl;
    for (int i = 0; i < 12; ++i) {
        ddl += "CREATE SCHEMA IF NOT EXISTS schema" + std::to_string(i) + ";\n";
        ddl +=
            "CREATE TABLE schema" + std::to_string(i) + ".t (v INT ENCODE ZSTD) DISTSTYLE EVEN;\n";
    }
    wh_->run_script(ddl, {});
    const auto batch = put_batch("twelve", "v\n1\n2\n");
    {
        auto tx = wh_->begin();
        for (int i = 0; i < 12; ++i)
            tx->load("schema" + std::to_string(i) + ".t", batch, LoadMode::Append);
        tx->record(LedgerEntry{"job", "cfg", "bucket", "twelve", "e", 1, 24, "good", "b", ""});
        // no commit: every table and the ledger roll back together
    }
    EXPECT_FALSE(wh_->ledger_lookup("bucket", "twelve"));
    EXPECT_EQ(rows("SELECT count(*) FROM schema0.t"), (std::vector<std::string>{"0"}));
    {
        auto tx = wh_->begin();
        for (int i = 0; i < 12; ++i)
            tx->load("schema" + std::to_string(i) + ".t", batch, LoadMode::Append);
        tx->execute("UPDATE schema11.t SET v = v * 10 WHERE t.v = 2");
        tx->record(LedgerEntry{"job", "cfg", "bucket", "twelve", "e", 1, 24, "good", "b", ""});
        tx->commit();
    }
    std::string query = "SELECT sum(v) FROM (";
    for (int i = 0; i < 12; ++i) {
        query += (i ? " UNION ALL " : "") + std::string("SELECT schema") + std::to_string(i) +
                 ".t.v FROM schema" + std::to_string(i) + ".t";
    }
    EXPECT_EQ(rows(query + ")"), (std::vector<std::string>{std::to_string(11 * 3 + 1 + 20)}));
    EXPECT_TRUE(wh_->ledger_lookup("bucket", "twelve"));
    // A second process sees the same schemas.
    auto other = open_warehouse("sqlite:" + db_path());
    EXPECT_EQ(rows(*other, "select count(*) from SCHEMA5.T"), (std::vector<std::string>{"2"}));
}

TEST_F(SqliteWarehouseTest, ExecuteRunsPostLoadSqlInsideTheTransaction) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path originals = gdx::test::original_configs_location();
    const auto read = [](const fs::path& p) {
        std::ifstream in(p);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    wh_->run_script(read(originals / "s3_to_redshift/ddl/ldb_sku_initial_setup.sql"), {});
    const auto schema = wh_->describe_table("microservice.ldb_sku");
    ASSERT_TRUE(schema);
    // An existing 'old' row for sku 1 and a removed one (sku 2), then a fresh batch with sku 1
    // and 3.
    std::string header, fresh1, fresh3;
    for (const auto* c : schema->loadable_columns()) {
        header += (header.empty() ? "" : "|") + c->name;
    }
    auto row = [&](const std::string& sku, const std::string& name, const std::string& status) {
        std::string line;
        for (const auto* c : schema->loadable_columns()) {
            std::string v = "\\N";
            if (c->name == "sku") v = sku;
            if (c->name == "product_name") v = name;
            if (c->name == "data_status") v = status;
            line += (line.empty() ? "" : "|") + v;
        }
        return line + "\n";
    };
    {
        auto tx = wh_->begin();
        tx->load("microservice.ldb_sku",
                 put_batch("seed",
                           header + "\n" + row("1", "old name", "old") + row("2", "gone", "old")),
                 LoadMode::Append);
        tx->execute("UPDATE microservice.ldb_sku SET date_added = '2020-01-01'");
        tx->commit();
    }
    auto tx = wh_->begin();
    tx->load(
        "microservice.ldb_sku",
        put_batch("fresh", header + "\n" + row("1", "new name", "new") + row("3", "three", "new")),
        LoadMode::Append);
    tx->execute(read(originals / "s3_to_redshift/ddl/ldb_sku_query.sql"));
    tx->commit();
    const auto got = rows(
        "SELECT sku, product_name, data_status, date_added = '2020-01-01', "
        "date_removed IS NULL FROM microservice.ldb_sku ORDER BY sku");
    EXPECT_EQ(
        got, (std::vector<std::string>{"1|new name|old|1|1", "2|gone|old|1|0", "3|three|old|0|1"}));
}

TEST_F(SqliteWarehouseTest, RedshiftFunctions) {
    EXPECT_EQ(
        rows("SELECT split_part('a|b||c', '|', 2), split_part('a|b', '|', 5), nvl(NULL, 'x'), "
             "len('héllo'), charindex('l', 'héllo'), nvl2(1, 'y', 'n'), length(getdate()), "
             "length(sysdate) >= 21, left('héllo', 2), right('héllo', 3)"),
        (std::vector<std::string>{"b||x|5|3|y|19|1|hé|llo"}));
    EXPECT_THROW(rows("SELECT split_part('a', '|', 0)"), gdx::BackendError);
}

TEST_F(SqliteWarehouseTest, RunScriptDeliversTypedValuesAndRollsBackFailedScripts) {
    std::vector<Value> got;
    std::vector<std::string> names;
    wh_->run_script("SELECT 1 AS i, 2.5 AS d, 'x' AS s, NULL AS n", [&](const ResultRow& r) {
        got = r.values;
        names = *r.names;
    });
    ASSERT_EQ(got.size(), 4u);
    EXPECT_EQ(std::get<int64_t>(got[0]), 1);
    EXPECT_EQ(std::get<double>(got[1]), 2.5);
    EXPECT_EQ(std::get<std::string>(got[2]), "x");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(got[3]));
    EXPECT_EQ(names, (std::vector<std::string>{"i", "d", "s", "n"}));
    wh_->run_script("CREATE TABLE a.t (v INT)", {});
    EXPECT_THROW(
        wh_->run_script("BEGIN; INSERT INTO a.t VALUES (1); SELECT * FROM nope; COMMIT;", {}),
        gdx::BackendError);
    EXPECT_EQ(rows("SELECT count(*) FROM a.t"), (std::vector<std::string>{"0"}));
    auto tx = wh_->begin();  // the failed script left no transaction open
    tx->commit();
}

TEST(SqliteOpenWarehouse, UrisSelectTheBackend) {
    const fs::path dir = fs::temp_directory_path() / ("gdx-open-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    // The directory of a database is never created.
    EXPECT_THROW(open_warehouse((dir / "a" / "x.db").string()), gdx::ConfigError);
    EXPECT_FALSE(fs::exists(dir));
    fs::create_directories(dir / "a");
    EXPECT_NE(open_warehouse((dir / "a" / "x.db").string())->describe().find("x.db"),
              std::string::npos);
    EXPECT_TRUE(open_warehouse("sqlite:" + (dir / "b.sqlite3").string()));
    EXPECT_THROW(open_warehouse("mysql://user:hunter2@host/db"), gdx::ConfigError);
    try {
        open_warehouse("mysql://user:hunter2@host/db");
    } catch (const gdx::ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(open_warehouse("sqlite:"), gdx::ConfigError);
    fs::remove_all(dir);
}

TEST(SqliteOpenWarehouse, ANewFileIsCreatedOnlyByTheFirstWrite) {
    const fs::path dir = fs::temp_directory_path() / ("gdx-lazy-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path db = dir / "new.db";
    auto wh = open_warehouse("sqlite:" + db.string());
    EXPECT_FALSE(wh->describe_table("s.t"));
    EXPECT_FALSE(wh->ledger_lookup("bucket", "key"));
    int rows = 0;
    wh->run_script("select 1; select * from gdx_ledger", [&](const ResultRow&) { ++rows; });
    EXPECT_EQ(rows, 1);
    EXPECT_THROW(wh->run_script("select * from missing", {}), gdx::BackendError);
    EXPECT_FALSE(fs::exists(db)) << "reads must not create the database";
    wh->run_script("create table s.t (i integer)", {});
    EXPECT_TRUE(fs::exists(db));
    EXPECT_TRUE(wh->describe_table("s.t"));
    wh.reset();
    fs::remove(db);
    wh = open_warehouse("sqlite:" + db.string());
    wh->begin().reset();  // a transaction writes (the ledger row and the load)
    EXPECT_TRUE(fs::exists(db));
    wh.reset();
    fs::remove_all(dir);
}

}  // namespace
