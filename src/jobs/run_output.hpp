#pragma once
// What every job does with the common options at its two ends: which backends it opens
// (option, then environment, then default) and where its report goes (stdout text unless -q,
// and the JSON of --report-json, "-" meaning stdout alone). One place, so that no job reads
// GDX_STORE or writes a report file its own way.
#include <string>

#include <nlohmann/json.hpp>

#include "jobs/run_options.hpp"

namespace gdx::jobs {

// --store, else GDX_STORE, else file:data.
std::string store_uri(const RunOptions& options);
// --warehouse, else GDX_WAREHOUSE, else sqlite:gdx.db.
std::string warehouse_uri(const RunOptions& options);

// Prints `text` (when non-empty, not -q and stdout does not carry the JSON) and writes `json`
// where --report-json says. Both are redacted. Throws BackendError when the file cannot be
// written.
void publish_report(const RunOptions& options, const std::string& text, const nlohmann::json& json);

}  // namespace gdx::jobs
