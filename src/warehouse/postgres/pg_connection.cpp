#include "warehouse/postgres/pg_connection.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "util/env.hpp"
#include "util/redact.hpp"

namespace gdx::warehouse::pg {

namespace {

// OIDs from catalog/pg_type.h (stable across PostgreSQL and Redshift).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

// The password part of scheme://user:password@host…, if any (for redaction before parsing).
std::string uri_password(const std::string& uri) {
    size_t start = uri.find("://");
    if (start == std::string::npos) return {};
    start += 3;
    size_t at = uri.rfind('@');
    if (at == std::string::npos || at < start) return {};
    size_t colon = uri.find(':', start);
    if (colon == std::string::npos || colon > at) return {};
    return uri.substr(colon + 1, at - colon - 1);
}

std::string param(const ConnectionSettings& s, const char* key) {
    for (const auto& [k, v] : s.params) {
        if (k == key) return v;
    }
    return {};
}

bool has(const ConnectionSettings& s, const char* key) {
    return !param(s, key).empty();
}

}  // namespace

std::string redact(std::string text, const std::vector<std::string>& secrets) {
    for (const std::string& secret : secrets) {
        if (secret.empty()) continue;
        for (size_t pos = text.find(secret); pos != std::string::npos;
             pos = text.find(secret, pos + util::kRedacted.size())) {
            text.replace(pos, secret.size(), util::kRedacted);
        }
    }
    return util::redact(text);
}

ConnectionSettings connection_settings(const std::string& uri) {
    ConnectionSettings s;
    std::string libpq_uri = uri;
    bool redshift = false;
    if (uri.rfind("redshift://", 0) == 0) {
        redshift = true;
        libpq_uri = "postgresql://" + uri.substr(std::strlen("redshift://"));
    }
    if (std::string pw = uri_password(uri); !pw.empty()) s.secrets.push_back(pw);

    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(libpq_uri.c_str(), &err);
    if (!options) {
        std::string why = err ? err : "out of memory";
        PQfreemem(err);
        while (!why.empty() && why.back() == '\n') why.pop_back();
        throw ConfigError(
            redact(fmt::format("malformed warehouse URI '{}': {}", uri, why), s.secrets));
    }
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (o->val && *o->val) s.params.emplace_back(o->keyword, o->val);
    }
    PQconninfoFree(options);

    // The originals read pguser/pgpass (docs/config-reference.md); the URI wins when it names them.
    if (!has(s, "user")) {
        if (auto u = util::env_string("pguser"); !u.empty()) s.params.emplace_back("user", u);
    }
    if (!has(s, "password")) {
        if (auto p = util::env_string("pgpass"); !p.empty()) s.params.emplace_back("password", p);
    }
    if (std::string pw = param(s, "password"); !pw.empty()) s.secrets.push_back(pw);
    if (auto p = util::env_string("PGPASSWORD"); !p.empty()) s.secrets.push_back(p);
    if (redshift) {
        if (!has(s, "port") && util::env_string("PGPORT").empty())
            s.params.emplace_back("port", "5439");
        if (!has(s, "sslmode") && util::env_string("PGSSLMODE").empty())
            s.params.emplace_back("sslmode", "require");
    }
    if (!has(s, "client_encoding")) s.params.emplace_back("client_encoding", "UTF8");
    if (!has(s, "application_name") && util::env_string("PGAPPNAME").empty()) {
        s.params.emplace_back("application_name", "gdx");
    }

    std::string user = param(s, "user");
    std::string host = param(s, "host");
    std::string port = param(s, "port");
    std::string db = param(s, "dbname");
    s.description = fmt::format("{}://{}{}{}{}/{}", redshift ? "redshift" : "postgresql", user,
                                user.empty() ? "" : "@", host, port.empty() ? "" : ":" + port, db);
    s.description = redact(s.description, s.secrets);
    for (const std::string& secret : s.secrets) util::add_secret(secret);  // for every log line
    return s;
}

Connection::Connection(const ConnectionSettings& settings) : settings_(settings) {
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : settings_.params) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn_ = PQconnectdbParams(keys.data(), values.data(), 0);
    if (!conn_) throw BackendError("cannot connect to the warehouse: out of memory");
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string why = PQerrorMessage(conn_);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        std::string message = fmt::format(
            "cannot connect to the warehouse (host {}, port {}, database {}, user {}): {}",
            PQhost(conn_) ? PQhost(conn_) : "?", PQport(conn_) ? PQport(conn_) : "?",
            PQdb(conn_) ? PQdb(conn_) : "?", PQuser(conn_) ? PQuser(conn_) : "?", why);
        PQfinish(conn_);
        conn_ = nullptr;
        throw BackendError(redact(message, settings_.secrets), true);
    }
    // Server notices ("relation … already exists, skipping") go to the debug log, not stderr.
    PQsetNoticeProcessor(
        conn_,
        [](void*, const char* message) {
            std::string m = message;
            while (!m.empty() && m.back() == '\n') m.pop_back();
            spdlog::debug("server: {}", m);
        },
        nullptr);
}

Connection::~Connection() {
    if (conn_) PQfinish(conn_);
}

SqlError Connection::error_from(const PGresult* result) {
    auto field = [&](int code) -> std::string {
        const char* v = result ? PQresultErrorField(result, code) : nullptr;
        return v ? v : "";
    };
    std::string primary = field(PG_DIAG_MESSAGE_PRIMARY);
    if (primary.empty()) {
        primary = result ? PQresultErrorMessage(result) : "";
        if (primary.empty()) primary = PQerrorMessage(conn_);
        while (!primary.empty() && primary.back() == '\n') primary.pop_back();
    }
    std::string detail = field(PG_DIAG_MESSAGE_DETAIL);
    std::string context = field(PG_DIAG_CONTEXT);
    std::string message = primary;
    if (!detail.empty()) message += " (" + detail + ")";
    if (!context.empty()) message += " [" + context + "]";
    // libpq's own words ("server closed the connection unexpectedly") name no server.
    if (PQstatus(conn_) == CONNECTION_BAD)
        message = "lost the connection to " + settings_.description + ": " + message;
    return SqlError(redact(message, settings_.secrets), field(PG_DIAG_SQLSTATE),
                    redact(primary, settings_.secrets), redact(context, settings_.secrets));
}

void Connection::check(const Result& result, ExecStatusType expected) {
    if (!result || PQresultStatus(result.get()) != expected) {
        if (result && PQresultStatus(result.get()) == PGRES_TUPLES_OK &&
            expected == PGRES_COMMAND_OK) {
            return;
        }
        throw error_from(result.get());
    }
}

Result Connection::exec(const std::string& sql) {
    Result r(PQexec(conn_, sql.c_str()));
    ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw error_from(r.get());
    return r;
}

Result Connection::exec_params(const std::string& sql,
                               const std::vector<std::optional<std::string>>& params) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    Result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0));
    ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw error_from(r.get());
    return r;
}

Value cell_value(const PGresult* result, int row, int column) {
    if (PQgetisnull(result, row, column)) return std::monostate{};
    const char* text = PQgetvalue(result, row, column);
    size_t len = static_cast<size_t>(PQgetlength(result, row, column));
    switch (PQftype(result, column)) {
        case kInt2:
        case kInt4:
        case kInt8:
        case kOid: {
            int64_t v = 0;
            auto [end, ec] = std::from_chars(text, text + len, v);
            if (ec == std::errc() && end == text + len) return v;
            break;
        }
        case kFloat4:
        case kFloat8:
        case kNumeric:
            return std::strtod(text, nullptr);
        case kBool:
            return static_cast<int64_t>(text[0] == 't' ? 1 : 0);
        default:
            break;
    }
    return std::string(text, len);
}

void for_each_row(const PGresult* result, const RowCallback& on_row) {
    if (!on_row || PQresultStatus(result) != PGRES_TUPLES_OK) return;
    int columns = PQnfields(result);
    std::vector<std::string> names;
    for (int c = 0; c < columns; ++c) names.emplace_back(PQfname(result, c));
    ResultRow row;
    row.names = &names;
    for (int r = 0; r < PQntuples(result); ++r) {
        row.values.clear();
        for (int c = 0; c < columns; ++c) row.values.push_back(cell_value(result, r, c));
        row.first = r == 0;
        on_row(row);
    }
}

}  // namespace gdx::warehouse::pg
