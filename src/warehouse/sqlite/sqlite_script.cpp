#include "warehouse/sqlite/sqlite_script.hpp"

#include <spdlog/spdlog.h>

#include "util/error.hpp"
#include "warehouse/sql/statements.hpp"
#include "warehouse/sql/translate.hpp"
#include "warehouse/sqlite/schema_names.hpp"
#include "warehouse/sqlite/sqlite_catalog.hpp"
#include "warehouse/sqlite/sqlite_db.hpp"

namespace gdx::warehouse::sqlite {
namespace {

Value column_value(sqlite3_stmt* st, int i) {
    switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL:
            return std::monostate{};
        case SQLITE_INTEGER:
            return static_cast<int64_t>(sqlite3_column_int64(st, i));
        case SQLITE_FLOAT:
            return sqlite3_column_double(st, i);
        default: {
            const auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
            return std::string(p == nullptr ? "" : p,
                               static_cast<size_t>(sqlite3_column_bytes(st, i)));
        }
    }
}

void run_statement(sqlite3* db, const std::string& statement, const RowCallback* on_row) {
    Statement st(db, statement);
    const int columns = sqlite3_column_count(st.get());
    std::vector<std::string> names;
    for (int i = 0; i < columns; ++i) names.emplace_back(sqlite3_column_name(st.get(), i));
    ResultRow row{&names, {}};
    row.values.resize(static_cast<size_t>(columns));
    while (st.step()) {
        if (on_row == nullptr || !*on_row) continue;
        for (int i = 0; i < columns; ++i)
            row.values[static_cast<size_t>(i)] = column_value(st.get(), i);
        (*on_row)(row);
    }
}

}  // namespace

void run_redshift_sql(sqlite3* db, std::string_view sql, ScriptContext context,
                      const RowCallback* on_row) {
    const sql::Translation translation = sql::translate_redshift(sql, sql::Dialect::SQLite);
    for (const auto& note : translation.notes) spdlog::info("sqlite: {}", note);
    try {
        for (const auto& statement : translation.statements) {
            if (context == ScriptContext::Transaction) {
                const auto control = sql::transaction_control(statement);
                if (control == sql::TransactionControl::Rollback) {
                    throw BackendError("SQLite: `" + statement +
                                       "` inside a load transaction is not supported");
                }
                if (control != sql::TransactionControl::None) {
                    spdlog::info("sqlite: skipped `{}`: already inside the load transaction",
                                 statement);
                    continue;
                }
            }
            // Schema names are re-read for every statement: the script (or another
            // process) may have just created one.
            run_statement(db, qualify_schema_names(statement, read_schema_names(db)), on_row);
        }
    } catch (...) {
        // A failing script that opened its own transaction must not leave it open.
        if (context == ScriptContext::Autocommit && sqlite3_get_autocommit(db) == 0) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        throw;
    }
}

}  // namespace gdx::warehouse::sqlite
