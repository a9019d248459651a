#pragma once
// The embedded warehouse: one SQLite database file in WAL mode holding the tables (schema
// names emulated, see schema_names.hpp), the ledger and the schema registry.
#include <sqlite3.h>

#include <string>

#include "warehouse/warehouse.hpp"

namespace gdx::warehouse::sqlite {

class SqliteWarehouse : public Warehouse {
public:
    // Opens the database file. A file that does not exist yet is created only when something
    // is written (a transaction, or a script with a statement that writes); until then reads
    // see an empty database, so a query, a dry run or a config error leaves no file behind.
    // Its directory must exist: it is never created. Concurrent gdx processes wait for each
    // other (busy timeout) instead of failing.
    explicit SqliteWarehouse(std::string path);
    ~SqliteWarehouse() override;
    SqliteWarehouse(const SqliteWarehouse&) = delete;
    SqliteWarehouse& operator=(const SqliteWarehouse&) = delete;

    std::optional<TableSchema> describe_table(const std::string& table) override;
    // BEGIN IMMEDIATE: takes the write lock now, so claim() serialises concurrent runs.
    std::unique_ptr<Transaction> begin() override;
    bool loads_while_writing() const override { return true; }
    std::optional<LedgerEntry> ledger_lookup(const std::string& bucket,
                                             const std::string& key) override;
    std::set<std::string> ledger_keys(const std::string& bucket,
                                      const std::string& prefix) override;
    void run_script(const std::string& sql, const RowCallback& on_row) override;
    void stream_query(const std::string& query, QueryRowSink& sink) override;
    std::string describe() const override { return "sqlite:" + path_; }

    // Whether the database file exists (false until the first write of a new one).
    bool on_disk() const { return on_disk_; }

private:
    friend class SqliteTransaction;
    // Replaces the empty in-memory stand-in by the file, creating it.
    void ensure_on_disk();

    std::string path_;
    sqlite3* db_ = nullptr;
    bool on_disk_ = false;
    bool in_transaction_ = false;
};

}  // namespace gdx::warehouse::sqlite
