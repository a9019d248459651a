#include "warehouse/sqlite/sqlite_catalog.hpp"

#include <charconv>

#include "warehouse/sql/tokenizer.hpp"
#include "warehouse/sqlite/schema_names.hpp"
#include "warehouse/sqlite/sqlite_db.hpp"

namespace gdx::warehouse::sqlite {

std::optional<types::TableSchema> read_table_schema(sqlite3* db, const std::string& table) {
    Statement st(db, "SELECT name, type, \"notnull\" FROM pragma_table_info(?1)");
    const std::string storage = storage_table_name(table);
    st.bind_text(1, storage);
    types::TableSchema schema;
    schema.name = table;
    while (st.step()) {
        types::TableColumn column;
        column.name = st.column_text(0);
        const std::string declared = st.column_text(1);
        if (declared.empty()) {
            // CREATE TABLE … AS SELECT gives computed columns no declared type: any value.
            column.type.kind = types::TypeKind::Other;
        } else {
            column.type = types::parse_declared_type(declared);
        }
        // The loader reads IDENTITY(seed, step) from the full declared text.
        if (column.type.identity) column.type.declared = declared;
        column.type.not_null = column.type.not_null || st.column_int(2) != 0;
        schema.columns.push_back(std::move(column));
    }
    if (schema.columns.empty()) return std::nullopt;
    return schema;
}

std::set<std::string> read_schema_names(sqlite3* db) {
    std::set<std::string> out;
    Statement st(db, "SELECT name FROM gdx_schemas");
    while (st.step()) out.insert(st.column_text(0));
    return out;
}

IdentitySpec parse_identity(const std::string& declared) {
    IdentitySpec spec;
    const auto tokens = sql::tokenize(declared);
    std::vector<std::string> args;
    bool in_identity = false;
    std::string current;
    for (const auto& t : tokens) {
        if (!t.significant()) continue;
        if (t.is("IDENTITY")) {
            in_identity = true;
        } else if (in_identity && t.is_punct(')')) {
            args.push_back(current);
            break;
        } else if (in_identity && t.is_punct(',')) {
            args.push_back(current);
            current.clear();
        } else if (in_identity && !t.is_punct('(')) {
            current += t.text;
        }
    }
    auto parse = [](const std::string& s, int64_t& out) {
        std::from_chars(s.data() + (s.size() > 0 && s[0] == '+' ? 1 : 0), s.data() + s.size(), out);
    };
    if (args.size() >= 1) parse(args[0], spec.seed);
    if (args.size() >= 2) parse(args[1], spec.step);
    return spec;
}

}  // namespace gdx::warehouse::sqlite
