#pragma once
// `gdx derived-table CONFIG` (the google_mybusiness_servicebc_derived service): rebuild a
// derived table by running `dml/<dml>` with `{schema}` and `{dbtable}` filled in, in one
// transaction, on any warehouse.
#include "jobs/run_options.hpp"

namespace gdx::jobs {

// Returns 0 on success, 1 when the SQL failed (nothing changed). Throws ConfigError for a
// bad config or a DML file that cannot be read (nothing touched).
int run_derived_table(const RunOptions& options);

}  // namespace gdx::jobs
