#pragma once
// `SET search_path TO s` for SQLite, which has no schemas: the schema becomes explicit in
// the statements that follow (docs/redshift.md, "Schemas on SQLite").
#include <optional>
#include <string>
#include <string_view>

namespace gdx::warehouse::sql {

// The first schema of `SET search_path TO|= s[, …]` (an identifier or a string, folded to
// lower case), or nullopt when the statement is something else.
std::optional<std::string> search_path_schema(std::string_view statement);

// Qualifies the unqualified table names of one statement with `schema`: the name after
// TABLE [IF [NOT] EXISTS], INTO, UPDATE, FROM, JOIN and in FROM lists, except the names
// of the statement's common table expressions.
std::string qualify_with_search_path(std::string_view statement, const std::string& schema);

}  // namespace gdx::warehouse::sql
