#include "warehouse/postgres/postgres_transaction.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "util/crash_point.hpp"
#include "util/error.hpp"
#include "warehouse/sql/statements.hpp"

namespace gdx::warehouse {

namespace {

std::string utc_now_iso() {
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

}  // namespace

template <class Fn>
auto PgTransaction::guarded(Fn&& fn) -> decltype(fn()) {
    check_open();
    try {
        return fn();
    } catch (...) {
        failed_ = true;
        throw;
    }
}

PgTransaction::~PgTransaction() {
    if (!finished_) {
        try {
            w_.connection().exec("ROLLBACK");
        } catch (const std::exception& e) {
            spdlog::warn("ROLLBACK on {} failed: {}", w_.describe(), e.what());
        }
    }
    w_.in_transaction_ = false;
}

void PgTransaction::check_open() const {
    if (finished_) throw BackendError("the transaction on " + w_.describe() + " is finished");
    if (failed_) {
        throw BackendError("the transaction on " + w_.describe() +
                           " failed earlier and can only be rolled back");
    }
}

std::optional<LedgerEntry> PgTransaction::claim(const std::string& bucket, const std::string& key) {
    return guarded([&] {
        w_.lock_object(bucket, key);
        return w_.read_ledger(bucket, key);
    });
}

uint64_t PgTransaction::load(const std::string& table, const BatchRef& batch, LoadMode mode) {
    return guarded([&]() -> uint64_t {
        pg::QualifiedName target = pg::parse_table_name(table);
        if (mode == LoadMode::Append) return w_.copy_batch(target, batch);
        return replace(target, batch);
    });
}

uint64_t PgTransaction::replace(const pg::QualifiedName& given, const BatchRef& batch) {
    pg::Connection& c = w_.connection();
    // Owner and privileges from the catalog (the original hard-coded two roles,
    // docs/differences.md).
    pg::Result r = c.exec_params(
        "SELECT n.nspname, pg_get_userbyid(c.relowner), c.relacl FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
        "AND c.relname = $1 AND (n.nspname = $2 OR ($2 = '' AND pg_table_is_visible(c.oid)))",
        {given.name, given.schema});
    if (PQntuples(r.get()) == 0) {
        throw BackendError(fmt::format("table {} does not exist", given.sql()), ErrorKind::Target);
    }
    pg::QualifiedName target{PQgetvalue(r.get(), 0, 0), given.name};
    std::string owner = PQgetvalue(r.get(), 0, 1);
    std::vector<pg::Grant> grants;
    if (!PQgetisnull(r.get(), 0, 2)) {
        std::string unknown;
        grants = pg::parse_acl(PQgetvalue(r.get(), 0, 2), &unknown);
        if (!unknown.empty()) {
            spdlog::warn("privileges '{}' on {} are not re-granted after the swap", unknown,
                         target.sql());
        }
    }
    for (const std::string& s : pg::prepare_scratch_sql(target, w_.like_flavour())) c.exec(s);
    uint64_t rows = w_.copy_batch(pg::scratch_name(target), batch);
    for (const std::string& s : pg::swap_sql(target, owner, grants)) c.exec(s);
    return rows;
}

void PgTransaction::execute(const std::string& sql) {
    guarded([&] {
        const sql::Translation script = w_.prepare_script(sql);
        for (const std::string& statement : script.statements) {
            // The script runs inside this transaction: its own BEGIN/COMMIT are skipped.
            const auto control = sql::transaction_control(statement);
            if (control == sql::TransactionControl::Rollback) {
                throw BackendError("`" + statement +
                                   "` inside a job's transaction is not supported");
            }
            if (control != sql::TransactionControl::None) {
                spdlog::info("skipped `{}`: already inside the job's transaction", statement);
                continue;
            }
            try {
                w_.run_statement(statement, nullptr);
            } catch (const pg::SqlError& e) {
                if (e.kind() == ErrorKind::Data) throw LoadError(e.what());
                throw;
            }
            util::crash_point("mid_sql");  // a statement ran, the job's transaction is open
        }
    });
}

void PgTransaction::insert_row(const std::string& table,
                               const std::vector<std::optional<std::string>>& values) {
    guarded([&] {
        std::string params;
        for (size_t i = 0; i < values.size(); ++i)
            params += fmt::format("{}${}", i == 0 ? "" : ", ", i + 1);
        try {
            w_.connection().exec_params(fmt::format("INSERT INTO {} VALUES ({})",
                                                    pg::parse_table_name(table).sql(), params),
                                        values);
        } catch (const pg::SqlError& e) {
            if (e.kind() == ErrorKind::Data) throw LoadError(e.what());
            throw;
        }
    });
}

void PgTransaction::record(const LedgerEntry& entry) {
    guarded([&] {
        pg::Connection& c = w_.connection();
        // DELETE + INSERT rather than ON CONFLICT: Redshift has no upsert.
        c.exec_params("DELETE FROM public.gdx_ledger WHERE bucket = $1 AND \"key\" = $2",
                      {entry.bucket, entry.key});
        c.exec_params(
            "INSERT INTO public.gdx_ledger (job, config, bucket, \"key\", etag, \"size\", "
            "\"rows\", status, batch_key, loaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
            "$9, $10)",
            {entry.job, entry.config, entry.bucket, entry.key, entry.etag,
             std::to_string(entry.size), std::to_string(entry.rows), entry.status, entry.batch_key,
             utc_now_iso()});
    });
}

void PgTransaction::commit() {
    check_open();
    pg::Connection& c = w_.connection();
    if (PQtransactionStatus(c.raw()) != PQTRANS_INTRANS) {
        failed_ = true;
        throw BackendError("cannot commit on " + w_.describe() + ": the transaction was aborted");
    }
    pg::Result r = c.exec("COMMIT");
    finished_ = true;
    w_.in_transaction_ = false;
    // COMMIT of an aborted transaction reports ROLLBACK instead of failing.
    if (std::string(PQcmdStatus(r.get())) != "COMMIT") {
        throw BackendError("COMMIT on " + w_.describe() + " was rolled back");
    }
}

}  // namespace gdx::warehouse
