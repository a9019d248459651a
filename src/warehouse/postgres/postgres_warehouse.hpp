#pragma once
// The PostgreSQL warehouse (docs/semantics.md#backends): libpq, batches streamed with
// COPY … FROM STDIN inside the transaction, Replace loads as a scratch-table swap that keeps
// owner and grants, exactly-once ledger serialised with advisory locks. RedshiftWarehouse
// reuses all of it and overrides the hooks below.
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "warehouse/postgres/identifiers.hpp"
#include "warehouse/postgres/load_sql.hpp"
#include "warehouse/postgres/pg_connection.hpp"
#include "warehouse/sql/translate.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::warehouse {

class PgTransaction;

class PostgresWarehouse : public Warehouse {
public:
    // uri: postgresql://… or postgres://… (see pg::connection_settings). Connects now;
    // throws ConfigError for a malformed URI, BackendError when unreachable.
    explicit PostgresWarehouse(const std::string& uri, const WarehouseOptions& options = {});
    ~PostgresWarehouse() override;

    std::optional<TableSchema> describe_table(const std::string& table) override;
    std::unique_ptr<Transaction> begin() override;
    bool loads_while_writing() const override { return true; }
    std::optional<LedgerEntry> ledger_lookup(const std::string& bucket,
                                             const std::string& key) override;
    std::set<std::string> ledger_keys(const std::string& bucket,
                                      const std::string& prefix) override;
    // Each statement runs on its own (autocommit) unless the script opens a transaction.
    // GRANT/REVOKE/ALTER … OWNER naming a role or table that does not exist is skipped with
    // a warning; any other error throws (SqlError, a BackendError, with the server's message).
    void run_script(const std::string& sql, const RowCallback& on_row) override;
    // COPY (query) TO STDOUT in a read-only transaction (UTC, ISO dates), decoded row by row.
    void stream_query(const std::string& query, QueryRowSink& sink) override;
    std::string describe() const override;

    // The catalog query behind describe_table ($1 = table, $2 = schema or '').
    virtual std::string describe_table_sql() const;

protected:
    friend class PgTransaction;
    PostgresWarehouse(pg::ConnectionSettings settings, const WarehouseOptions& options);

    pg::Connection& connection() { return *conn_; }
    const WarehouseOptions& options() const { return options_; }

    // Statements of a script, ready for this backend.
    virtual sql::Translation prepare_script(const std::string& sql) const;
    // Serialises concurrent claims of one object until the transaction ends.
    virtual void lock_object(const std::string& bucket, const std::string& key);
    virtual bool has_savepoints() const { return true; }
    virtual pg::LikeFlavour like_flavour() const { return pg::LikeFlavour::PostgreSQL; }
    // Loads the batch into `table` (inside the open transaction); returns the row count.
    virtual uint64_t copy_batch(const pg::QualifiedName& table, const BatchRef& batch);

    void ensure_ledger();
    std::optional<LedgerEntry> read_ledger(const std::string& bucket, const std::string& key);
    // Runs one statement; skips (with a warning) GRANT/REVOKE/OWNER statements naming an
    // absent role or table, when the session allows it (not inside a transaction without
    // savepoints).
    void run_statement(const std::string& statement, const RowCallback& on_row);
    // Maps a failed COPY … FROM STDIN to a LoadError pointing into the batch.
    [[noreturn]] void throw_copy_error(const pg::SqlError& error, const BatchRef& batch,
                                       const std::vector<std::string>& columns);

private:
    std::unique_ptr<pg::Connection> conn_;
    WarehouseOptions options_;
    bool ledger_ready_ = false;
    bool in_transaction_ = false;
};

}  // namespace gdx::warehouse
