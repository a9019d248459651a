#pragma once
// The SQL text of a load, built by pure functions so that tests check it byte for byte
// (the Redshift side cannot be run here, docs/redshift.md).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warehouse/postgres/acl.hpp"
#include "warehouse/postgres/identifiers.hpp"

namespace gdx::warehouse::pg {

// The ledger table (docs/semantics.md#exactly-once), in schema public on both PostgreSQL and
// Redshift.
inline constexpr std::string_view kLedgerTable = "public.gdx_ledger";
std::string ledger_ddl();

// 64-bit FNV-1a of "bucket/key": the advisory-lock key of one object (stable across builds).
int64_t object_lock_key(std::string_view bucket, std::string_view key);

// ("a", "b") — the batch header's column list.
std::string column_list_sql(const std::vector<std::string>& columns);

// COPY t (cols) FROM STDIN WITH (FORMAT text, DELIMITER '|', NULL '\N', HEADER true)
std::string copy_from_stdin_sql(const QualifiedName& table,
                                const std::vector<std::string>& columns);

// Names used by a Replace load.
QualifiedName scratch_name(const QualifiedName& target);
QualifiedName old_name(const QualifiedName& target);

enum class LikeFlavour { PostgreSQL, Redshift };

// DROP TABLE IF EXISTS scratch; DROP TABLE IF EXISTS old; CREATE TABLE scratch (LIKE target …)
std::vector<std::string> prepare_scratch_sql(const QualifiedName& target, LikeFlavour flavour);

// After the scratch table is loaded: give it the target's owner and grants, then swap the
// names and drop the old table — all inside the caller's transaction.
std::vector<std::string> swap_sql(const QualifiedName& target, const std::string& owner,
                                  const std::vector<Grant>& grants);

// Where a failed COPY stopped, from the server's CONTEXT line
// `COPY t, line 3, column name: "value"` (PostgreSQL).
struct CopyContext {
    uint64_t line = 0;  // record number, header = 1
    std::string column;
    std::optional<std::string> value;  // as quoted by the server (may be shortened)
};
CopyContext parse_copy_context(std::string_view context);

}  // namespace gdx::warehouse::pg
