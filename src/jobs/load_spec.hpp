#pragma once
// Turns a loader config into the compiled transform of its objects.
#include "config/s3_to_redshift_config.hpp"
#include "jobs/transform_object.hpp"
#include "types/column_type.hpp"

namespace gdx::jobs {

transform::ColumnEdits column_edits(const config::S3ToRedshiftConfig& cfg);

// target may be null (no table known): every column is then loaded as text.
TransformSpec transform_spec(const config::S3ToRedshiftConfig& cfg,
                             const types::TableSchema* target);

}  // namespace gdx::jobs
