#pragma once
// A query's result streamed from PostgreSQL: COPY (query) TO STDOUT, one row per
// PQgetCopyData, decoded from COPY's text format into fields.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "warehouse/postgres/pg_connection.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::warehouse::pg {

// Splits one COPY text row (without or with its trailing LF) into fields: TAB separates, a
// field of exactly \N is NULL, \b \f \n \r \t \v \\ and backslash + any other byte decode to
// the raw byte, \ooo (octal) and \xhh too. Views point into `row` when no field has an escape,
// else into `scratch`. Returns the number of fields.
size_t decode_copy_row(std::string_view row, std::vector<QueryField>& fields, std::string& scratch);

// Runs `query` (PostgreSQL SQL, one statement) in a read-only transaction with TimeZone UTC
// and DateStyle ISO, and streams its rows to `sink`. Column names and which columns are
// character types come from describing the prepared statement.
void stream_copy_query(Connection& conn, const std::string& query, QueryRowSink& sink);

}  // namespace gdx::warehouse::pg
