#include "warehouse/sqlite/sqlite_script.hpp"

#include <spdlog/spdlog.h>

#include "util/crash_point.hpp"
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
    row.first = true;
    while (st.step()) {
        if (on_row == nullptr || !*on_row) continue;
        for (int i = 0; i < columns; ++i)
            row.values[static_cast<size_t>(i)] = column_value(st.get(), i);
        (*on_row)(row);
        row.first = false;
    }
}

// INSERT INTO t SELECT … with fewer columns than t has: Redshift (like PostgreSQL) fills
// the first N columns and defaults the rest; SQLite wants every column, so the column list
// is made explicit.
std::string complete_insert_columns(sqlite3* db, const std::string& statement) {
    const sql::StatementEditor ed(statement);
    if (ed.size() < 4 || !ed.at(0).is("INSERT") || !ed.at(1).is("INTO")) return statement;
    size_t k = 3;
    if (ed.has(k + 1) && ed.at(k).is("AS")) k += 2;  // the alias qualify_schema_names adds
    if (!ed.has(k) || !(ed.at(k).is("SELECT") || ed.at(k).is("WITH"))) return statement;
    const std::string_view query = ed.text(k, ed.size() - 1);
    sqlite3_stmt* probe = nullptr;
    if (sqlite3_prepare_v2(db, query.data(), static_cast<int>(query.size()), &probe, nullptr) !=
        SQLITE_OK) {
        sqlite3_finalize(probe);
        return statement;  // the INSERT itself reports the error
    }
    const int values = sqlite3_column_count(probe);
    sqlite3_finalize(probe);
    Statement columns(db, "SELECT name FROM pragma_table_info(?1)");
    const std::string table = sql::identifier_value(ed.at(2));
    columns.bind_text(1, table);
    std::vector<std::string> names;
    while (columns.step()) names.push_back(quote_identifier(columns.column_text(0)));
    if (values <= 0 || static_cast<size_t>(values) >= names.size()) return statement;
    names.resize(static_cast<size_t>(values));
    std::string list = "(";
    for (size_t i = 0; i < names.size(); ++i) list += (i == 0 ? "" : ", ") + names[i];
    const size_t at = static_cast<size_t>(ed.at(k).text.data() - statement.data());
    return statement.substr(0, at) + list + ") " + statement.substr(at);
}

}  // namespace

void run_redshift_sql(sqlite3* db, std::string_view sql, ScriptContext context,
                      const RowCallback* on_row) {
    const sql::Translation translation = sql::translate_redshift(sql, sql::Dialect::SQLite);
    for (const auto& note : translation.notes) spdlog::info("sqlite: {}", note);
    try {
        for (size_t i = 0; i < translation.statements.size(); ++i) {
            const std::string& statement = translation.statements[i];
            if (context == ScriptContext::Transaction) {
                const auto control = sql::transaction_control(statement);
                if (control == sql::TransactionControl::Rollback) {
                    throw BackendError(
                        "SQLite: `" + statement + "` inside a load transaction is not supported",
                        ErrorKind::Target);
                }
                if (control != sql::TransactionControl::None) {
                    spdlog::info("sqlite: skipped `{}`: already inside the load transaction",
                                 statement);
                    continue;
                }
            }
            // Schema names are re-read for every statement: the script (or another
            // process) may have just created one.
            try {
                run_statement(db,
                              complete_insert_columns(
                                  db, qualify_schema_names(statement, read_schema_names(db))),
                              on_row);
            } catch (const BackendError& e) {
                throw ScriptError(e, translation.lines[i]);
            }
            // A job's statement has run, its transaction is open (post-load SQL, derived-table).
            if (context == ScriptContext::Transaction) util::crash_point("mid_sql");
        }
    } catch (...) {
        // A failing script that opened its own transaction must not leave it open.
        if (context == ScriptContext::Autocommit && sqlite3_get_autocommit(db) == 0) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        throw;
    }
}

bool script_writes(sqlite3* db, std::string_view sql) {
    const sql::Translation translation = sql::translate_redshift(sql, sql::Dialect::SQLite);
    const auto schemas = read_schema_names(db);
    for (const auto& statement : translation.statements) {
        if (sql::transaction_control(statement) != sql::TransactionControl::None) continue;
        const std::string text = qualify_schema_names(statement, schemas);
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, text.data(), static_cast<int>(text.size()), &st, nullptr) !=
            SQLITE_OK) {
            sqlite3_finalize(st);
            continue;
        }
        const bool writes = st != nullptr && sqlite3_stmt_readonly(st) == 0;
        sqlite3_finalize(st);
        if (writes) return true;
    }
    return false;
}

}  // namespace gdx::warehouse::sqlite
