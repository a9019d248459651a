#include "warehouse/sqlite/sqlite_db.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "util/error.hpp"
#include "warehouse/sql/statements.hpp"

namespace gdx::warehouse::sqlite {

ErrorKind classify_result_code(int rc) {
    static constexpr std::array<std::pair<int, ErrorKind>, 10> kPrimary = {{
        {SQLITE_CONSTRAINT, ErrorKind::Data},
        {SQLITE_MISMATCH, ErrorKind::Data},
        {SQLITE_TOOBIG, ErrorKind::Data},
        {SQLITE_RANGE, ErrorKind::Data},
        {SQLITE_ERROR, ErrorKind::Target},
        {SQLITE_AUTH, ErrorKind::Target},
        {SQLITE_PERM, ErrorKind::Target},
        {SQLITE_BUSY, ErrorKind::Transient},
        {SQLITE_LOCKED, ErrorKind::Transient},
        {SQLITE_SCHEMA, ErrorKind::Transient},
    }};
    for (const auto& [code, kind] : kPrimary)
        if ((rc & 0xff) == code) return kind;
    return ErrorKind::Infrastructure;
}

void throw_sqlite_error(sqlite3* db, int rc, std::string_view what) {
    const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw BackendError(fmt::format("SQLite: {}: {}", what, message), classify_result_code(rc));
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc =
        sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    // The statement is quoted cut short: a 10,000-column CREATE would fill the terminal.
    if (rc != SQLITE_OK)
        throw_sqlite_error(db, rc, fmt::format("preparing `{}`", shown_value(sql::one_line(sql))));
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_sqlite_error(db_, rc, sqlite3_sql(stmt_));
}

void Statement::reset() {
    sqlite3_reset(stmt_);
}

void Statement::bind_text(int index, std::string_view text) {
    // A null pointer would bind SQL NULL; an empty view must bind ''.
    sqlite3_bind_text(stmt_, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()),
                      SQLITE_STATIC);
}

void Statement::bind_int(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
}

void Statement::bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
}

std::string Statement::column_text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text == nullptr ? std::string() : std::string(text, sqlite3_column_bytes(stmt_, column));
}

void exec(sqlite3* db, const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        sqlite3_free(error);
        throw_sqlite_error(db, rc, sql);
    }
}

}  // namespace gdx::warehouse::sqlite
