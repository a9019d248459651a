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

}  // namespace gdx::warehouse::sqlite
