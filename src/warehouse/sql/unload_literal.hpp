#pragma once
// The redshift_to_s3 DML files are written to sit inside UNLOAD ('…'): quotes are doubled
// and a few backslash escapes appear. Running them anywhere else needs the text Redshift
// would see after reading that literal.
#include <string>
#include <string_view>

namespace gdx::warehouse::sql {

// '' → ', \' → ', \\ → \, and a backslash before any other letter is dropped
// ('America/\Vancouver' → 'America/Vancouver'), as Redshift's literal processing does.
// Escapes whose meaning would be a control character (\b \f \n \r \t \v, octal digits) or
// a backslash before other characters are rejected with ConfigError naming the line, since
// no original DML uses them and guessing would change the query.
std::string decode_unload_literal(std::string_view dml);

}  // namespace gdx::warehouse::sql
