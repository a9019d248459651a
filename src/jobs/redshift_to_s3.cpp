// Orchestration only: resolve dates, fill the DML, export it, store the batch objects, report.
#include "jobs/redshift_to_s3.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/redshift_to_s3_config.hpp"
#include "export/dml_template.hpp"
#include "export/export_dates.hpp"
#include "export/export_query.hpp"
#include "export/export_report.hpp"
#include "export/object_names.hpp"
#include "export/post_process.hpp"
#include "export/run_clock.hpp"
#include "export/unload_sql.hpp"
#include "jobs/loader_run.hpp"
#include "jobs/run_output.hpp"
#include "jobs/sql_file.hpp"
#include "util/crash_point.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"
#include "util/warnings.hpp"
#include "warehouse/redshift/redshift_sql.hpp"
#include "warehouse/sql/unload_literal.hpp"

namespace gdx::jobs {
namespace {

namespace fs = std::filesystem;
using config::RedshiftToS3Config;

std::string read_dml(const RedshiftToS3Config& cfg, const std::string& config_path) {
    // dml/<dml> in the working directory as the original, else beside or above the config.
    const fs::path dir = fs::path(config_path).parent_path();
    return read_sql_file(
        {fs::path("dml") / cfg.dml, dir / "dml" / cfg.dml, dir / ".." / "dml" / cfg.dml},
        config_path, cfg.dml, "dml");
}

exports::DateSources date_sources(LoaderRun& run, const RedshiftToS3Config& cfg,
                                  const exports::RunClock& clock) {
    exports::DateSources s;
    s.clock = clock;
    s.table_date = [&run](bool max) -> std::optional<std::string> {
        std::optional<std::string> value;
        const std::string sql =
            fmt::format("SELECT {}(date) FROM {}", max ? "max" : "min", exports::kDateTable);
        spdlog::info("date lookup: {}", sql);
        run.warehouse().run_script(sql, [&](const warehouse::ResultRow& row) {
            if (row.values.empty()) return;
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::string>)
                        value = v;
                    else if constexpr (!std::is_same_v<T, std::monostate>)
                        value = std::to_string(v);
                },
                row.values[0]);
        });
        return value;
    };
    s.good_keys = [&run, &cfg] {
        std::vector<std::string> keys;
        for (auto& o : run.store().list(cfg.bucket, cfg.good_prefix() + "/"))
            keys.push_back(std::move(o.key));
        return keys;
    };
    return s;
}

// The DML with its placeholder filled (the dates are already checked).
std::string templated_dml(const RedshiftToS3Config& cfg, const std::string& dml,
                          const std::optional<exports::DateRange>& dates) {
    std::string value;
    switch (cfg.parse_key) {
        case config::ParseKey::None:
            return dml;
        case config::ParseKey::DateRange:
            value = exports::date_range_value(dates->start, dates->end);
            break;
        case config::ParseKey::DateList:
            value = exports::date_list_value(cfg.date_list);
            break;
    }
    size_t replaced = 0;
    std::string out = exports::fill_placeholder(dml, cfg.parse_key_name, value, &replaced);
    if (replaced == 0)
        spdlog::warn("{}: the DML {} has no placeholder {{{}}}; it runs unchanged", cfg.source_path,
                     cfg.dml, cfg.parse_key_name);
    return out;
}

// The DML as Redshift reads it out of UNLOAD's literal (for the warehouses that run the query
// themselves); a DML Redshift could not read either is a config error naming the file.
std::string decoded_dml(const RedshiftToS3Config& cfg, const std::string& dml) {
    try {
        return warehouse::sql::decode_unload_literal(dml);
    } catch (const ConfigError& e) {
        throw ConfigError(fmt::format("dml/{}: {}", cfg.dml, e.what()));
    }
}

exports::TextFormat text_format(const RedshiftToS3Config& cfg) {
    return {cfg.field_delimiter(), cfg.addquotes, cfg.escape, cfg.header, {}};
}

// The UNLOAD statement for `dml` into <bucket>/<key_prefix>_part, with `credentials`.
std::string unload_sql(const RedshiftToS3Config& cfg, const std::string& dml,
                       const std::string& key_prefix, const std::string& credentials) {
    return exports::unload_statement(dml, "s3://" + cfg.bucket + "/" + key_prefix + "_part",
                                     credentials,
                                     {cfg.escape, cfg.delimiter, cfg.addquotes, cfg.header});
}

// UNLOAD on Redshift (the logged text keeps the credential placeholders). Returns the parts
// written.
unsigned unload_on_redshift(LoaderRun& run, const RedshiftToS3Config& cfg, const std::string& dml,
                            const std::string& key_prefix) {
    auto auth = warehouse::redshift::copy_auth_from_environment(cfg.iam_role.value_or(""));
    run.warehouse().run_unload(unload_sql(cfg, dml, key_prefix, exports::credentials_line(auth)),
                               auth.secrets());
    spdlog::info("{}",
                 unload_sql(cfg, dml, key_prefix, exports::placeholder_credentials_line(auth)));
    return exports::count_parts(run.store(), cfg.bucket, key_prefix);
}

// The query run by the warehouse and written through the store (warehouses without UNLOAD).
// Returns the parts written.
unsigned export_query(LoaderRun& run, const RedshiftToS3Config& cfg, const std::string& query,
                      const std::string& key_prefix) {
    spdlog::info("export query on {}:\n{}", run.warehouse().describe(), query);
    auto result = exports::export_query(run.warehouse(), run.store(), query, text_format(cfg),
                                        cfg.bucket, key_prefix);
    spdlog::info("{} rows, {} bytes in {} object(s)", result.rows, result.bytes, result.parts);
    return result.parts;
}

// `statement`: the DML as UNLOAD wraps it (shown with credential placeholders), else the
// query the warehouse runs.
void print_plan(LoaderRun& run, const RedshiftToS3Config& cfg, const std::string& key_prefix,
                const std::string& statement, bool unload) {
    std::cout << "Plan for " << cfg.source_path << " (dry run: nothing is changed)\n";
    std::cout << "Export to: " << cfg.bucket << "/" << key_prefix << "_part000\n";
    const std::string shown =
        unload
            ? unload_sql(
                  cfg, statement, key_prefix,
                  exports::placeholder_credentials_line(
                      warehouse::redshift::copy_auth_from_environment(cfg.iam_role.value_or(""))))
            : statement;
    std::cout << "SQL:\n" << shown << "\n";
    const auto pending = exports::pending_batch_objects(run.store(), cfg);
    for (const auto& key : pending) std::cout << "  store: " << key << "\n";
    if (pending.empty()) std::cout << "  no earlier batch object to store\n";
}

int finish(const RunOptions& options, exports::ExportReport& report, int code) {
    report.end = std::chrono::system_clock::now();
    const std::string log_path = (options.log_dir / "redshift-to-s3.log").string();
    publish_report(options, exports::format_export_report(report, log_path),
                   exports::export_report_json(report));
    if (code != 0 && !report.failure.empty())
        spdlog::info("Exiting with code {} : {}", code, report.failure);
    spdlog::info("exiting with code {}", code);
    return code;
}

}  // namespace

int run_redshift_to_s3(const RunOptions& options) {
    exports::ExportReport report;
    report.start = std::chrono::system_clock::now();
    report.config_path = options.config_path;

    // Everything that can be wrong with the config or the DML is found before anything runs.
    const RedshiftToS3Config cfg = config::load_redshift_to_s3_config(options.config_path);
    for (const auto& w : cfg.warnings) util::warn(w);
    report.dml = cfg.dml;
    const std::string dml = read_dml(cfg, options.config_path);
    const exports::RunClock clock = exports::run_clock();

    LoaderRun run(options, "redshift-to-s3");
    std::optional<exports::DateRange> dates;
    std::string key_prefix;
    try {
        warehouse::WarehouseOptions wopts;
        if (cfg.iam_role) wopts.iam_role = *cfg.iam_role;
        run.open_backends(wopts);
        if (!run.warehouse().unloads_to_store())  // a DML Redshift could not read either
            decoded_dml(cfg, dml);
        if (cfg.start_date) {
            std::vector<std::string> notes;
            dates = exports::resolve_dates(*cfg.start_date, *cfg.end_date,
                                           date_sources(run, cfg, clock), &notes);
            for (const auto& n : notes) spdlog::warn("{}", n);
            report.requested_dates = {dates->start, dates->end};
        }
    } catch (const exports::DateError& e) {
        report.failure = e.what();
        return finish(options, report, 1);
    } catch (const BackendError& e) {
        report.failure = util::redact(e.what());
        return finish(options, report, 1);
    }
    const std::string object_key = exports::object_key(
        cfg.object_prefix,
        dates ? std::optional(std::pair(dates->start, dates->end)) : std::nullopt, cfg.date_list,
        exports::key_timestamp(clock));
    key_prefix = cfg.batch_prefix() + "/" + object_key;
    const std::string dml_text = templated_dml(cfg, dml, dates);
    const std::string export_name = cfg.batch_prefix() + "/" + object_key;

    const bool unload = run.warehouse().unloads_to_store();
    std::string query;
    if (!unload) query = decoded_dml(cfg, dml_text);
    if (options.dry_run) {
        print_plan(run, cfg, key_prefix, unload ? dml_text : query, unload);
        return 0;
    }

    try {
        const unsigned parts = unload ? unload_on_redshift(run, cfg, dml_text, key_prefix)
                                      : export_query(run, cfg, query, key_prefix);
        if (parts == 0) {
            spdlog::info("the query returned no rows: no object was written");
            report.empty_exports.push_back(export_name);
        } else {
            report.loaded.push_back(export_name);
            util::crash_point("after_export");  // written, not yet stored for the client
            spdlog::info("UNLOAD successful. Object prefix is {}/{}", cfg.bucket, key_prefix);
        }
    } catch (const BackendError& e) {
        spdlog::error("{}", e.what());
        spdlog::info("UNLOAD transaction on {} failed.", cfg.dml);
        report.failed.push_back(export_name);
        report.failure = util::redact(e.what());
        return finish(options, report, 1);
    }

    try {
        exports::store_batch_objects(run.store(), cfg,
                                     exports::pending_batch_objects(run.store(), cfg), report);
    } catch (const BackendError& e) {
        spdlog::error("{}", e.what());
        report.failure = util::redact(e.what());
        return finish(options, report, 1);
    }
    return finish(options, report, report.attention() ? 1 : 0);
}

}  // namespace gdx::jobs
