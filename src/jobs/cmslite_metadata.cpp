// Orchestration only: select the newest object, split it into one batch per table, replace
// every table, run the post-load SQL and write the ledger row in ONE transaction.
#include "jobs/cmslite_metadata.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <variant>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/cmslite_config.hpp"
#include "csv/batch_writer.hpp"
#include "csv/byte_source.hpp"
#include "csv/csv_reader.hpp"
#include "csv/encoding.hpp"
#include "jobs/loader_run.hpp"
#include "jobs/sql_file.hpp"
#include "transform/column_plan.hpp"
#include "transform/dictionary_builder.hpp"
#include "transform/nested_cell.hpp"
#include "transform/pipeline.hpp"
#include "util/contains.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"
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
};

TableTarget describe(warehouse::Warehouse& wh, const config::CmsliteConfig& cfg,
                     const std::string& table, size_t columns) {
    std::string name = cfg.dbschema + "." + table;
    auto schema = wh.describe_table(name);
    if (!schema)
        throw ConfigError(fmt::format(
            "{}: table {} does not exist in {} (create it first, e.g. gdx sql -f <ddl file>)",
            cfg.source_path, name, wh.describe()));
    if (columns && schema->loadable_columns().size() != columns)
        throw ConfigError(fmt::format("{}: table {} has {} loadable columns, expected {}",
                                      cfg.source_path, name, schema->loadable_columns().size(),
                                      columns));
    return {name, table, std::move(*schema)};
}

Targets describe_targets(warehouse::Warehouse& wh, const config::CmsliteConfig& cfg) {
    Targets t{describe(wh, cfg, "metadata", 0), {}, {}};
    for (size_t i = 0; i < cfg.columns_lookup.size(); ++i) {
        t.dictionaries.push_back(describe(wh, cfg, cfg.dbtables_dictionaries[i], 2));
        t.lookups.push_back(describe(wh, cfg, cfg.dbtables_metadata[i], 2));
    }
    return t;
}

using util::contains;

// The metadata table's column pipeline: columns_metadata in order (names absent from the data
// are missing), `replace` as whole-cell matches (docs/differences.md) and `dateformat`, bound
// positionally to the table's types so that a value the warehouse would reject fails with its line.
transform::ColumnPlan metadata_plan(const config::CmsliteConfig& cfg,
                                    const std::vector<std::string>& names,
                                    const types::TableSchema& table) {
    transform::ColumnEdits e;
    e.columns = names;
    for (const auto& n : names)
        if (!contains(cfg.columns_metadata, n)) e.drop.push_back(n);
    for (const auto& n : cfg.columns_metadata)
        if (!contains(names, n)) e.add.emplace_back(n, std::nullopt);
    for (const auto& r : cfg.replace)
        if (contains(cfg.columns_metadata, r.field))
            e.replace.push_back({r.field, r.old_value, r.new_value, false});
    for (const auto& d : cfg.dateformat)
        if (contains(cfg.columns_metadata, d.field))
            e.dates.push_back({d.field, d.format, /*iso_input=*/true});
    auto plan = [&] {
        try {
            return transform::compile_column_plan(e, nullptr);
        } catch (const ConfigError& err) {
            throw ConfigError(cfg.source_path + ": " + err.what());  // which file's rule
        }
    }();

    // Output order = columns_metadata (COPY is positional), then bind the table's types.
    std::vector<transform::ColumnProgram> ordered;
    for (const auto& n : cfg.columns_metadata)
        for (auto& p : plan.outputs)
            if (p.name == n) ordered.push_back(p);
    plan.outputs = std::move(ordered);
    auto loadable = table.loadable_columns();
    if (loadable.size() != plan.outputs.size())
        throw ConfigError(fmt::format("{}: columns_metadata has {} columns but table {} has {}",
                                      cfg.source_path, plan.outputs.size(), table.name,
                                      loadable.size()));
    plan.batch_header.clear();
    for (size_t i = 0; i < loadable.size(); ++i) {
        plan.outputs[i].target = loadable[i]->type;
        plan.outputs[i].date_only = loadable[i]->type.kind == types::TypeKind::Date;
        plan.batch_header.push_back(loadable[i]->name);
    }
    return plan;
}

// The original replaced every TAB of the decoded text by a space before parsing (kept from the
// original, docs/differences.md).
class TabToSpace : public csv::ByteSource {
public:
    explicit TabToSpace(csv::ByteSource& in) : in_(in) {}
    size_t read(char* dst, size_t capacity) override {
        size_t n = in_.read(dst, capacity);
        for (char* p = dst; (p = static_cast<char*>(std::memchr(p, '\t', dst + n - p)));) *p = ' ';
        return n;
    }

private:
    csv::ByteSource& in_;
};

// Where each lookup column and the node_id come from in a parsed row.
struct NestedSource {
    int field = -1;  // input field, -1 when the column is not in the data (always missing)
    std::vector<std::pair<std::string, std::string>> replace;  // whole-cell
};

struct SplitStats {
    uint64_t rows = 0;
    bool no_columns = false;
    uint64_t unwrapped_cells = 0;  // unwrapped nested cells, warned about
};

int field_of(const std::vector<std::string>& names, const std::string& name) {
    auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

class Splitter {
public:
    Splitter(const config::CmsliteConfig& cfg, const Targets& targets)
        : cfg_(cfg),
          targets_(targets),
          names_(config::cmslite_column_names(cfg)),
          plan_(metadata_plan(cfg, names_, targets.metadata.schema)),
          node_field_(field_of(names_, "node_id")) {
        for (const auto& col : cfg.columns_lookup) {
            NestedSource s;
            s.field = field_of(names_, col);
            for (const auto& r : cfg.replace)
                if (r.field == col) s.replace.emplace_back(r.old_value, r.new_value);
            sources_.push_back(std::move(s));
        }
    }

    // Writes every batch of one object under `batch_folder`; throws DataError on bad data.
    SplitStats split(store::ObjectStore& store, const ObjectRef& ref, uint64_t size) {
        util::Progress progress(ref.key, size);
        SplitStats stats;
        std::vector<transform::NestedColumn> nested;
        for (size_t i = 0; i < sources_.size(); ++i) nested.emplace_back(cfg_.nested_delim);
        transform::RowKeys keys;

        auto in = store.get(ref.bucket, ref.key);
        csv::CountingSource raw(*in);
        auto decoded = csv::make_decoder(raw, csv::resolve_encoding("utf-8"));
        TabToSpace cleaned(*decoded);
        csv::CsvOptions opts;
        opts.delimiter = cfg_.delim;
        csv::CsvReader reader(cleaned, opts);
        auto meta_out = store.put(ref.bucket, batch_key(ref, targets_.metadata));
        csv::BatchWriter writer(*meta_out);
        transform::RowTransformer transformer(plan_);
        writer.header(plan_.batch_header);

        csv::Row row;
        bool first = true;
        const size_t column_count = names_.size();
        while (reader.next(row)) {
            if (first) {
                first = false;
                if (row.size() < column_count) {
                    DataErrorInfo info;
                    info.what = fmt::format("the header has {} fields but column_count is {}",
                                            row.size(), column_count);
                    info.line = row.line();
                    throw DataError(std::move(info));
                }
                continue;
            }
            transformer.write_row(row, writer);
            const auto r = keys.add(cell(row, node_field_, {}).value_or(std::string_view{}));
            for (size_t i = 0; i < sources_.size(); ++i) {
                auto v = cell(row, sources_[i].field, sources_[i].replace);
                if (!v) continue;
                if (!transform::nested_cell_is_wrapped(*v, cfg_.nested_delim) &&
                    stats.unwrapped_cells++ == 0)
                    spdlog::warn("{}: line {}: {} cell '{}' does not start and end with '{}'",
                                 ref.key, row.line(), cfg_.columns_lookup[i], *v,
                                 cfg_.nested_delim);
                nested[i].stage_cell(r, *v);
            }
            for (auto& column : nested) column.commit_staged();  // the row's look-ups overlap
            if ((++stats.rows & 0xffff) == 0) progress.update(raw.bytes, stats.rows);
        }
        stats.no_columns = first;
        writer.flush();
        meta_out->commit();
        progress.finish();
        if (stats.unwrapped_cells)
            spdlog::warn("{}: {} nested cells do not start and end with '{}'", ref.key,
                         stats.unwrapped_cells, cfg_.nested_delim);

        for (size_t i = 0; i < nested.size(); ++i) {
            nested[i].finalize();
            write(store, ref, targets_.dictionaries[i], [&](csv::BatchWriter& w) {
                nested[i].write_dictionary(targets_.dictionaries[i].header(), w);
            });
        }
        for (size_t i = 0; i < nested.size(); ++i)
            write(store, ref, targets_.lookups[i], [&](csv::BatchWriter& w) {
                nested[i].write_lookup(keys, targets_.lookups[i].header(), w);
            });
        return stats;
    }

    static std::string batch_key(const ObjectRef& ref, const TableTarget& t) {
        return ref.keys.batch + "/" + t.batch_name;
    }

private:
    // The text of a field after NA and whole-cell replace; nullopt when missing.
    std::optional<std::string_view> cell(
        const csv::Row& row, int field,
        const std::vector<std::pair<std::string, std::string>>& replace) const {
        if (field < 0 || static_cast<size_t>(field) >= row.size()) return std::nullopt;
        std::string_view v = row[static_cast<size_t>(field)];
        if (plan_.na.contains(v)) return std::nullopt;
        for (const auto& [from, to] : replace)
            if (v == from) v = to;
        return v;
    }

    template <typename Fn>
    void write(store::ObjectStore& store, const ObjectRef& ref, const TableTarget& t, Fn&& fill) {
        auto out = store.put(ref.bucket, batch_key(ref, t));
        csv::BatchWriter w(*out);
        fill(w);
        w.flush();
        out->commit();
    }

    const config::CmsliteConfig& cfg_;
    const Targets& targets_;
    std::vector<std::string> names_;
    transform::ColumnPlan plan_;
    int node_field_;
    std::vector<NestedSource> sources_;
};

// The post-load SQL is resolved next to the config file first (as ddl/<name>, then
// <name>), then in the working directory; it is read only when there is work.
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

// Python str(datetime.now()): local wall clock, microseconds omitted when zero.
std::string python_now_text(std::chrono::system_clock::time_point tp) {
    auto t = std::chrono::system_clock::to_time_t(tp);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(tp.time_since_epoch()) %
              std::chrono::seconds(1);
    std::tm tm{};
    localtime_r(&t, &tm);
    std::string s = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (us.count()) s += fmt::format(".{:06}", us.count());
    return s;
}

void print_plan(const config::CmsliteConfig& cfg, const Targets& t, const Selection& sel) {
    std::cout << "Plan for " << cfg.source_path << " (dry run: nothing is changed)\n";
    std::cout << "Tables replaced in one transaction: " << t.metadata.name;
    for (const auto& d : t.dictionaries) std::cout << ", " << d.name;
    for (const auto& l : t.lookups) std::cout << ", " << l.name;
    std::cout << "\nThen: post-load SQL " << cfg.sql_query << ", " << cfg.dbschema
              << ".microservice_log row\n";
    for (const auto& key : sel.already_processed) std::cout << "  " << skip_line(sel, key) << "\n";
    for (const auto& c : sel.selected) {
        auto keys = object_keys(cfg.destination, c.object.key);
        std::cout << (c.repair ? "  repair: " : "  load: ") << c.object.key << " -> batch "
                  << keys.batch << "/<table> -> " << keys.good << "\n";
    }
    if (sel.selected.empty()) std::cout << "  nothing to load\n";
}

}  // namespace

int run_cmslite_metadata(const RunOptions& options) {
    LoaderRun run(options, "cmslite-metadata");
    auto cfg = config::load_cmslite_config(options.config_path);
    for (const auto& w : cfg.warnings) util::warn(w);
    run.open_backends();
    const Targets targets = describe_targets(run.warehouse(), cfg);
    Splitter splitter(cfg, targets);  // compiles the plan: config errors surface before work

    run.store().require_bucket(cfg.bucket);  // its input: missing is a setting's mistake (exit 2)
    Selection sel = select_objects(run.store(), run.warehouse(),
                                   SelectionRules::at(cfg, /*file_limit=*/0, cfg.truncate));
    if (options.dry_run) {
        print_plan(cfg, targets, sel);
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
            std::variant<SplitStats, Failure> split = Failure::simple("empty", "");
            try {
                const auto t0 = std::chrono::steady_clock::now();
                const double cpu0 = thread_cpu_seconds();
                split = splitter.split(run.store(), ref, object.size);
                const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
                const double cpu = thread_cpu_seconds() - cpu0;
                spdlog::info(
                    "{}: split {} rows into {} batch objects in {:.3f} s ({:.0f} MB/s), {:.3f} "
                    "CPU s ({:.0f} MB/s)",
                    object.key, std::get<SplitStats>(split).rows, 1 + 2 * cfg.columns_lookup.size(),
                    took.count(), static_cast<double>(object.size) / 1e6 / took.count(), cpu,
                    static_cast<double>(object.size) / 1e6 / cpu);
            } catch (const DataError& e) {
                split = Failure::from_data_path(e);
            }
            if (auto* f = std::get_if<Failure>(&split)) {
                run.mark_bad(ref, *f);
                return ObjectOutcome::Bad;
            }
            if (auto& stats = std::get<SplitStats>(split); stats.rows == 0) {
                // Never swap empty tables in (docs/differences.md).
                run.mark_bad(
                    ref,
                    Failure::simple("empty", stats.no_columns ? "the object has no columns"
                                                              : "the object has a header but no "
                                                                "data rows; the tables are kept"),
                    true);
                return ObjectOutcome::Bad;
            }
            auto outcome = run.commit_object(object, ref, [&](warehouse::Transaction& tx) {
                auto load = [&](const TableTarget& t) {
                    return tx.load(t.name, {&run.store(), cfg.bucket, Splitter::batch_key(ref, t)},
                                   warehouse::LoadMode::Replace);
                };
                uint64_t rows = load(targets.metadata);
                for (const auto& t : targets.dictionaries) load(t);
                for (const auto& t : targets.lookups) load(t);
                execute_in_load(tx, post_load_sql, "post-load SQL");
                execute_in_load(tx,
                                fmt::format("INSERT INTO {}.microservice_log VALUES ('{}', '{}')",
                                            cfg.dbschema, python_now_text(run.report().start),
                                            python_now_text(std::chrono::system_clock::now())),
                                "microservice_log insert");
                return rows;
            });
            if (outcome == ObjectOutcome::Good) {
                auto& tables = run.report().tables;
                tables.push_back(targets.metadata.name);
                for (const auto& t : targets.dictionaries) tables.push_back(t.name);
                for (const auto& t : targets.lookups) tables.push_back(t.name);
            }
            return outcome;
        });
}

}  // namespace gdx::jobs
