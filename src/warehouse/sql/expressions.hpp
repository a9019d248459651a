#pragma once
// Rewrites the expressions of one Redshift statement for a local backend: casts, Redshift
// functions, typed literals, quoted identifiers (folded to lower case, as Redshift does)
// and, on PostgreSQL, derived tables without an alias. docs/redshift.md lists every rule.
#include <string>
#include <string_view>

#include "warehouse/sql/translate.hpp"

namespace gdx::warehouse::sql {

// Purely textual. Throws gdx::ConfigError when GDX_NOW is set but malformed (PostgreSQL
// reads the pinned clock here; SQLite's getdate() reads it when called).
std::string rewrite_expressions(std::string_view statement, Dialect dialect);

}  // namespace gdx::warehouse::sql
