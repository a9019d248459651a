#pragma once
// Table names from configs, validated and quoted (SQL is never built from raw text,
// docs/redshift.md).
#include <string>
#include <string_view>

namespace gdx::warehouse::pg {

// A table name as the catalog spells it. Every part is folded to lower case, "quoted" ones
// too, as Redshift does by default (docs/redshift.md, "Identifiers"); quoting only allows
// spaces and other characters. Empty schema = the search path decides.
struct QualifiedName {
    std::string schema;
    std::string name;

    // "schema"."name" (or just "name"), always quoted.
    std::string sql() const;
    // The same table under another name in the same schema, e.g. office_info_gdx_scratch.
    QualifiedName with_suffix(std::string_view suffix) const;
};

// Parses `name`, `schema.name`, `"Odd Schema"."Odd ""Name"""`. Unquoted parts must match
// [A-Za-z_][A-Za-z0-9_$]*. Throws ConfigError otherwise.
QualifiedName parse_table_name(std::string_view table);

// "ident" with embedded quotes doubled.
std::string quote_ident(std::string_view ident);

}  // namespace gdx::warehouse::pg
