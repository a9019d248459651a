#include "jobs/derived_table.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/config_object.hpp"
#include "config/json_file.hpp"
#include "jobs/run_output.hpp"
#include "jobs/sql_file.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"
#include "util/report.hpp"
#include "util/warnings.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::jobs {
namespace {

namespace fs = std::filesystem;

struct DerivedTableConfig {
    std::string schema, dbtable, dml;
};

DerivedTableConfig read_config(const std::string& path) {
    const auto root = config::load_json_file(path);
    config::ConfigObject cfg(root, path);
    DerivedTableConfig out{cfg.required_string("schema"), cfg.required_string("dbtable"),
                           cfg.required_string("dml")};
    for (const auto& warning : cfg.finish_warnings()) util::warn(warning);
    return out;
}

// `dml/<dml>` as the original read it (relative to the working directory, where it ran),
// then next to the service's config.d/ folder.
std::string read_dml(const std::string& config_path, const std::string& dml) {
    fs::path service = fs::path(config_path).parent_path();
    if (service.filename() == "config.d") service = service.parent_path();
    const std::vector<fs::path> candidates = {fs::path("dml") / dml, service / "dml" / dml};
    for (const auto& candidate : candidates) {
        if (fs::is_regular_file(candidate)) return read_sql_file({candidate}, config_path, dml);
    }
    throw ConfigError(fmt::format("{}: dml file '{}' not found (looked at {} and {})", config_path,
                                  dml, candidates[0].string(), candidates[1].string()));
}

// Python's str.format with exactly {schema} and {dbtable}; other braces stay as written.
std::string fill_template(std::string sql, const DerivedTableConfig& cfg) {
    for (const auto& [placeholder, value] :
         {std::pair<std::string, std::string>{"{schema}", cfg.schema},
          {"{dbtable}", cfg.dbtable}}) {
        for (size_t at = sql.find(placeholder); at != std::string::npos;
             at = sql.find(placeholder, at + value.size())) {
            sql.replace(at, placeholder.size(), value);
        }
    }
    return sql;
}

nlohmann::json report_json(util::RunReport& report, bool success, const std::string& error) {
    nlohmann::json j = util::report_to_json(report);
    j["success"] = success;
    if (!error.empty()) j["error"] = error;
    return j;
}

}  // namespace

int run_derived_table(const RunOptions& options) {
    util::RunReport report;
    report.job = "derived-table";
    report.config_path = options.config_path;
    report.start = std::chrono::system_clock::now();

    const DerivedTableConfig cfg = read_config(options.config_path);
    const std::string table = cfg.schema + "." + cfg.dbtable;
    const std::string sql = fill_template(read_dml(options.config_path, cfg.dml), cfg);
    report.tables = {table};

    if (options.dry_run) {
        std::cout << "Plan for " << options.config_path << " (dry run: nothing is changed)\n"
                  << "Rebuild " << table << " in one transaction with dml/" << cfg.dml << ":\n"
                  << sql << "\n";
        return static_cast<int>(ExitCode::Ok);
    }

    auto warehouse = warehouse::open_warehouse(warehouse_uri(options));
    spdlog::info("derived-table: rebuilding {} on {}", table, warehouse->describe());
    try {
        auto tx = warehouse->begin();
        tx->execute(sql);
        tx->commit();
    } catch (const ConfigError&) {
        throw;
    } catch (const std::exception& e) {  // the server's error: nothing was changed
        spdlog::error("derived-table: {}", e.what());
        report.end = std::chrono::system_clock::now();
        report.failed = 1;
        publish_report(
            options,
            "Error: failed to execute the transaction to prepare the " + cfg.dbtable + " DT\n",
            report_json(report, false, e.what()));
        return static_cast<int>(ExitCode::Failed);
    }
    warehouse->run_script("SELECT COUNT(*) FROM " + table, [&](const warehouse::ResultRow& r) {
        if (const auto* n = std::get_if<int64_t>(&r.values.at(0)))
            report.loaded = static_cast<uint64_t>(*n);
    });
    report.end = std::chrono::system_clock::now();
    report.processed = 1;
    spdlog::info("derived-table: {} rebuilt with {} rows", table, report.loaded);
    publish_report(options,
                   "Success: executed the transaction to prepare the " + cfg.dbtable + " DT\n",
                   report_json(report, true, {}));
    return static_cast<int>(ExitCode::Ok);
}

}  // namespace gdx::jobs
