#pragma once
// Loads a batch object (docs/batch-format.md) into a SQLite table, rejecting every value
// Redshift COPY would reject (docs/semantics.md#backends).
#include <sqlite3.h>

#include <cstdint>

#include "warehouse/warehouse.hpp"

namespace gdx::warehouse::sqlite {

// Runs inside the caller's transaction; on LoadError the caller rolls back.
uint64_t load_batch(sqlite3* db, const TableSchema& schema, const BatchRef& batch, LoadMode mode);

}  // namespace gdx::warehouse::sqlite
