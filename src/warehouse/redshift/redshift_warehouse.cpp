#include "warehouse/redshift/redshift_warehouse.hpp"

#include <spdlog/spdlog.h>

#include "warehouse/postgres/batch_text.hpp"
#include "warehouse/sql/statements.hpp"

namespace gdx::warehouse {

RedshiftWarehouse::RedshiftWarehouse(const std::string& uri, const WarehouseOptions& options)
    : PostgresWarehouse(pg::connection_settings(uri), options) {}

std::string RedshiftWarehouse::describe_table_sql() const {
    return redshift::describe_table_sql();
}

std::vector<std::string> RedshiftWarehouse::prepare_script(const std::string& sql) const {
    return sql::split_statements(sql);
}

void RedshiftWarehouse::lock_object(const std::string&, const std::string&) {
    // Redshift has no advisory locks: serialise every claim on the ledger table itself.
    connection().exec("LOCK public.gdx_ledger");
}

uint64_t RedshiftWarehouse::copy_batch(const pg::QualifiedName& table, const BatchRef& batch) {
    if (!batch.store) throw BackendError("load of " + batch.key + ": no object store given");
    std::vector<std::string> columns;
    {
        auto reader = batch.store->get(batch.bucket, batch.key);
        std::string head;
        columns = pg::read_batch_header(*reader, head);
    }
    redshift::CopyAuth auth = redshift::copy_auth_from_environment(options().iam_role);
    std::vector<std::string> secrets = connection().secrets();
    for (std::string& s : auth.secrets()) secrets.push_back(std::move(s));

    std::string manifest_key = batch.key + ".manifest";
    batch.store->put_bytes(batch.bucket, manifest_key,
                           redshift::manifest_json(batch.bucket, batch.key));
    std::string sql = redshift::copy_sql(table, columns, batch.bucket, manifest_key, auth);
    spdlog::debug("Redshift: {}", pg::redact(sql, secrets));
    try {
        connection().exec(sql);
    } catch (const pg::SqlError& e) {
        if (e.sqlstate.rfind("08", 0) == 0) throw;
        // The transaction is aborted and Redshift has no savepoints: end it to read the
        // load-error views (the caller's Transaction then only rolls back).
        try {
            connection().exec("ROLLBACK");
        } catch (const std::exception&) {
        }
        for (const std::string& q : redshift::load_error_queries()) {
            try {
                pg::Result r = connection().exec(q);
                if (PQntuples(r.get()) == 0) continue;
                uint64_t line = std::strtoull(PQgetvalue(r.get(), 0, 0), nullptr, 10);
                std::string reason = PQgetvalue(r.get(), 0, 2);
                throw LoadError(pg::redact(e.primary + ": " + reason, secrets), line,
                                PQgetvalue(r.get(), 0, 1), PQgetvalue(r.get(), 0, 3));
            } catch (const pg::SqlError&) {
                // view not available on this cluster kind: try the next one
            }
        }
        throw LoadError(pg::redact(e.what(), secrets));
    }
    pg::Result count = connection().exec("SELECT pg_last_copy_count()");
    return std::strtoull(PQgetvalue(count.get(), 0, 0), nullptr, 10);
}

void RedshiftWarehouse::run_unload(const std::string& statement,
                                   const std::vector<std::string>& secrets) {
    std::vector<std::string> all = connection().secrets();
    all.insert(all.end(), secrets.begin(), secrets.end());
    try {
        connection().exec(statement);
    } catch (const pg::SqlError& e) {
        throw BackendError(pg::redact(e.what(), all), e.transient());
    }
}

}  // namespace gdx::warehouse
