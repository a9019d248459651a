#pragma once
// Redshift scalar functions that the originals' SQL uses, for SQLite connections:
// split_part, nvl, nvl2, getdate, sysdate, len, charindex, translate, dateadd, datediff,
// date_trunc, to_char, convert_timezone, and under names the translator rewrites to:
// redshift_left/redshift_right (SQLite's parser reserves LEFT and RIGHT for joins),
// redshift_date (DATE(x), x::DATE), redshift_timestamp (x::TIMESTAMP, TIMESTAMP 'x') and
// redshift_bool (x::BOOLEAN). Dates and timestamps are ISO text (docs/redshift.md).
#include <sqlite3.h>

namespace gdx::warehouse::sqlite {

void register_redshift_functions(sqlite3* db);

}  // namespace gdx::warehouse::sqlite
