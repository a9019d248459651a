#pragma once
// The tables a job loads, read from the warehouse before any object is touched.
#include <string>

#include "types/column_type.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::jobs {

// The declared columns of `table`. Throws ConfigError (exit 2, nothing touched) naming the
// config and the warehouse when the table does not exist, and when `loadable_columns` is not 0
// and differs from the table's count of loadable columns.
types::TableSchema require_table(warehouse::Warehouse& warehouse, const std::string& table,
                                 const std::string& config_path, size_t loadable_columns = 0);

}  // namespace gdx::jobs
