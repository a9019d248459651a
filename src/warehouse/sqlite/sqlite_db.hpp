#pragma once
// Thin RAII over the SQLite C API: connections, prepared statements, errors as exceptions.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace gdx::warehouse::sqlite {

// What a failing result code means for the run: the one place SQLite codes are interpreted.
// Constraint, type and size violations are the object's data; SQL errors (no such table,
// syntax) and permissions are the target's; busy/locked and a changed schema are transient;
// I/O, corruption, a full disk and anything unknown stop the run.
ErrorKind classify_result_code(int rc);

// Throws gdx::BackendError of classify_result_code(rc) naming `what`.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, std::string_view what);

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    sqlite3_stmt* get() const { return stmt_; }
    // true while a row is available; false when done. Throws on error.
    bool step();
    void reset();

    void bind_text(int index, std::string_view text);  // SQLITE_STATIC: text must outlive step()
    void bind_int(int index, int64_t value);
    void bind_null(int index);

    bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
    int64_t column_int(int column) const { return sqlite3_column_int64(stmt_, column); }
    std::string column_text(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// Runs SQL without results (may hold several statements). Throws on error.
void exec(sqlite3* db, const std::string& sql);

}  // namespace gdx::warehouse::sqlite
