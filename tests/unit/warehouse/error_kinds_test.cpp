// Each backend's one classifier of its error codes (docs/architecture.md, "Failures"): what a
// failure means for the run. A table per backend, and the situation both must agree on: a table
// dropped after the job described it stops the run (target), it never sends the object to bad.
#include <gtest/gtest.h>

#include <filesystem>
#include <utility>
#include <vector>

#include "store/local_store.hpp"
#include "util/error.hpp"
#include "warehouse/postgres/sqlstate.hpp"
#include "warehouse/sqlite/sqlite_db.hpp"
#include "warehouse/sqlite/sqlite_warehouse.hpp"

namespace gdx::warehouse {
namespace {

TEST(PostgresSqlstate, EveryClassMapsToItsKind) {
    const std::vector<std::pair<const char*, ErrorKind>> table = {
        {"22001", ErrorKind::Data},            // string_data_right_truncation (VARCHAR overflow)
        {"22P02", ErrorKind::Data},            // invalid_text_representation ('x' into INT)
        {"22003", ErrorKind::Data},            // numeric_value_out_of_range
        {"23502", ErrorKind::Data},            // not_null_violation
        {"23505", ErrorKind::Data},            // unique_violation
        {"54000", ErrorKind::Data},            // program_limit_exceeded
        {"P0001", ErrorKind::Data},            // raise_exception in a trigger
        {"42703", ErrorKind::Data},            // undefined_column: a batch column the table lacks
        {"42P01", ErrorKind::Target},          // undefined_table
        {"42501", ErrorKind::Target},          // insufficient_privilege
        {"42601", ErrorKind::Target},          // syntax_error
        {"3F000", ErrorKind::Target},          // invalid_schema_name
        {"0A000", ErrorKind::Target},          // feature_not_supported
        {"40001", ErrorKind::Transient},       // serialization_failure
        {"40P01", ErrorKind::Transient},       // deadlock_detected
        {"08006", ErrorKind::Infrastructure},  // connection_failure
        {"08000", ErrorKind::Infrastructure},  // connection_exception
        {"53100", ErrorKind::Infrastructure},  // disk_full
        {"55P03", ErrorKind::Infrastructure},  // lock_not_available
        {"57P01", ErrorKind::Infrastructure},  // admin_shutdown
        {"58030", ErrorKind::Infrastructure},  // io_error
        {"XX000", ErrorKind::Infrastructure},  // internal_error
        {"25P02", ErrorKind::Infrastructure},  // in_failed_sql_transaction: unknown class
        {"", ErrorKind::Infrastructure},       // no SQLSTATE (the connection broke)
    };
    for (const auto& [state, kind] : table)
        EXPECT_EQ(kind_name(pg::classify_sqlstate(state)), kind_name(kind)) << state;
}

TEST(PostgresSqlstate, NamedSituations) {
    EXPECT_TRUE(pg::is_absent_object("42P01"));
    EXPECT_TRUE(pg::is_absent_object("42704"));
    EXPECT_FALSE(pg::is_absent_object("42501"));
    EXPECT_TRUE(pg::is_concurrent_create("42P07"));
    EXPECT_TRUE(pg::is_concurrent_create("23505"));
    EXPECT_TRUE(pg::is_concurrent_create("42710"));
    EXPECT_FALSE(pg::is_concurrent_create("23502"));
    EXPECT_TRUE(pg::is_redshift_copy_rejection("XX000"));
    EXPECT_FALSE(pg::is_redshift_copy_rejection("22001"));
}

TEST(SqliteResultCode, EveryCodeMapsToItsKind) {
    const std::vector<std::pair<int, ErrorKind>> table = {
        {SQLITE_CONSTRAINT, ErrorKind::Data},
        {SQLITE_CONSTRAINT_NOTNULL, ErrorKind::Data},  // extended codes by their primary
        {SQLITE_CONSTRAINT_UNIQUE, ErrorKind::Data},
        {SQLITE_MISMATCH, ErrorKind::Data},
        {SQLITE_TOOBIG, ErrorKind::Data},
        {SQLITE_RANGE, ErrorKind::Data},
        {SQLITE_ERROR, ErrorKind::Target},  // no such table, syntax error
        {SQLITE_AUTH, ErrorKind::Target},
        {SQLITE_PERM, ErrorKind::Target},
        {SQLITE_BUSY, ErrorKind::Transient},
        {SQLITE_BUSY_SNAPSHOT, ErrorKind::Transient},
        {SQLITE_LOCKED, ErrorKind::Transient},
        {SQLITE_SCHEMA, ErrorKind::Transient},
        {SQLITE_IOERR, ErrorKind::Infrastructure},
        {SQLITE_IOERR_FSYNC, ErrorKind::Infrastructure},
        {SQLITE_FULL, ErrorKind::Infrastructure},
        {SQLITE_CORRUPT, ErrorKind::Infrastructure},
        {SQLITE_CANTOPEN, ErrorKind::Infrastructure},
        {SQLITE_READONLY, ErrorKind::Infrastructure},
        {SQLITE_NOMEM, ErrorKind::Infrastructure},
        {SQLITE_NOTADB, ErrorKind::Infrastructure},
    };
    for (const auto& [code, kind] : table)
        EXPECT_EQ(kind_name(sqlite::classify_result_code(code)), kind_name(kind)) << code;
}

class SqliteTarget : public ::testing::Test {
protected:
    void SetUp() override {
        dir = std::filesystem::temp_directory_path() /
              ("gdx-errkinds-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir / "store");
        store = std::make_unique<store::LocalStore>(dir / "store");
        wh = std::make_unique<sqlite::SqliteWarehouse>((dir / "w.db").string());
        wh->run_script("CREATE SCHEMA s; CREATE TABLE s.t (a INTEGER)", nullptr);
        store->put_bytes("bkt", "batch", "a\n1\n");
    }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::filesystem::path dir;
    std::unique_ptr<store::LocalStore> store;
    std::unique_ptr<sqlite::SqliteWarehouse> wh;
};

TEST_F(SqliteTarget, ATableDroppedBeforeTheLoadIsTheTargetsFailureNotTheObjects) {
    ASSERT_TRUE(wh->describe_table("s.t"));
    wh->run_script("DROP TABLE s.t", nullptr);
    for (LoadMode mode : {LoadMode::Append, LoadMode::Replace}) {
        auto tx = wh->begin();
        try {
            tx->load("s.t", {store.get(), "bkt", "batch"}, mode);
            ADD_FAILURE() << "the load succeeded";
        } catch (const LoadError& e) {
            ADD_FAILURE() << "a missing table would send the object to bad: " << e.what();
        } catch (const BackendError& e) {
            EXPECT_EQ(kind_name(e.kind()), kind_name(ErrorKind::Target)) << e.what();
            EXPECT_NE(std::string(e.what()).find("s.t does not exist"), std::string::npos);
        }
    }
}

TEST_F(SqliteTarget, ConstraintViolationsInSqlAreTheObjectsData) {
    wh->run_script("CREATE TABLE s.u (a INTEGER NOT NULL)", nullptr);
    auto tx = wh->begin();
    EXPECT_THROW(tx->execute("INSERT INTO s.u VALUES (NULL)"), LoadError);
}

}  // namespace
}  // namespace gdx::warehouse
