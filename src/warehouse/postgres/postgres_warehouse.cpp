#include "warehouse/postgres/postgres_warehouse.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "warehouse/postgres/batch_text.hpp"
#include "warehouse/postgres/pg_query_stream.hpp"
#include "warehouse/postgres/postgres_transaction.hpp"
#include "warehouse/sql/statements.hpp"
#include "warehouse/sql/tokenizer.hpp"
#include "warehouse/sql/translate.hpp"

namespace gdx::warehouse {

namespace {

constexpr size_t kCopyChunk = 1 << 20;

// GRANT, REVOKE and ALTER … OWNER TO: the statements whose absent role/table is skippable.
bool is_privilege_statement(const std::string& statement) {
    std::vector<sql::Token> tokens = sql::tokenize(statement);
    std::vector<const sql::Token*> sig;
    for (const auto& t : tokens) {
        if (t.significant()) sig.push_back(&t);
    }
    if (sig.empty()) return false;
    if (sig[0]->is("GRANT") || sig[0]->is("REVOKE")) return true;
    if (!sig[0]->is("ALTER")) return false;
    for (size_t i = 1; i + 1 < sig.size(); ++i) {
        if (sig[i]->is("OWNER") && sig[i + 1]->is("TO")) return true;
    }
    return false;
}

std::string text_at(const PGresult* r, int row, int col) {
    return PQgetisnull(r, row, col) ? std::string() : std::string(PQgetvalue(r, row, col));
}

}  // namespace

PostgresWarehouse::PostgresWarehouse(const std::string& uri, const WarehouseOptions& options)
    : PostgresWarehouse(pg::connection_settings(uri), options) {}

PostgresWarehouse::PostgresWarehouse(pg::ConnectionSettings settings,
                                     const WarehouseOptions& options)
    : conn_(std::make_unique<pg::Connection>(settings)), options_(options) {}

PostgresWarehouse::~PostgresWarehouse() = default;

std::string PostgresWarehouse::describe() const {
    return conn_->description();
}

std::string PostgresWarehouse::describe_table_sql() const {
    return "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
           "a.attidentity <> '' "
           "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
           "AND c.relname = $1 AND (n.nspname = $2 OR ($2 = '' AND pg_table_is_visible(c.oid))) "
           "ORDER BY a.attnum";
}

std::optional<TableSchema> PostgresWarehouse::describe_table(const std::string& table) {
    pg::QualifiedName name = pg::parse_table_name(table);
    pg::Result r = conn_->exec_params(describe_table_sql(), {name.name, name.schema});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    TableSchema schema;
    schema.name = table;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        TableColumn column;
        column.name = text_at(r.get(), i, 0);
        std::string declared = text_at(r.get(), i, 1);
        try {
            column.type = types::parse_declared_type(declared);
        } catch (const ConfigError&) {
            column.type = ColumnType{};
            column.type.kind = TypeKind::Other;  // e.g. jsonb, uuid: passed through unchecked
        }
        column.type.declared = declared;
        column.type.not_null = text_at(r.get(), i, 2) == "t";
        column.type.identity = text_at(r.get(), i, 3) == "t";
        schema.columns.push_back(std::move(column));
    }
    return schema;
}

void PostgresWarehouse::ensure_ledger() {
    if (ledger_ready_) return;
    try {
        conn_->exec(pg::ledger_ddl());
    } catch (const pg::SqlError& e) {
        // Two first runs at once: the other one is creating it. Once it has, IF NOT EXISTS is a
        // no-op; anything else of that name (a type, say) fails again, with its own message.
        if (!pg::is_concurrent_create(e.sqlstate)) throw;
        conn_->exec(pg::ledger_ddl());
    }
    ledger_ready_ = true;
}

std::optional<LedgerEntry> PostgresWarehouse::read_ledger(const std::string& bucket,
                                                          const std::string& key) {
    pg::Result r = conn_->exec_params(
        "SELECT job, config, bucket, \"key\", etag, \"size\", \"rows\", status, batch_key, "
        "loaded_at FROM public.gdx_ledger WHERE bucket = $1 AND \"key\" = $2",
        {bucket, key});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    const PGresult* p = r.get();
    LedgerEntry e;
    e.job = text_at(p, 0, 0);
    e.config = text_at(p, 0, 1);
    e.bucket = text_at(p, 0, 2);
    e.key = text_at(p, 0, 3);
    e.etag = text_at(p, 0, 4);
    e.size = std::strtoull(text_at(p, 0, 5).c_str(), nullptr, 10);
    e.rows = std::strtoull(text_at(p, 0, 6).c_str(), nullptr, 10);
    e.status = text_at(p, 0, 7);
    e.batch_key = text_at(p, 0, 8);
    e.loaded_at = text_at(p, 0, 9);
    return e;
}

std::optional<LedgerEntry> PostgresWarehouse::ledger_lookup(const std::string& bucket,
                                                            const std::string& key) {
    ensure_ledger();
    return read_ledger(bucket, key);
}

std::set<std::string> PostgresWarehouse::ledger_keys(const std::string& bucket,
                                                     const std::string& prefix) {
    ensure_ledger();
    // LIKE with an explicit escape character reads the same on PostgreSQL and Redshift; the
    // exact prefix test below does not depend on the server's collation or case rules.
    std::string pattern;
    for (char c : prefix) {
        if (c == '!' || c == '%' || c == '_') pattern += '!';
        pattern += c;
    }
    pattern += '%';
    pg::Result r = conn_->exec_params(
        "SELECT \"key\" FROM public.gdx_ledger WHERE bucket = $1 AND \"key\" LIKE $2 ESCAPE '!'",
        {bucket, pattern});
    std::set<std::string> keys;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        std::string key = text_at(r.get(), i, 0);
        if (key.starts_with(prefix)) keys.insert(std::move(key));
    }
    return keys;
}

std::unique_ptr<Transaction> PostgresWarehouse::begin() {
    if (in_transaction_) throw BackendError("a transaction is already open on " + describe());
    ensure_ledger();
    conn_->exec("BEGIN");
    in_transaction_ = true;
    return std::make_unique<PgTransaction>(*this);
}

sql::Translation PostgresWarehouse::prepare_script(const std::string& script) const {
    sql::Translation t = sql::translate_redshift(script, sql::Dialect::PostgreSQL);
    for (const std::string& note : t.notes) spdlog::info("SQL translated for PostgreSQL: {}", note);
    return t;
}

void PostgresWarehouse::run_script(const std::string& script, const RowCallback& on_row) {
    const sql::Translation t = prepare_script(script);
    for (size_t i = 0; i < t.statements.size(); ++i) {
        try {
            run_statement(t.statements[i], on_row);
        } catch (const BackendError& e) {
            throw ScriptError(e, t.lines[i]);
        }
    }
}

void PostgresWarehouse::stream_query(const std::string& query, QueryRowSink& sink) {
    std::vector<std::string> statements = prepare_script(query).statements;
    if (statements.size() != 1)
        throw BackendError("the export query must be exactly one statement, found " +
                           std::to_string(statements.size()));
    pg::stream_copy_query(*conn_, statements[0], sink);
}

void PostgresWarehouse::run_statement(const std::string& statement, const RowCallback& on_row) {
    bool privilege = is_privilege_statement(statement);
    PGTransactionStatusType status = PQtransactionStatus(conn_->raw());
    bool in_tx = status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
    bool savepoint = privilege && in_tx && has_savepoints();
    if (savepoint) conn_->exec("SAVEPOINT gdx_statement");
    try {
        pg::Result r = conn_->exec(statement);
        if (savepoint) conn_->exec("RELEASE SAVEPOINT gdx_statement");
        pg::for_each_row(r.get(), on_row);
    } catch (const pg::SqlError& e) {
        bool absent = pg::is_absent_object(e.sqlstate);
        if (!privilege || !absent || (in_tx && !savepoint)) throw;
        if (savepoint) {
            conn_->exec("ROLLBACK TO SAVEPOINT gdx_statement");
            conn_->exec("RELEASE SAVEPOINT gdx_statement");
        }
        spdlog::warn("skipped `{}`: {}", sql::one_line(statement), e.primary);
    }
}

void PostgresWarehouse::lock_object(const std::string& bucket, const std::string& key) {
    conn_->exec_params("SELECT pg_advisory_xact_lock($1::bigint)",
                       {std::to_string(pg::object_lock_key(bucket, key))});
}

uint64_t PostgresWarehouse::copy_batch(const pg::QualifiedName& table, const BatchRef& batch) {
    if (!batch.store) throw BackendError("load of " + batch.key + ": no object store given");
    BatchInput input(batch);
    std::string chunk;
    std::vector<std::string> columns = pg::read_batch_header(input, chunk);
    PGconn* conn = conn_->raw();

    pg::Result started(PQexec(conn, pg::copy_from_stdin_sql(table, columns).c_str()));
    if (!started || PQresultStatus(started.get()) != PGRES_COPY_IN) {
        pg::SqlError e = conn_->error_from(started.get());
        if (e.kind() == ErrorKind::Data) throw_copy_error(e, batch, columns);  // unknown column
        throw e;
    }
    auto send = [&](const std::string& bytes) {
        if (!bytes.empty() &&
            PQputCopyData(conn, bytes.data(), static_cast<int>(bytes.size())) != 1) {
            throw BackendError("COPY to " + describe() + " failed: " + PQerrorMessage(conn));
        }
    };
    try {
        send(chunk);
        chunk.resize(kCopyChunk);
        for (;;) {
            chunk.resize(kCopyChunk);
            size_t n = input.read(chunk.data(), chunk.size());
            if (n == 0) break;
            chunk.resize(n);
            send(chunk);
        }
    } catch (const std::exception& e) {
        // End the COPY so the connection stays usable; the transaction is then aborted.
        PQputCopyEnd(conn, "batch stream failed");
        while (PGresult* r = PQgetResult(conn)) PQclear(r);
        throw;
    }
    if (PQputCopyEnd(conn, nullptr) != 1) {
        throw BackendError("COPY to " + describe() + " failed: " + PQerrorMessage(conn));
    }
    pg::Result done(PQgetResult(conn));
    while (PGresult* r = PQgetResult(conn)) PQclear(r);
    if (!done || PQresultStatus(done.get()) != PGRES_COMMAND_OK) {
        throw_copy_error(conn_->error_from(done.get()), batch, columns);
    }
    return std::strtoull(PQcmdTuples(done.get()), nullptr, 10);
}

void PostgresWarehouse::throw_copy_error(const pg::SqlError& error, const BatchRef& batch,
                                         const std::vector<std::string>& columns) {
    // Only the object's data makes a LoadError; the target's or the server's trouble stops the run.
    if (error.kind() != ErrorKind::Data) throw error;

    pg::CopyContext where = pg::parse_copy_context(error.context);
    uint64_t line = where.line;
    std::string value = where.value.value_or("");
    if (where.line > 0) {
        // Re-read the batch for the exact physical line and the unshortened value.
        try {
            auto reader = batch.store->get(batch.bucket, batch.key);
            if (auto record = pg::find_batch_record(*reader, where.line)) {
                line = record->physical_line;
                for (size_t i = 0; i < columns.size() && i < record->fields.size(); ++i) {
                    if (columns[i] == where.column) value = record->fields[i].value_or("\\N");
                }
            }
        } catch (const std::exception& e) {
            spdlog::warn("could not re-read batch {} to locate the error: {}", batch.key, e.what());
        }
    }
    LoadError rejected(error.what(), line, where.column, value);
    rejected.batch_record = where.line;  // COPY counts records, not physical lines
    throw rejected;
}

}  // namespace gdx::warehouse
