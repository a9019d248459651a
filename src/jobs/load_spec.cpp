#include "jobs/load_spec.hpp"

#include "util/error.hpp"

namespace gdx::jobs {

transform::ColumnEdits column_edits(const config::S3ToRedshiftConfig& cfg) {
    transform::ColumnEdits e;
    e.columns = cfg.columns;
    e.bools = cfg.dtype_dic_bools;
    e.ints = cfg.dtype_dic_ints;
    e.floats = cfg.dtype_dic_floats;
    e.string_limits = cfg.column_string_limit;
    e.drop = cfg.drop_columns;
    e.add = cfg.add_columns;
    for (const auto& r : cfg.replace)
        e.replace.push_back({r.field, r.old_value, r.new_value, r.regex});
    for (const auto& d : cfg.dateformat) e.dates.push_back({d.field, d.format});
    e.keep_default_na = cfg.keep_default_na;
    e.na_values = cfg.na_values;
    return e;
}

TransformSpec transform_spec(const config::S3ToRedshiftConfig& cfg,
                             const types::TableSchema* target) {
    TransformSpec spec;
    spec.encoding = csv::resolve_encoding(cfg.encoding);
    spec.csv.delimiter = cfg.delim;
    spec.csv.strip_quotes = cfg.strip_quotes;
    spec.has_header = !cfg.no_header;
    try {
        spec.plan = transform::compile_column_plan(column_edits(cfg), target);
    } catch (const ConfigError& e) {
        throw ConfigError(cfg.source_path + ": " + e.what());  // which file's rule is wrong
    }
    return spec;
}

}  // namespace gdx::jobs
