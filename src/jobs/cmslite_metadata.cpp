// Orchestration only: select the newest object, split it into one batch per table, replace
// every table, run the post-load SQL and write the ledger row in ONE transaction.
#include "jobs/cmslite_metadata.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "config/cmslite_config.hpp"
#include "csv/batch_writer.hpp"
#include "jobs/loader_run.hpp"
#include "jobs/plan.hpp"
#include "jobs/sql_file.hpp"
#include "jobs/target_table.hpp"
#include "jobs/transform_object.hpp"
#include "transform/cmslite_split.hpp"
#include "util/progress.hpp"
#include "util/time_format.hpp"
#include "util/warnings.hpp"

namespace gdx::jobs {
namespace {

namespace fs = std::filesystem;

// One table the job replaces, with the columns its batch header names.
struct TableTarget {
    std::string name;  // qualified: <dbschema>.<table>
    std::string batch_name;
    types::TableSchema schema;
    std::vector<std::string> header() const {
        std::vector<std::string> names;
        for (const auto* c : schema.loadable_columns()) names.push_back(c->name);
        return names;
    }
};

struct Targets {
    TableTarget metadata;
    std::vector<TableTarget> dictionaries, lookups;  // parallel to columns_lookup

    std::vector<const TableTarget*> all() const {
        std::vector<const TableTarget*> t{&metadata};
        for (const auto& d : dictionaries) t.push_back(&d);
        for (const auto& l : lookups) t.push_back(&l);
        return t;
    }
};

Targets describe_targets(warehouse::Warehouse& wh, const config::CmsliteConfig& cfg) {
    auto target = [&](const std::string& table, size_t columns) {
        const std::string name = cfg.dbschema + "." + table;
        return TableTarget{name, table, require_table(wh, name, cfg.source_path, columns)};
    };
    Targets t{target("metadata", 0), {}, {}};
    for (size_t i = 0; i < cfg.columns_lookup.size(); ++i) {
        t.dictionaries.push_back(target(cfg.dbtables_dictionaries[i], 2));
        t.lookups.push_back(target(cfg.dbtables_metadata[i], 2));
    }
    return t;
}

// The export: UTF-8, the configured delimiter, a header, every TAB read as a space.
TransformSpec export_spec(const config::CmsliteConfig& cfg, const TableTarget& metadata) {
    TransformSpec spec;
    spec.encoding = csv::resolve_encoding("utf-8");
    spec.csv.delimiter = cfg.delim;
    spec.tabs_to_spaces = true;
    spec.plan = transform::cmslite_metadata_plan(cfg, metadata.schema);
    return spec;
}

std::string batch_key(const ObjectRef& ref, const TableTarget& t) {
    return ref.keys.batch + "/" + t.batch_name;
}

// Writes one committed batch object.
template <typename Fill>
void write_batch(store::ObjectStore& store, const ObjectRef& ref, const TableTarget& t,
                 Fill&& fill) {
    auto out = store.put(ref.bucket, batch_key(ref, t));
    csv::BatchWriter w(*out);
    fill(w);
    w.flush();
    out->commit();
}

// Splits one object into its batch objects (metadata, then dictionaries, then lookups). Throws
// DataError for bad data, ObjectRejected for an empty object (the tables are kept). Returns the
// data rows.
uint64_t split_object(store::ObjectStore& store, const config::CmsliteConfig& cfg,
                      const TransformSpec& spec, const Targets& targets, const ObjectRef& ref,
                      const store::ObjectInfo& object) {
    util::Progress progress(ref.key, object.size);
    auto in = store.get_listed(ref.bucket, object);
    ObjectRows rows(spec, *in, [&](uint64_t b, uint64_t r) { progress.update(b, r); });
    auto metadata_out = store.put(ref.bucket, batch_key(ref, targets.metadata));
    csv::BatchWriter metadata(*metadata_out);
    metadata.header(spec.plan.batch_header);
    transform::CmsliteSplit split(cfg, spec.plan, metadata, ref.key);
    csv::Row row;
    while (rows.next(row)) split.add(row);
    progress.finish();
    log_data_notes(ref.key, rows.stats(), spec.plan.input_columns.size());
    reject_if_empty(rows.stats(), /*empty_ok=*/false);  // never swap empty tables in
    metadata.flush();
    metadata_out->commit();

    split.finish();
    for (size_t i = 0; i < split.lookup_columns(); ++i) {
        const auto& t = targets.dictionaries[i];
        write_batch(store, ref, t,
                    [&](csv::BatchWriter& w) { split.write_dictionary(i, t.header(), w); });
    }
    for (size_t i = 0; i < split.lookup_columns(); ++i) {
        const auto& t = targets.lookups[i];
        write_batch(store, ref, t,
                    [&](csv::BatchWriter& w) { split.write_lookup(i, t.header(), w); });
    }
    return rows.stats().rows;
}

// The post-load SQL is resolved next to the config file first (as ddl/<name>, then <name>),
// then in the working directory; it is read only when there is work.
std::string read_post_load_sql(const config::CmsliteConfig& cfg) {
    fs::path dir = fs::path(cfg.source_path).parent_path();
    std::vector<fs::path> candidates = {dir / "ddl" / cfg.sql_query, dir / cfg.sql_query,
                                        dir / ".." / "ddl" / cfg.sql_query,
                                        fs::path("ddl") / cfg.sql_query, cfg.sql_query};
    std::string sql = read_sql_file(candidates, cfg.source_path, cfg.sql_query);
    for (size_t pos; (pos = sql.find("{dbschema}")) != std::string::npos;)
        sql.replace(pos, 10, cfg.dbschema);
    return sql;
}

// CPU time of the calling thread (user + system): the split's cost on one core, apart from
// the time the object store spends waiting for the disk (fsync) or the machine is busy.
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

PlanText plan_text(const config::CmsliteConfig& cfg, const Targets& targets) {
    std::string tables;
    for (const auto* t : targets.all()) tables += (tables.empty() ? "" : ", ") + t->name;
    return {
        cfg.source_path,
        cfg.destination,
        {"Tables replaced in one transaction: " + tables,
         "Then: post-load SQL " + cfg.sql_query + ", " + cfg.dbschema + ".microservice_log row"},
        "<one batch per table>"};
}

}  // namespace

int run_cmslite_metadata(const RunOptions& options) {
    LoaderRun run(options, "cmslite-metadata");
    auto cfg = config::load_cmslite_config(options.config_path);
    for (const auto& w : cfg.warnings) util::warn(w);
    run.open_backends();
    const Targets targets = describe_targets(run.warehouse(), cfg);
    // Compiles the plan: config errors surface before any work.
    const TransformSpec spec = export_spec(cfg, targets.metadata);

    run.store().require_bucket(cfg.bucket);  // its input: missing is a setting's mistake (exit 2)
    Selection sel = select_objects(run.store(), run.warehouse(),
                                   SelectionRules::at(cfg, /*file_limit=*/0, cfg.truncate));
    if (options.dry_run) {
        print_plan(std::cout, plan_text(cfg, targets), sel);
        return 0;
    }
    std::string post_load_sql;
    if (std::any_of(sel.selected.begin(), sel.selected.end(),
                    [](const Candidate& c) { return !c.repair; }))
        post_load_sql = read_post_load_sql(cfg);
    run.begin_objects(sel);

    return run.process_objects(
        sel, cfg.bucket, cfg.destination,
        [&](const store::ObjectInfo& object, const ObjectRef& ref) {
            auto split = [&] {
                const auto t0 = std::chrono::steady_clock::now();
                const double cpu0 = thread_cpu_seconds();
                const uint64_t rows = split_object(run.store(), cfg, spec, targets, ref, object);
                const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
                const double cpu = thread_cpu_seconds() - cpu0;
                const double mb = static_cast<double>(object.size) / 1e6;
                spdlog::info(
                    "{}: split {} rows into {} batch objects in {:.3f} s ({:.0f} MB/s), {:.3f} "
                    "CPU s ({:.0f} MB/s)",
                    object.key, rows, targets.all().size(), took.count(), mb / took.count(), cpu,
                    mb / cpu);
            };
            auto load = [&](warehouse::Transaction& tx) {
                uint64_t rows = 0;
                for (const auto* t : targets.all()) {
                    const uint64_t n =
                        tx.load(t->name, {&run.store(), cfg.bucket, batch_key(ref, *t)},
                                warehouse::LoadMode::Replace);
                    if (t == &targets.metadata) rows = n;
                }
                execute_in_load(tx, post_load_sql, "post-load SQL");
                post_load_step("microservice_log insert", [&] {
                    tx.insert_row(cfg.dbschema + ".microservice_log",
                                  {util::format_python_local(run.report().start),
                                   util::format_python_local(std::chrono::system_clock::now())});
                });
                return rows;
            };
            auto outcome = run.write_then_commit(object, ref, split, load);
            if (outcome == ObjectOutcome::Good)
                for (const auto* t : targets.all()) run.report().tables.push_back(t->name);
            return outcome;
        });
}

}  // namespace gdx::jobs
