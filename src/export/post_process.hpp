#pragma once
// After the export: every batch object of the config that has no good or bad marker yet (this
// run's and any an earlier run left, e.g. after a crash) is copied to the client prefix, then
// marked good; a failed client copy marks it bad and the others still go on.
#include <string>
#include <vector>

#include "config/redshift_to_s3_config.hpp"
#include "export/export_report.hpp"
#include "store/object_store.hpp"

namespace gdx::exports {

// Batch keys under <batch prefix>/ (all pages, key order) without a good or bad marker whose
// file name starts with `object_prefix`.
std::vector<std::string> pending_batch_objects(store::ObjectStore& store,
                                               const config::RedshiftToS3Config& config);

// Copies and marks `pending` in order, recording each step in `report`. A failed client copy
// is logged, recorded and marked bad; a failed marker copy throws (BackendError).
void store_batch_objects(store::ObjectStore& store, const config::RedshiftToS3Config& config,
                         const std::vector<std::string>& pending, ExportReport& report);

}  // namespace gdx::exports
