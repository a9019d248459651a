#include "warehouse/redshift/redshift_warehouse.hpp"

#include <spdlog/spdlog.h>

#include "util/env.hpp"

#include "warehouse/postgres/batch_text.hpp"
#include "warehouse/sql/statements.hpp"

namespace gdx::warehouse {

RedshiftWarehouse::RedshiftWarehouse(const std::string& uri, const WarehouseOptions& options)
    : PostgresWarehouse(pg::connection_settings(uri), options) {}

std::string RedshiftWarehouse::describe_table_sql() const {
    return redshift::describe_table_sql();
}

sql::Translation RedshiftWarehouse::prepare_script(const std::string& sql) const {
    sql::Translation t;  // Redshift runs its own dialect as written
    for (auto& statement : sql::split_script(sql)) {
        t.statements.push_back(std::move(statement.text));
        t.lines.push_back(statement.line);
    }
    return t;
}

void RedshiftWarehouse::lock_object(const std::string&, const std::string&) {
    // Redshift has no advisory locks: serialise every claim on the ledger table itself.
    connection().exec("LOCK public.gdx_ledger");
}

namespace {
// zstd's fastest regular level: part writing keeps pace with the transform on one core.
constexpr int kPartZstdLevel = 1;

std::string batch_id(const std::string& bucket, const std::string& key) {
    return bucket + "/" + key;
}
}  // namespace

uint64_t RedshiftWarehouse::slice_count() {
    if (slices_ > 0) return slices_;
    const long configured = util::env_integer("GDX_REDSHIFT_SLICES", 0, 0, 1 << 16);
    if (configured > 0) {
        slices_ = static_cast<uint64_t>(configured);
    } else {
        pg::Result r = connection().exec(redshift::slice_count_sql());
        slices_ = std::max<uint64_t>(std::strtoull(PQgetvalue(r.get(), 0, 0), nullptr, 10), 1);
    }
    spdlog::info("Redshift: batches are loaded in parts for {} slices", slices_);
    return slices_;
}

std::unique_ptr<store::ObjectWriter> RedshiftWarehouse::open_batch(store::ObjectStore& store,
                                                                   const std::string& bucket,
                                                                   const std::string& key,
                                                                   uint64_t expected_bytes) {
    const redshift::PartPlan plan = redshift::plan_parts(expected_bytes, slice_count());
    {
        std::lock_guard lock(batches_mutex_);
        batches_.erase(batch_id(bucket, key));  // a load must not find a previous attempt's
    }
    return std::make_unique<redshift::PartedBatchWriter>(
        store, bucket, key, plan, kPartZstdLevel, [this, bucket, key](redshift::BatchLayout l) {
            std::lock_guard lock(batches_mutex_);
            batches_[batch_id(bucket, key)] = std::move(l);
        });
}

uint64_t RedshiftWarehouse::copy_batch(const pg::QualifiedName& table, const BatchRef& batch) {
    if (!batch.store) throw BackendError("load of " + batch.key + ": no object store given");
    std::optional<redshift::BatchLayout> layout;
    {
        std::lock_guard lock(batches_mutex_);
        auto it = batches_.find(batch_id(batch.bucket, batch.key));
        if (it != batches_.end()) layout = it->second;
    }
    redshift::CopyAuth auth = redshift::copy_auth_from_environment(options().iam_role);
    std::vector<std::string> secrets = connection().secrets();
    for (std::string& s : auth.secrets()) secrets.push_back(std::move(s));

    std::string sql;
    if (layout) {
        // Written by open_batch: its parts and manifest are stored.
        sql = redshift::copy_sql(table, layout->columns, batch.bucket, layout->manifest_key, auth,
                                 redshift::CopyCompression::Zstd);
        spdlog::info("Redshift: loading {} in {} parts", batch.key, layout->parts.size());
    } else {
        // A batch stored as one object by the caller: a manifest naming just that object.
        std::vector<std::string> columns;
        {
            auto reader = batch.store->get(batch.bucket, batch.key);
            std::string head;
            columns = pg::read_batch_header(*reader, head);
        }
        std::string manifest_key = redshift::manifest_key(batch.key);
        batch.store->put_bytes(batch.bucket, manifest_key,
                               redshift::manifest_json(batch.bucket, batch.key));
        sql = redshift::copy_sql(table, columns, batch.bucket, manifest_key, auth);
    }
    spdlog::debug("Redshift: {}", pg::redact(sql, secrets));
    run_copy(sql, secrets, layout ? &*layout : nullptr);
    pg::Result count = connection().exec("SELECT pg_last_copy_count()");
    return std::strtoull(PQgetvalue(count.get(), 0, 0), nullptr, 10);
}

void RedshiftWarehouse::run_copy(const std::string& sql, const std::vector<std::string>& secrets,
                                 const redshift::BatchLayout* layout) {
    try {
        connection().exec(sql);
    } catch (const pg::SqlError& e) {
        // A rejected COPY is detailed in the load-error views; any other non-data error is not
        // the object's.
        if (e.kind() != ErrorKind::Data && !pg::is_redshift_copy_rejection(e.sqlstate)) throw;
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
                if (layout) {
                    // The line is counted within one part: name it, and give the batch line.
                    const std::string file = PQgetvalue(r.get(), 0, 5);
                    reason += " (in " + file + ", line " + std::to_string(line) + ")";
                    line = redshift::batch_line_of(*layout, file, line).value_or(0);
                }
                LoadError rejected(pg::redact(e.primary + ": " + reason, secrets), line,
                                   PQgetvalue(r.get(), 0, 1), PQgetvalue(r.get(), 0, 3));
                rejected.batch_record = line;  // parts are cut and counted by records
                throw rejected;
            } catch (const pg::SqlError&) {
                // view not available on this cluster kind: try the next one
            }
        }
        throw LoadError(pg::redact(e.what(), secrets));
    }
}

void RedshiftWarehouse::run_unload(const std::string& statement,
                                   const std::vector<std::string>& secrets) {
    std::vector<std::string> all = connection().secrets();
    all.insert(all.end(), secrets.begin(), secrets.end());
    try {
        connection().exec(statement);
    } catch (const pg::SqlError& e) {
        throw BackendError(pg::redact(e.what(), all), e.kind());
    }
}

}  // namespace gdx::warehouse
