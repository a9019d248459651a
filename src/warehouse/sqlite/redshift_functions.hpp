#pragma once
// Redshift scalar functions that post-load SQL commonly uses, for SQLite connections:
// split_part, nvl, nvl2, getdate, sysdate, len, charindex, and LEFT/RIGHT as
// redshift_left/redshift_right (SQLite's parser reserves LEFT and RIGHT for joins; the
// translator renames the calls).
#include <sqlite3.h>

namespace gdx::warehouse::sqlite {

void register_redshift_functions(sqlite3* db);

}  // namespace gdx::warehouse::sqlite
