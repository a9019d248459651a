#include "warehouse/sqlite/sqlite_warehouse.hpp"

#include <filesystem>

#include "util/error.hpp"
#include "warehouse/sqlite/redshift_functions.hpp"
#include "warehouse/sqlite/schema_names.hpp"
#include "warehouse/sqlite/sqlite_catalog.hpp"
#include "warehouse/sqlite/sqlite_db.hpp"
#include "warehouse/sqlite/sqlite_ledger.hpp"
#include "warehouse/sqlite/sqlite_loader.hpp"
#include "warehouse/sqlite/sqlite_query_stream.hpp"
#include "warehouse/sqlite/sqlite_script.hpp"

namespace gdx::warehouse::sqlite {

namespace {
constexpr int kBusyTimeoutMs = 60'000;
}

class SqliteTransaction : public Transaction {
public:
    explicit SqliteTransaction(SqliteWarehouse& owner) : owner_(owner) {
        exec(owner_.db_, "BEGIN IMMEDIATE");
        owner_.in_transaction_ = true;
    }
    ~SqliteTransaction() override {
        if (open_) sqlite3_exec(owner_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
        owner_.in_transaction_ = false;
    }

    std::optional<LedgerEntry> claim(const std::string& bucket, const std::string& key) override {
        require_open();
        return find_ledger_entry(owner_.db_, bucket, key);
    }

    uint64_t load(const std::string& table, const BatchRef& batch, LoadMode mode) override {
        require_open();
        const auto schema = read_table_schema(owner_.db_, table);
        // Dropped since the job described it: the target's problem, as on PostgreSQL.
        if (!schema) throw BackendError("table " + table + " does not exist", ErrorKind::Target);
        return load_batch(owner_.db_, *schema, batch, mode);
    }

    void execute(const std::string& sql) override {
        require_open();
        try {
            run_redshift_sql(owner_.db_, sql, ScriptContext::Transaction, nullptr);
        } catch (const BackendError& e) {
            if (e.kind() == ErrorKind::Data) throw LoadError(e.what());
            throw;
        }
    }

    void insert_row(const std::string& table,
                    const std::vector<std::optional<std::string>>& values) override {
        require_open();
        if (!read_table_schema(owner_.db_, table))
            throw BackendError("table " + table + " does not exist", ErrorKind::Target);
        std::string params;
        for (size_t i = 0; i < values.size(); ++i) params += i == 0 ? "?" : ", ?";
        Statement insert(owner_.db_, "INSERT INTO " + quote_identifier(storage_table_name(table)) +
                                         " VALUES (" + params + ")");
        for (size_t i = 0; i < values.size(); ++i) {
            if (values[i])
                insert.bind_text(static_cast<int>(i) + 1, *values[i]);
            else
                insert.bind_null(static_cast<int>(i) + 1);
        }
        try {
            insert.step();
        } catch (const BackendError& e) {
            if (e.kind() == ErrorKind::Data) throw LoadError(e.what());
            throw;
        }
    }

    void record(const LedgerEntry& entry) override {
        require_open();
        insert_ledger_entry(owner_.db_, entry);
    }

    void commit() override {
        require_open();
        exec(owner_.db_, "COMMIT");
        open_ = false;
    }

private:
    void require_open() const {
        if (!open_) throw BackendError("SQLite: the transaction is already committed");
    }

    SqliteWarehouse& owner_;
    bool open_ = true;
};

namespace {

// Opens `name` (a file, or ":memory:") with the bookkeeping tables and Redshift functions.
sqlite3* open_database(const std::string& name, const std::string& path_for_messages) {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(name.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        throw BackendError("SQLite: cannot open " + path_for_messages + ": " + message);
    }
    try {
        sqlite3_busy_timeout(db, kBusyTimeoutMs);
        exec(db, "PRAGMA journal_mode=WAL");
        create_bookkeeping_tables(db);
        register_redshift_functions(db);
    } catch (...) {
        sqlite3_close(db);
        throw;
    }
    return db;
}

}  // namespace

SqliteWarehouse::SqliteWarehouse(std::string path) : path_(std::move(path)) {
    std::error_code ec;
    on_disk_ = std::filesystem::exists(path_, ec);
    db_ = open_database(on_disk_ ? path_ : ":memory:", path_);
}

void SqliteWarehouse::ensure_on_disk() {
    if (on_disk_) return;
    sqlite3* file = open_database(path_, path_);
    sqlite3_close(db_);
    db_ = file;
    on_disk_ = true;
}

SqliteWarehouse::~SqliteWarehouse() {
    sqlite3_close(db_);
}

std::optional<TableSchema> SqliteWarehouse::describe_table(const std::string& table) {
    return read_table_schema(db_, table);
}

std::unique_ptr<Transaction> SqliteWarehouse::begin() {
    if (in_transaction_)
        throw BackendError("SQLite: a transaction is already open on " + describe());
    ensure_on_disk();
    return std::make_unique<SqliteTransaction>(*this);
}

std::optional<LedgerEntry> SqliteWarehouse::ledger_lookup(const std::string& bucket,
                                                          const std::string& key) {
    return find_ledger_entry(db_, bucket, key);
}

std::set<std::string> SqliteWarehouse::ledger_keys(const std::string& bucket,
                                                   const std::string& prefix) {
    return ledger_keys_with_prefix(db_, bucket, prefix);
}

void SqliteWarehouse::run_script(const std::string& sql, const RowCallback& on_row) {
    if (!on_disk_ && script_writes(db_, sql)) ensure_on_disk();
    run_redshift_sql(db_, sql,
                     in_transaction_ ? ScriptContext::Transaction : ScriptContext::Autocommit,
                     &on_row);
}

void SqliteWarehouse::stream_query(const std::string& query, QueryRowSink& sink) {
    stream_redshift_query(db_, query, sink);
}

}  // namespace gdx::warehouse::sqlite
