#pragma once
// Runs Redshift-dialect SQL on SQLite: translate, qualify schema names, run each statement.
#include <sqlite3.h>

#include <string_view>

#include "warehouse/warehouse.hpp"

namespace gdx::warehouse::sqlite {

enum class ScriptContext {
    Autocommit,   // `gdx sql`: statements commit on their own; the script's BEGIN/COMMIT run
    Transaction,  // inside a load transaction: the script's BEGIN/COMMIT/END are skipped
};

// Translation notes are logged through spdlog; rows go to on_row when it is set.
void run_redshift_sql(sqlite3* db, std::string_view sql, ScriptContext context,
                      const RowCallback* on_row);

// Whether running `sql` on `db` may write: some statement of its translation compiles to one
// that is not read-only. A statement that does not compile (e.g. a table that does not exist)
// does not count: it fails the same way wherever it runs.
bool script_writes(sqlite3* db, std::string_view sql);

}  // namespace gdx::warehouse::sqlite
