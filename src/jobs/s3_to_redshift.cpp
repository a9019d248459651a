// Orchestration only: select objects, transform each into a batch, load it, move it.
#include "jobs/s3_to_redshift.hpp"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/s3_to_redshift_config.hpp"
#include "jobs/load_spec.hpp"
#include "jobs/loader_run.hpp"
#include "jobs/sql_file.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"
#include "util/warnings.hpp"

namespace gdx::jobs {
namespace {

namespace fs = std::filesystem;

void print_plan(const config::S3ToRedshiftConfig& cfg, const Selection& sel) {
    std::cout << "Plan for " << cfg.source_path << " (dry run: nothing is changed)\n";
    std::cout << "Table: " << cfg.dbtable
              << (cfg.truncate ? " (replaced by the newest object)\n" : " (append)\n");
    for (const auto& key : sel.already_processed) std::cout << "  " << skip_line(sel, key) << "\n";
    for (const auto& c : sel.selected) {
        auto keys = object_keys(cfg.destination, c.object.key);
        if (c.repair)
            std::cout << "  repair: " << c.object.key << " (already loaded) -> copy to "
                      << keys.good << "\n";
        else
            std::cout << "  load: " << c.object.key << " (" << c.object.size << " bytes) -> batch "
                      << keys.batch << " -> " << cfg.dbtable << " -> " << keys.good << "\n";
    }
    if (sel.selected.empty()) std::cout << "  nothing to load\n";
}

// Transforms one object into its batch (not committed). Throws DataError for bad data and
// ObjectRejected for an object without rows (unless empty_files_ok).
void write_batch(LoaderRun& run, const config::S3ToRedshiftConfig& cfg, const TransformSpec& spec,
                 const ObjectRef& ref, const store::ObjectInfo& object, store::ObjectWriter& out) {
    util::Progress progress(ref.key, object.size);
    auto in = run.store().get(ref.bucket, ref.key);
    auto stats = transform_object(
        spec, *in, out, [&](uint64_t bytes, uint64_t rows) { progress.update(bytes, rows); });
    progress.finish();
    if (!stats.header_mismatch.empty()) spdlog::info("{}: {}", ref.key, stats.header_mismatch);
    if (stats.surplus_rows)
        util::warn(fmt::format(
            "{}: {} rows have more than {} fields (first at line {}); the extra fields were "
            "dropped",
            ref.key, stats.surplus_rows, spec.plan.input_columns.size(), stats.first_surplus_line));
    if ((stats.no_columns || stats.rows == 0) && !cfg.empty_files_ok) {
        throw ObjectRejected(
            Failure::simple("empty", stats.no_columns
                                         ? "the object has no columns (only blank lines)"
                                         : "the object has a header but no data rows"),
            true);
    }
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
    auto table = run.warehouse().describe_table(cfg.dbtable);
    if (!table) {
        // A dry run still shows what would be selected before it stops on the missing table.
        if (options.dry_run) print_plan(cfg, select_objects(run.store(), run.warehouse(), rules));
        throw ConfigError(fmt::format(
            "{}: key \"dbtable\": table {} does not exist in {} (create it first, e.g. gdx sql "
            "-f <ddl file>)",
            options.config_path, cfg.dbtable, run.warehouse().describe()));
    }
    run.store().require_bucket(cfg.bucket);  // its input: missing is a setting's mistake (exit 2)
    TransformSpec spec = transform_spec(cfg, &*table);

    Selection sel = select_objects(run.store(), run.warehouse(), rules);
    if (options.dry_run) {
        print_plan(cfg, sel);
        return 0;
    }
    run.begin_objects(sel);
    const auto mode = cfg.truncate ? warehouse::LoadMode::Replace : warehouse::LoadMode::Append;

    return run.process_objects(
        sel, cfg.bucket, cfg.destination,
        [&](const store::ObjectInfo& object, const ObjectRef& ref) {
            if (object.size == 0 && !cfg.empty_files_ok) {
                run.mark_bad(ref, Failure::simple("empty", "the object is empty (zero bytes)"),
                             true);
                return ObjectOutcome::Bad;
            }
            const auto outcome = run.load_object(
                object, ref,
                [&](store::ObjectWriter& out) { write_batch(run, cfg, spec, ref, object, out); },
                [&](warehouse::Transaction& tx, const warehouse::BatchRef& batch) {
                    uint64_t rows = tx.load(cfg.dbtable, batch, mode);
                    if (!post_load_sql.empty()) execute_in_load(tx, post_load_sql, "post-load SQL");
                    return rows;
                });
            if (outcome == ObjectOutcome::Good && run.report().tables.empty())
                run.report().tables.push_back(cfg.dbtable);
            return outcome;
        });
}

}  // namespace gdx::jobs
