#pragma once
// A Redshift-dialect query run on SQLite, its rows handed over one sqlite3_step() at a time.
#include <sqlite3.h>

#include <string_view>

#include "warehouse/warehouse.hpp"

namespace gdx::warehouse::sqlite {

// Translates `query` (exactly one statement), runs it and streams every row to `sink`.
// Values print as Redshift would: integers plain, REAL with up to 15 significant digits,
// columns declared BOOLEAN (stored 0/1) as t/f, text as stored (dates and timestamps are ISO
// text). Text values count as character for ESCAPE. Throws BackendError when the query fails.
void stream_redshift_query(sqlite3* db, std::string_view query, QueryRowSink& sink);

}  // namespace gdx::warehouse::sqlite
