#pragma once
// Reading table definitions and the registered schema names from a SQLite database.
#include <sqlite3.h>

#include <optional>
#include <set>
#include <string>

#include "types/column_type.hpp"

namespace gdx::warehouse::sqlite {

// Columns of `table` (a config name such as "servicebc.call_centre") with their declared
// types parsed as Redshift would enforce them; nullopt when the table does not exist.
std::optional<types::TableSchema> read_table_schema(sqlite3* db, const std::string& table);

// Names in gdx_schemas.
std::set<std::string> read_schema_names(sqlite3* db);

// IDENTITY(seed, step) of a declared type such as "BIGINT IDENTITY (0,1)"; {1, 1} if absent.
struct IdentitySpec {
    int64_t seed = 1;
    int64_t step = 1;
};
IdentitySpec parse_identity(const std::string& declared);

}  // namespace gdx::warehouse::sqlite
