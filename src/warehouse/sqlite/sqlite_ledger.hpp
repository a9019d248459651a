#pragma once
// The exactly-once ledger (docs/semantics.md#exactly-once) as table gdx_ledger in the warehouse
// database, so that a load and its ledger row commit in one transaction.
#include <sqlite3.h>

#include <optional>
#include <set>
#include <string>

#include "warehouse/warehouse.hpp"

namespace gdx::warehouse::sqlite {

// Creates gdx_ledger and gdx_schemas when missing.
void create_bookkeeping_tables(sqlite3* db);

std::optional<LedgerEntry> find_ledger_entry(sqlite3* db, const std::string& bucket,
                                             const std::string& key);

// Keys of `bucket` with a ledger row that start with `prefix`.
std::set<std::string> ledger_keys_with_prefix(sqlite3* db, const std::string& bucket,
                                              const std::string& prefix);

// Inserts the row with loaded_at = now (UTC, ISO-8601). A second row for the same
// (bucket, key) is a BackendError.
void insert_ledger_entry(sqlite3* db, const LedgerEntry& entry);

}  // namespace gdx::warehouse::sqlite
