#include "warehouse/sqlite/sqlite_query_stream.hpp"

#include <cctype>
#include <vector>

#include <spdlog/spdlog.h>

#include "util/error.hpp"
#include "warehouse/sql/translate.hpp"
#include "warehouse/sqlite/schema_names.hpp"
#include "warehouse/sqlite/sqlite_catalog.hpp"
#include "warehouse/sqlite/sqlite_db.hpp"

namespace gdx::warehouse::sqlite {
namespace {

bool declared_boolean(sqlite3_stmt* st, int i) {
    const char* decl = sqlite3_column_decltype(st, i);
    if (decl == nullptr) return false;
    std::string upper;
    for (const char* p = decl; *p; ++p)
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(*p))));
    return upper.find("BOOL") != std::string::npos;
}

}  // namespace

void stream_redshift_query(sqlite3* db, std::string_view query, QueryRowSink& sink) {
    const sql::Translation translation = sql::translate_redshift(query, sql::Dialect::SQLite);
    for (const auto& note : translation.notes) spdlog::info("sqlite: {}", note);
    if (translation.statements.size() != 1)
        throw BackendError("the export query must be exactly one statement, found " +
                           std::to_string(translation.statements.size()));
    Statement st(db, qualify_schema_names(translation.statements[0], read_schema_names(db)));
    const int count = sqlite3_column_count(st.get());
    std::vector<QueryColumn> columns;
    std::vector<bool> boolean;
    for (int i = 0; i < count; ++i) {
        // Text values are the character ones; the declared type is all SQLite knows beforehand.
        columns.push_back({sqlite3_column_name(st.get(), i), true});
        boolean.push_back(declared_boolean(st.get(), i));
    }
    sink.begin(columns);
    std::vector<QueryField> fields(static_cast<size_t>(count));
    while (st.step()) {
        for (int i = 0; i < count; ++i) {
            auto& f = fields[static_cast<size_t>(i)];
            const int type = sqlite3_column_type(st.get(), i);
            f.null = type == SQLITE_NULL;
            if (f.null) {
                f.text = {};
            } else if (boolean[static_cast<size_t>(i)] && type == SQLITE_INTEGER) {
                f.text = sqlite3_column_int64(st.get(), i) != 0 ? "t" : "f";
            } else {
                const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), i));
                f.text = std::string_view(p ? p : "",
                                          static_cast<size_t>(sqlite3_column_bytes(st.get(), i)));
            }
        }
        sink.row(fields);
    }
}

}  // namespace gdx::warehouse::sqlite
