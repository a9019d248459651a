#pragma once
// A DML file (written to sit inside UNLOAD's quoted literal) as the query Redshift would run:
// the literal decoded, plus two rewrites that keep it valid Redshift and let PostgreSQL and
// SQLite run it (docs/differences.md, redshift-to-s3).
#include <string>
#include <string_view>

namespace gdx::exports {

// Redshift's reading of a quoted literal's body: '' → ', \' → ', \\ → \, and a backslash
// before any other character except b f n r t and digits is dropped (\V → V). Throws
// ConfigError (naming `source`) for a lone quote or one of the escapes no DML uses.
std::string decode_unload_literal(std::string_view dml, const std::string& source);

// The decoded DML made portable: DATEADD(<bare unit>, … → DATEADD('<unit>', …; a date
// literal 'YYYYMMDD' → 'YYYY-MM-DD' (the same date for Redshift and PostgreSQL; on SQLite,
// where dates are ISO text, the only form that compares right); and an alias ` AS unload_q`
// after a final derived table `SELECT … FROM ( … )` that has none.
std::string portable_query(std::string_view decoded);

}  // namespace gdx::exports
