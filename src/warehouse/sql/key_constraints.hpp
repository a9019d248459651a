#pragma once
// Redshift accepts PRIMARY KEY, UNIQUE and REFERENCES / FOREIGN KEY in CREATE TABLE but does
// not enforce them: they are hints for its planner, and a COPY loads duplicate keys. SQLite
// and PostgreSQL would enforce them, so an object Redshift loads would be rejected locally.
// This pass removes them from a CREATE TABLE and keeps what Redshift keeps: a primary key
// column is NOT NULL (Redshift enforces NOT NULL), and the columns of a primary key or
// unique constraint get a plain, non-unique index so that lookups by key stay fast.
// See docs/redshift.md ("Keys are not enforced").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warehouse/sql/translate.hpp"

namespace gdx::warehouse::sql {

struct UnenforcedKeys {
    std::string create_table;          // the statement without key constraints
    std::vector<std::string> indexes;  // CREATE INDEX IF NOT EXISTS …, to run after it
    std::vector<std::string> dropped;  // each removed constraint, e.g. "PRIMARY KEY (id)"
};

// nullopt when `statement` is no CREATE TABLE with a column list, or declares no key.
// On SQLite an index name carries the table's schema (all tables share one namespace).
std::optional<UnenforcedKeys> drop_key_constraints(std::string_view statement, Dialect dialect);

}  // namespace gdx::warehouse::sql
