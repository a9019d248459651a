#pragma once
// SQLite has no schemas. We keep every table in the one database file and store table
// `servicebc.call_centre` as the table named "servicebc.call_centre", because:
//  * ATTACH (one file per schema) stops at SQLite's limit of 10 attached databases and loses
//    atomicity across files in WAL mode, while a load and its ledger row must commit together;
//  * a dotted name keeps `gdx sql -c "select * from servicebc.call_centre"` and the
//    originals' DDL working after a purely textual rewrite.
// Schema names are registered in gdx_schemas (CREATE SCHEMA, or implicitly by
// CREATE TABLE s.t); `s.t` is rewritten only when `s` is registered, so `alias.column`
// stays untouched.
#include <set>
#include <string>
#include <string_view>

#include "warehouse/sql/names.hpp"

namespace gdx::warehouse::sqlite {

using sql::quote_identifier;

// Storage name of a table given as in a config: "servicebc.call_centre" → servicebc.call_centre,
// "Servicebc.\"Mixed\"" → servicebc.mixed (every part folds to lower case, as on Redshift).
std::string storage_table_name(std::string_view name);

// Rewrites schema-qualified names in one statement for SQLite:
//   s.t            → "s.t", plus ` AS "t"` where a query names the table without an alias
//                    (FROM/JOIN/UPDATE/INTO/DELETE FROM), so `t.col` keeps resolving;
//   s.t.col        → "t".col;
//   ALTER TABLE s.t RENAME TO u → … RENAME TO "s.u" (the table stays in its schema).
// `schemas` holds registered schema names (lower case).
std::string qualify_schema_names(std::string_view statement, const std::set<std::string>& schemas);

}  // namespace gdx::warehouse::sqlite
