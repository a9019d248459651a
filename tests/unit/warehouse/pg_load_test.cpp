// PostgresWarehouse against a real PostgreSQL 15: loads, errors, replace, ledger, scripts.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "pg_test_support.hpp"
#include "util/error.hpp"
#include "warehouse/postgres/postgres_warehouse.hpp"

namespace gdx::warehouse {
namespace {

using test::psql;

// Batch text per docs/batch-format.md.
std::string escape_field(const std::optional<std::string>& v) {
    if (!v) return "\\N";
    std::string out;
    for (char c : *v) {
        if (c == '\\' || c == '|' || c == '\n' || c == '\r') out += '\\';
        out += c;
    }
    return out;
}

std::string hex(const std::string& s) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

class PgLoad : public ::testing::Test {
protected:
    void SetUp() override {
        url = test::pg_fresh_database("gdx_load");
        wh = std::make_unique<PostgresWarehouse>(url);
    }
    BatchRef put_batch(const std::string& key, const std::string& text) {
        store.store->put_bytes("bkt", key, text);
        return BatchRef{store.store.get(), "bkt", key};
    }
    std::string url;
    test::TempStore store;
    std::unique_ptr<PostgresWarehouse> wh;
};

TEST_F(PgLoad, AppendRoundTripsEveryTrickyString) {
    psql(url, "CREATE SCHEMA s; CREATE TABLE s.t (id INT, s VARCHAR(100), n INT)");
    std::vector<std::optional<std::string>> values = {
        "a|b",       "back\\slash", "quote\"d",  "line\nfeed", "carriage\rreturn",
        "tab\there", "\\N",         "-",         "  spaces  ", "emoji 😀 é",
        "",          std::nullopt,  "\\",        "ends\\",     "|",
        "\r\n",      "\"\"",        "a\\|b\\nc", "NULL",       "\\."};
    std::string batch = "id|s|n\n";
    for (size_t i = 0; i < values.size(); ++i) {
        batch += std::to_string(i) + "|" + escape_field(values[i]) + "|\\N\n";
    }
    BatchRef ref = put_batch("batch/x.csv", batch);
    auto tx = wh->begin();
    EXPECT_EQ(tx->load("s.t", ref, LoadMode::Append), values.size());
    tx->commit();

    std::string out = psql(url,
                           "SELECT id, CASE WHEN s IS NULL THEN 'NULL' ELSE "
                           "encode(convert_to(s, 'UTF8'), 'hex') END, n IS NULL FROM s.t "
                           "ORDER BY id");
    std::string expected;
    for (size_t i = 0; i < values.size(); ++i) {
        expected += std::to_string(i) + "|" + (values[i] ? hex(*values[i]) : "NULL") + "|t\n";
    }
    EXPECT_EQ(out, expected);
}

TEST_F(PgLoad, IdentityColumnIsGeneratedByTheServer) {
    wh->run_script(
        "CREATE SCHEMA servicebc; CREATE TABLE servicebc.c (ip VARCHAR(20) NOT NULL, "
        "gdx_id BIGINT IDENTITY(0,1) NOT NULL)",
        nullptr);
    auto schema = wh->describe_table("servicebc.c");
    ASSERT_TRUE(schema);
    EXPECT_TRUE(schema->columns[1].type.identity);
    EXPECT_EQ(schema->loadable_columns().size(), 1u);
    auto tx = wh->begin();
    EXPECT_EQ(tx->load("servicebc.c", put_batch("b/c", "ip\n1.2.3.4\n5.6.7.8\n"), LoadMode::Append),
              2u);
    tx->commit();
    EXPECT_EQ(psql(url, "SELECT ip, gdx_id FROM servicebc.c ORDER BY gdx_id"),
              "1.2.3.4|0\n5.6.7.8|1\n");
}

TEST_F(PgLoad, VarcharOverflowIsALoadErrorWithLineColumnValue) {
    psql(url, "CREATE TABLE t (id INT, name VARCHAR(5))");
    // Record 2 spans two physical lines, so the bad record 3 starts on line 4.
    BatchRef ref = put_batch("b/v", "id|name\n1|ab\\\ncd\n2|abcdefgh\n3|ok\n");
    {
        auto tx = wh->begin();
        try {
            tx->load("t", ref, LoadMode::Append);
            FAIL() << "expected LoadError";
        } catch (const LoadError& e) {
            EXPECT_EQ(e.batch_line, 4u);
            EXPECT_EQ(e.column, "name");
            EXPECT_EQ(e.value, "abcdefgh");
            EXPECT_NE(std::string(e.what()).find("character varying(5)"), std::string::npos)
                << e.what();
        }
        EXPECT_THROW(tx->commit(), BackendError);  // a failed transaction never commits
    }
    EXPECT_EQ(psql(url, "SELECT count(*) FROM t"), "0\n");
    // The connection is usable again after the rollback.
    auto tx = wh->begin();
    EXPECT_EQ(tx->load("t", put_batch("b/ok", "id|name\n1|fine\n"), LoadMode::Append), 1u);
    tx->commit();
    EXPECT_EQ(psql(url, "SELECT count(*) FROM t"), "1\n");
}

TEST_F(PgLoad, TextInIntegerIsALoadError) {
    psql(url, "CREATE TABLE t (id INT, name TEXT)");
    auto tx = wh->begin();
    try {
        tx->load("t", put_batch("b/i", "name|id\nx|1\ny|x1\n"), LoadMode::Append);
        FAIL() << "expected LoadError";
    } catch (const LoadError& e) {
        EXPECT_EQ(e.batch_line, 3u);
        EXPECT_EQ(e.column, "id");
        EXPECT_EQ(e.value, "x1");
        EXPECT_NE(std::string(e.what()).find("integer"), std::string::npos) << e.what();
    }
    tx.reset();
    EXPECT_EQ(psql(url, "SELECT count(*) FROM t"), "0\n");
}

TEST_F(PgLoad, UnknownColumnIsALoadError) {
    psql(url, "CREATE TABLE t (id INT)");
    auto tx = wh->begin();
    EXPECT_THROW(tx->load("t", put_batch("b/u", "id|nope\n1|2\n"), LoadMode::Append), LoadError);
}

// As on SQLite (error_kinds_test.cpp): a table dropped after the job described it stops the run
// (ErrorKind::Target); it is never the object's fault (a LoadError would send it to bad).
TEST_F(PgLoad, ATableDroppedBeforeTheLoadIsTheTargetsFailureNotTheObjects) {
    psql(url, "CREATE SCHEMA s; CREATE TABLE s.t (id INT)");
    ASSERT_TRUE(wh->describe_table("s.t"));
    psql(url, "DROP TABLE s.t");
    for (LoadMode mode : {LoadMode::Append, LoadMode::Replace}) {
        auto tx = wh->begin();
        try {
            tx->load("s.t", put_batch("b/d", "id\n1\n"), mode);
            ADD_FAILURE() << "the load succeeded";
        } catch (const LoadError& e) {
            ADD_FAILURE() << "a missing table would send the object to bad: " << e.what();
        } catch (const BackendError& e) {
            EXPECT_EQ(kind_name(e.kind()), kind_name(ErrorKind::Target)) << e.what();
            EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
        }
    }
}

TEST_F(PgLoad, ConstraintViolationsInSqlAreTheObjectsData) {
    psql(url, "CREATE TABLE u (a INT NOT NULL)");
    auto tx = wh->begin();
    EXPECT_THROW(tx->execute("INSERT INTO u VALUES (NULL)"), LoadError);
}

class PgReplace : public PgLoad {
protected:
    void SetUp() override {
        PgLoad::SetUp();
        // Roles are cluster-wide: create them once, tolerate re-runs.
        psql(url,
             "DO $$ BEGIN CREATE ROLE gdx_t_owner; EXCEPTION WHEN duplicate_object THEN NULL; "
             "END $$; DO $$ BEGIN CREATE ROLE gdx_t_reader; EXCEPTION WHEN duplicate_object "
             "THEN NULL; END $$; DO $$ BEGIN CREATE ROLE \"gdx t writer\"; EXCEPTION WHEN "
             "duplicate_object THEN NULL; END $$;"
             "CREATE SCHEMA s; CREATE TABLE s.t (id INT NOT NULL, v VARCHAR(10));"
             "ALTER TABLE s.t OWNER TO gdx_t_owner;"
             "GRANT SELECT ON s.t TO gdx_t_reader;"
             "GRANT INSERT, UPDATE ON s.t TO \"gdx t writer\" WITH GRANT OPTION;"
             "GRANT SELECT ON s.t TO PUBLIC;"
             "INSERT INTO s.t VALUES (1, 'old'), (2, 'old');");
        acl_before = acl();
    }
    std::string acl() {
        return psql(url,
                    "SELECT pg_get_userbyid(relowner) || ' ' || relacl::text FROM pg_class "
                    "WHERE oid = 's.t'::regclass");
    }
    std::string acl_before;
};

TEST_F(PgReplace, KeepsOwnerAndEveryGrant) {
    ASSERT_NE(acl_before.find("gdx_t_owner {"), std::string::npos) << acl_before;
    auto tx = wh->begin();
    EXPECT_EQ(tx->load("s.t", put_batch("b/r", "id|v\n7|new\n8|new\n9|\n"), LoadMode::Replace), 3u);
    tx->commit();
    EXPECT_EQ(psql(url, "SELECT id, v FROM s.t ORDER BY id"), "7|new\n8|new\n9|\n");
    EXPECT_EQ(acl(), acl_before);
    EXPECT_EQ(psql(url,
                   "SELECT attnotnull FROM pg_attribute WHERE attrelid = 's.t'::regclass "
                   "AND attname = 'id'"),
              "t\n");
    EXPECT_EQ(psql(url, "SELECT count(*) FROM pg_class WHERE relname LIKE 't_gdx_%'"), "0\n");
}

TEST_F(PgReplace, ReadersNeverSeeAnEmptyOrPartialTable) {
    auto tx = wh->begin();
    tx->load("s.t", put_batch("b/r", "id|v\n7|new\n"), LoadMode::Replace);
    // Another session reading now waits for the swap or sees the old table; never empty.
    auto reader =
        std::async(std::launch::async, [&] { return psql(url, "SELECT count(*) FROM s.t"); });
    EXPECT_EQ(reader.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
    tx->commit();
    EXPECT_EQ(reader.get(), "1\n");
}

TEST_F(PgReplace, FailedLoadLeavesTheOldTableIntact) {
    {
        auto tx = wh->begin();
        EXPECT_THROW(
            tx->load("s.t", put_batch("b/bad", "id|v\n7|new\n8|far too long\n"), LoadMode::Replace),
            LoadError);
    }
    EXPECT_EQ(psql(url, "SELECT id, v FROM s.t ORDER BY id"), "1|old\n2|old\n");
    EXPECT_EQ(acl(), acl_before);
    EXPECT_EQ(psql(url, "SELECT count(*) FROM pg_class WHERE relname LIKE 't_gdx_%'"), "0\n");
}

LedgerEntry entry(const std::string& key) {
    LedgerEntry e;
    e.job = "s3-to-redshift";
    e.config = "config.d/x.json";
    e.bucket = "bkt";
    e.key = key;
    e.etag = "\"abc\"";
    e.size = 123;
    e.rows = 4;
    e.status = "good";
    e.batch_key = "processed/batch/" + key;
    return e;
}

TEST_F(PgLoad, ClaimSerialisesTwoConnections) {
    auto first = wh->begin();
    EXPECT_FALSE(first->claim("bkt", "a/b.csv").has_value());

    PostgresWarehouse other(url);
    auto second_claim = std::async(std::launch::async, [&] {
        auto tx = other.begin();
        return tx->claim("bkt", "a/b.csv");
    });
    // A claim of another object does not wait.
    PostgresWarehouse third(url);
    {
        auto tx = third.begin();
        EXPECT_FALSE(tx->claim("bkt", "other.csv").has_value());
    }
    EXPECT_EQ(second_claim.wait_for(std::chrono::milliseconds(500)), std::future_status::timeout);
    first->record(entry("a/b.csv"));
    first->commit();
    ASSERT_EQ(second_claim.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    std::optional<LedgerEntry> seen = second_claim.get();
    ASSERT_TRUE(seen.has_value());
    EXPECT_EQ(seen->rows, 4u);
    EXPECT_EQ(seen->etag, "\"abc\"");
    EXPECT_EQ(seen->batch_key, "processed/batch/a/b.csv");
    EXPECT_EQ(seen->loaded_at.size(), 20u) << seen->loaded_at;  // 2024-01-05T12:00:00Z

    auto looked = wh->ledger_lookup("bkt", "a/b.csv");
    ASSERT_TRUE(looked.has_value());
    EXPECT_EQ(looked->job, "s3-to-redshift");
    EXPECT_FALSE(wh->ledger_lookup("bkt", "nope").has_value());
}

// The ledger rows of a prefix in one query: LIKE's wildcards and the escape character in the
// prefix match only themselves.
TEST_F(PgLoad, LedgerKeysOfAPrefix) {
    {
        auto tx = wh->begin();
        for (std::string key : {"in/a%_!.csv", "in/a%_!/b.csv", "in/aX_!.csv", "in/aXY!.csv",
                                "in/b.csv", "inside.csv", "out/in/a.csv"})
            tx->record(entry(key));
        tx->commit();
    }
    using Keys = std::set<std::string>;
    EXPECT_EQ(wh->ledger_keys("bkt", "in/"),
              (Keys{"in/a%_!.csv", "in/a%_!/b.csv", "in/aX_!.csv", "in/aXY!.csv", "in/b.csv"}));
    EXPECT_EQ(wh->ledger_keys("bkt", "in/a%_!"), (Keys{"in/a%_!.csv", "in/a%_!/b.csv"}));
    EXPECT_TRUE(wh->ledger_keys("other", "in/").empty());
    EXPECT_TRUE(wh->ledger_keys("bkt", "nothing/").empty());
}

// The ledger's CREATE failing with "already exists" is taken as another run's concurrent
// create only if the DDL, run again, finds the table: an unrelated type of that name (42710,
// as the race gives) still stops the run, with PostgreSQL's own message.
TEST_F(PgLoad, ATypeNamedLikeTheLedgerStopsTheRunWithItsOwnMessage) {
    psql(url, "CREATE TYPE public.gdx_ledger AS ENUM ('a')");
    try {
        wh->ledger_keys("bkt", "in/");
        FAIL() << "expected an error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("type \"gdx_ledger\" already exists"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(PgLoad, LedgerRowAndDataCommitTogether) {
    psql(url, "CREATE TABLE t (id INT)");
    {
        auto tx = wh->begin();
        tx->claim("bkt", "k");
        tx->load("t", put_batch("b/k", "id\n1\n"), LoadMode::Append);
        tx->record(entry("k"));
        // destroyed without commit
    }
    EXPECT_FALSE(wh->ledger_lookup("bkt", "k").has_value());
    EXPECT_EQ(psql(url, "SELECT count(*) FROM t"), "0\n");
}

TEST_F(PgLoad, RunScriptReturnsTypedValues) {
    std::vector<ResultRow> rows;
    std::vector<std::string> names;
    wh->run_script(
        "SELECT 1::int2 AS a, 2::int8 AS b, 1.5::float8 AS c, 2.25::numeric AS d, true AS e, "
        "NULL AS f, 'x'::text AS g, DATE '2024-01-05' AS h",
        [&](const ResultRow& r) {
            rows.push_back(r);
            names = *r.names;
        });
    ASSERT_EQ(rows.size(), 1u);
    const auto& v = rows[0].values;
    EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g", "h"}));
    EXPECT_EQ(std::get<int64_t>(v[0]), 1);
    EXPECT_EQ(std::get<int64_t>(v[1]), 2);
    EXPECT_DOUBLE_EQ(std::get<double>(v[2]), 1.5);
    EXPECT_DOUBLE_EQ(std::get<double>(v[3]), 2.25);
    EXPECT_EQ(std::get<int64_t>(v[4]), 1);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(v[5]));
    EXPECT_EQ(std::get<std::string>(v[6]), "x");
    EXPECT_EQ(std::get<std::string>(v[7]), "2024-01-05");
}

TEST_F(PgLoad, ScriptSkipsGrantsToAbsentRolesAndTables) {
    wh->run_script(
        "CREATE TABLE g (a INT);"
        "GRANT SELECT ON g TO \"no_such_role_gdx\";"
        "GRANT SELECT ON missing_table_gdx TO PUBLIC;"
        "ALTER TABLE g OWNER TO no_such_owner_gdx;"
        "BEGIN; INSERT INTO g VALUES (1); GRANT SELECT ON g TO no_such_role_gdx; "
        "INSERT INTO g VALUES (2); COMMIT;",
        nullptr);
    EXPECT_EQ(psql(url, "SELECT count(*) FROM g"), "2\n");
    try {
        wh->run_script("SELECT * FROM missing_table_gdx", nullptr);
        FAIL() << "expected an error";
    } catch (const BackendError& e) {
        EXPECT_NE(std::string(e.what()).find("missing_table_gdx"), std::string::npos) << e.what();
    }
}

TEST_F(PgLoad, ExecuteRunsInsideTheTransaction) {
    psql(url, "CREATE TABLE t (id INT PRIMARY KEY)");
    {
        auto tx = wh->begin();
        tx->execute("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");
    }
    EXPECT_EQ(psql(url, "SELECT count(*) FROM t"), "0\n");
    {
        auto tx = wh->begin();
        tx->execute("INSERT INTO t VALUES (1); GRANT SELECT ON t TO no_such_role_gdx");
        tx->commit();
    }
    EXPECT_EQ(psql(url, "SELECT count(*) FROM t"), "1\n");
    auto tx = wh->begin();
    EXPECT_THROW(tx->execute("INSERT INTO t VALUES (1)"), LoadError);  // unique violation
}

TEST(PgConnect, FailureNamesTheServerButNeverThePassword) {
    const std::string password = "S3cr3t pw'\\x";
    // Port 1 on loopback: nothing listens there.
    setenv("pgpass", password.c_str(), 1);
    try {
        PostgresWarehouse w("postgresql://loader@127.0.0.1:1/snowplow?connect_timeout=5");
        FAIL() << "expected BackendError";
    } catch (const BackendError& e) {
        std::string m = e.what();
        EXPECT_EQ(m.find("S3cr3t"), std::string::npos) << m;
        EXPECT_NE(m.find("127.0.0.1"), std::string::npos) << m;
        EXPECT_NE(m.find("port 1"), std::string::npos) << m;
        EXPECT_NE(m.find("snowplow"), std::string::npos) << m;
        EXPECT_NE(m.find("loader"), std::string::npos) << m;
    }
    unsetenv("pgpass");
    try {
        PostgresWarehouse w("postgresql://loader:hunter2%20x@127.0.0.1:1/db");
        FAIL() << "expected BackendError";
    } catch (const BackendError& e) {
        EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    }
    // A working connection whose URI carries a password (trust auth ignores it).
    std::string url = test::pg_server_url();
    std::string with_pw =
        url.substr(0, url.find('@')) + ":hunter2@" + url.substr(url.find('@') + 1);
    PostgresWarehouse ok(with_pw);
    EXPECT_EQ(ok.describe().find("hunter2"), std::string::npos) << ok.describe();
    EXPECT_NE(ok.describe().find("127.0.0.1"), std::string::npos) << ok.describe();
}

}  // namespace
}  // namespace gdx::warehouse

namespace gdx::warehouse {
namespace {

TEST(PgOpenWarehouse, DispatchesByScheme) {
    std::string url = test::pg_server_url();
    auto w = open_warehouse(url);
    EXPECT_NE(dynamic_cast<PostgresWarehouse*>(w.get()), nullptr);
    std::string alias = "postgres://" + url.substr(std::string("postgresql://").size());
    EXPECT_NE(dynamic_cast<PostgresWarehouse*>(open_warehouse(alias).get()), nullptr);
    // redshift:// defaults to sslmode=require, which this loopback server refuses.
    std::string rs = "redshift://" + url.substr(std::string("postgresql://").size());
    try {
        open_warehouse(rs);
        FAIL() << "expected BackendError";
    } catch (const BackendError& e) {
        EXPECT_NE(std::string(e.what()).find("SSL"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace gdx::warehouse
