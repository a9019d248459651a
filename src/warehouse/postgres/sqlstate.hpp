#pragma once
// Everything gdx knows about PostgreSQL SQLSTATE codes, in one place (Redshift reports the same
// codes): what a failure means for the run, and the few codes that name a specific situation.
#include <string_view>

#include "util/error.hpp"

namespace gdx::warehouse::pg {

// Data exceptions (22), constraint violations (23), program limits (54), exceptions raised by a
// trigger or function (P0) and a batch column the table lacks (42703) are the object's data; other
// syntax/access problems (42, 0A, 3F) are the target's; serialization failures and deadlocks (40)
// are transient; connection (08), resource (53, 57, 58), internal (XX) and anything unknown stop
// the run. Connection failures are not transient here: the connection is gone and is not reopened
// within a run.
ErrorKind classify_sqlstate(std::string_view sqlstate);

// A relation, role or other object that does not exist (undefined_table, undefined_object).
bool is_absent_object(std::string_view sqlstate);
// "already exists" from two sessions creating the same object at once: duplicate_table,
// duplicate_object ('type "t" already exists', the table's row type, PostgreSQL 15) or a unique
// violation on the catalog.
bool is_concurrent_create(std::string_view sqlstate);
// Redshift reports a COPY that rejected rows as an internal error (XX000) and details it in its
// load-error views.
bool is_redshift_copy_rejection(std::string_view sqlstate);

}  // namespace gdx::warehouse::pg
