// Orchestration only: select objects, transform each into a batch, load it, move it.
#include "jobs/s3_to_redshift.hpp"

#include <filesystem>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/s3_to_redshift_config.hpp"
#include "jobs/load_spec.hpp"
#include "jobs/loader_run.hpp"
#include "jobs/plan.hpp"
#include "jobs/sql_file.hpp"
#include "jobs/target_table.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"
#include "util/warnings.hpp"

namespace gdx::jobs {
namespace {

namespace fs = std::filesystem;

// Transforms one object into its batch (not committed). Throws DataError for bad data and
// ObjectRejected for an object without rows (unless empty_files_ok).
void write_batch(LoaderRun& run, const config::S3ToRedshiftConfig& cfg, const TransformSpec& spec,
                 const ObjectRef& ref, const store::ObjectInfo& object, store::ObjectWriter& out,
                 SourceLines& lines) {
    util::Progress progress(ref.key, object.size);
    auto in = run.open_object(ref, object);
    auto stats = transform_object(
        spec, *in, out, [&](uint64_t bytes, uint64_t rows) { progress.update(bytes, rows); },
        &lines);
    progress.finish();
    log_data_notes(ref.key, stats, spec.plan.input_columns.size());
    reject_if_empty(stats, cfg.empty_files_ok);
}

}  // namespace

int run_s3_to_redshift(const RunOptions& options) {
    LoaderRun run(options, "s3-to-redshift");
    auto cfg = config::load_s3_to_redshift_config(options.config_path);
    for (const auto& w : cfg.warnings) util::warn(w);
    std::string post_load_sql;
    if (cfg.ldb_sku && cfg.sql_query) {
        // Relative to the working directory as in the original, else next to the config file.
        post_load_sql = read_sql_file(
            {*cfg.sql_query, fs::path(options.config_path).parent_path() / *cfg.sql_query},
            options.config_path, *cfg.sql_query);
    }

    warehouse::WarehouseOptions wopts;
    if (cfg.iam_role) wopts.iam_role = *cfg.iam_role;
    run.open_backends(wopts);

    const auto rules = SelectionRules::at(cfg, cfg.truncate ? 0 : cfg.file_limit, cfg.truncate);
    const PlanText plan{cfg.source_path,
                        cfg.destination,
                        {"Table: " + cfg.dbtable +
                         (cfg.truncate ? " (replaced by the newest object)" : " (append)")},
                        cfg.dbtable};
    std::optional<types::TableSchema> table;
    try {
        table =
            require_table(run.warehouse(), cfg.dbtable, options.config_path + ": key \"dbtable\"");
    } catch (const ConfigError&) {
        // A dry run still shows what would be selected before it stops on the missing table.
        if (options.dry_run)
            print_plan(std::cout, plan, select_objects(run.store(), run.warehouse(), rules));
        throw;
    }
    run.store().require_bucket(cfg.bucket);  // its input: missing is a setting's mistake (exit 2)
    const TransformSpec spec = transform_spec(cfg, &*table);

    Selection sel = select_objects(run.store(), run.warehouse(), rules);
    if (options.dry_run) {
        print_plan(std::cout, plan, sel);
        return 0;
    }
    run.begin_objects(sel);
    const auto mode = cfg.truncate ? warehouse::LoadMode::Replace : warehouse::LoadMode::Append;

    return run.process_objects(
        sel, cfg.bucket, cfg.destination,
        [&](const store::ObjectInfo& object, const ObjectRef& ref) {
            SourceLines lines;
            const auto outcome = run.load_object(
                object, ref,
                [&](store::ObjectWriter& out) {
                    write_batch(run, cfg, spec, ref, object, out, lines);
                },
                [&](warehouse::Transaction& tx, const warehouse::BatchRef& batch) {
                    uint64_t rows = tx.load(cfg.dbtable, batch, mode);
                    if (!post_load_sql.empty()) execute_in_load(tx, post_load_sql, "post-load SQL");
                    return rows;
                },
                &lines);
            if (outcome == ObjectOutcome::Good && run.report().tables.empty())
                run.report().tables.push_back(cfg.dbtable);
            return outcome;
        });
}

}  // namespace gdx::jobs
