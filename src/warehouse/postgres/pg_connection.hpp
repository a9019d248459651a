#pragma once
// A thin RAII layer over libpq: connection settings from a URI + the originals' environment,
// results, and server errors as typed exceptions with every secret removed.
#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/error.hpp"
#include "warehouse/postgres/sqlstate.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::warehouse::pg {

// libpq keyword/value pairs (handed to PQconnectdbParams as arrays — never a DSN string that
// could be mis-parsed, docs/redshift.md) plus what must never be shown.
struct ConnectionSettings {
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string> secrets;  // password (and anything else to redact)
    std::string description;           // e.g. "postgresql://loader@db:5432/snowplow"
};

// postgresql://, postgres:// or redshift:// (→ port 5439 and sslmode=require unless given).
// User and password not in the URI come from the originals' `pguser`/`pgpass`, then from
// libpq's own PG* variables. Throws ConfigError for a malformed URI.
ConnectionSettings connection_settings(const std::string& uri);

// Replaces every occurrence of each non-empty secret by ******** (then util::redact).
std::string redact(std::string text, const std::vector<std::string>& secrets);

// A statement the server rejected; its kind() is classify_sqlstate(sqlstate).
class SqlError : public BackendError {
public:
    SqlError(const std::string& message, std::string sqlstate, std::string primary,
             std::string context)
        : BackendError(message, classify_sqlstate(sqlstate)),
          sqlstate(std::move(sqlstate)),
          primary(std::move(primary)),
          context(std::move(context)) {}
    std::string sqlstate;
    std::string primary;  // the server's message without "ERROR:" and context
    std::string context;  // e.g. COPY t, line 3, column c: "x"
};

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class Connection {
public:
    // Throws BackendError naming host, port, database and user (never the password).
    explicit Connection(const ConnectionSettings& settings);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    PGconn* raw() { return conn_; }
    const std::string& description() const { return settings_.description; }
    const std::vector<std::string>& secrets() const { return settings_.secrets; }

    // Runs one statement (or several, simple protocol); throws SqlError on failure.
    Result exec(const std::string& sql);
    // Runs one statement with text parameters (nullopt = NULL).
    Result exec_params(const std::string& sql,
                       const std::vector<std::optional<std::string>>& params);
    // Throws SqlError when `result` is an error (used after COPY).
    void check(const Result& result, ExecStatusType expected);
    // The error as an exception (message redacted), for the caller to throw.
    SqlError error_from(const PGresult* result);

private:
    ConnectionSettings settings_;
    PGconn* conn_ = nullptr;
};

// The typed value of one result cell: int2/4/8 and oid → int64; float4/8 and numeric →
// double; bool → int64 1/0 (like SQLite); NULL → monostate; everything else → text.
Value cell_value(const PGresult* result, int row, int column);

// Calls on_row for every row of a tuples result.
void for_each_row(const PGresult* result, const RowCallback& on_row);

}  // namespace gdx::warehouse::pg
