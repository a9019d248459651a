#include "jobs/api_load.hpp"

#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "google/settings.hpp"
#include "jobs/selection.hpp"
#include "util/crash_point.hpp"
#include "util/error.hpp"
#include "util/interrupt.hpp"
#include "util/redact.hpp"

namespace gdx::jobs {
namespace {

std::string sql_literal(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\\')
            throw ConfigError("a value compared in SQL must not contain a backslash: " + text);
        out += c;
        if (c == '\'') out += '\'';
    }
    return out + "'";
}

date::sys_days loaded_date(const std::string& text, const std::string& table,
                           const std::string& value) {
    auto day = google::parse_iso_date(std::string_view(text).substr(0, 10));
    if (!day)
        throw BackendError(
            fmt::format("MAX(date) of {} for {} is not a date: {}", table, value, text));
    return *day;
}

std::string text_value(const warehouse::ResultRow& row, size_t i) {
    return i < row.values.size() && std::holds_alternative<std::string>(row.values[i])
               ? std::get<std::string>(row.values[i])
               : std::string();
}

}  // namespace

std::optional<date::sys_days> last_loaded_date(warehouse::Warehouse& warehouse,
                                               const std::string& table, const std::string& column,
                                               const std::string& value) {
    std::string text;
    warehouse.run_script(
        fmt::format("SELECT MAX(date) FROM {} WHERE {} = {}", table, column, sql_literal(value)),
        [&](const warehouse::ResultRow& row) { text = text_value(row, 0); });
    if (text.empty()) return std::nullopt;
    return loaded_date(text, table, value);
}

std::map<std::string, date::sys_days> last_loaded_dates(warehouse::Warehouse& warehouse,
                                                        const std::string& table,
                                                        const std::string& column) {
    std::map<std::string, date::sys_days> out;
    warehouse.run_script(fmt::format("SELECT {0}, MAX(date) FROM {1} GROUP BY {0}", column, table),
                         [&](const warehouse::ResultRow& row) {
                             const std::string key = text_value(row, 0), text = text_value(row, 1);
                             if (!text.empty()) out.emplace(key, loaded_date(text, table, key));
                         });
    return out;
}

void repair_leftovers(LoaderRun& run, const std::string& bucket, const std::string& prefix,
                      const std::string& doc, const std::string& destination) {
    Selection leftovers = select_objects(
        run.store(), run.warehouse(), SelectionRules{bucket, prefix, doc, destination, 0, false});
    for (const auto& c : leftovers.selected)
        if (c.repair) run.repair(run.object_ref(bucket, destination, c.object.key), c.object);
}

std::optional<store::ObjectInfo> unloaded_object(LoaderRun& run, const std::string& bucket,
                                                 const std::string& key_start,
                                                 const std::string& destination) {
    const std::string dir = key_start.substr(0, key_start.rfind('/') + 1);
    Selection sel = select_objects(run.store(), run.warehouse(),
                                   SelectionRules{bucket, dir, ".*", destination, 0, false});
    std::optional<store::ObjectInfo> last;
    for (auto& c : sel.selected) {
        if (c.repair || c.object.key.rfind(key_start, 0) != 0) continue;
        if (!last || c.object.key > last->key) last = std::move(c.object);
    }
    return last;
}

int run_api_loop(const std::function<int()>& loop, bool& interrupted,
                 const std::string& what_stops) {
    try {
        return loop();
    } catch (const Interrupted&) {
        spdlog::warn("interrupted (SIGINT): {}", what_stops);
        interrupted = true;
        return util::kInterruptedExit;
    } catch (const BackendError& e) {
        spdlog::error("stopping ({} failure): {}", kind_name(e.kind()), e.what());
        std::cerr << "gdx: error: " << util::redact(e.what()) << "\n";
        return 1;
    }
}

StoredLoad load_stored_object(LoaderRun& run, const std::string& bucket,
                              const std::string& destination, const std::string& key,
                              const TransformSpec& spec, const std::string& table) {
    StoredLoad out{ObjectOutcome::Bad, "s3://" + bucket + "/" + key};
    auto info = run.store().head(bucket, key);
    if (!info) throw BackendError("the object just written is missing: " + out.url);
    spdlog::info("wrote {}: {} bytes", out.url, info->size);
    util::crash_point("after_api_object");  // fetched and stored, not loaded
    ObjectRef ref = run.object_ref(bucket, destination, key);
    out.outcome = run.load_object(
        *info, ref,
        [&](store::ObjectWriter& batch) {
            auto in = run.store().get_listed(bucket, *info);
            transform_object(spec, *in, batch);
        },
        [&](warehouse::Transaction& tx, const warehouse::BatchRef& batch) {
            return tx.load(table, batch, warehouse::LoadMode::Append);
        });
    return out;
}

}  // namespace gdx::jobs
