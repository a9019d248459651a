#include "transform/cmslite_split.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "transform/nested_cell.hpp"
#include "util/contains.hpp"
#include "util/error.hpp"

namespace gdx::transform {
namespace {

using util::contains;

int field_of(const std::vector<std::string>& names, const std::string& name) {
    auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

// columns_metadata as column edits of the data's columns: the others dropped, absent ones
// added as missing, replace (whole-cell) and dateformat of the kept ones.
ColumnEdits metadata_edits(const config::CmsliteConfig& cfg,
                           const std::vector<std::string>& names) {
    ColumnEdits e;
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
    return e;
}

}  // namespace

ColumnPlan cmslite_metadata_plan(const config::CmsliteConfig& cfg,
                                 const types::TableSchema& metadata) {
    auto plan = [&] {
        try {
            return compile_column_plan(metadata_edits(cfg, config::cmslite_column_names(cfg)),
                                       nullptr);
        } catch (const ConfigError& err) {
            throw ConfigError(cfg.source_path + ": " + err.what());  // which file's rule
        }
    }();

    // Output order = columns_metadata (COPY is positional), then bind the table's types.
    std::vector<ColumnProgram> ordered;
    for (const auto& n : cfg.columns_metadata)
        for (auto& p : plan.outputs)
            if (p.name == n) ordered.push_back(p);
    plan.outputs = std::move(ordered);
    auto loadable = metadata.loadable_columns();
    if (loadable.size() != plan.outputs.size())
        throw ConfigError(fmt::format("{}: columns_metadata has {} columns but table {} has {}",
                                      cfg.source_path, plan.outputs.size(), metadata.name,
                                      loadable.size()));
    plan.batch_header.clear();
    for (size_t i = 0; i < loadable.size(); ++i) {
        plan.outputs[i].target = loadable[i]->type;
        plan.outputs[i].date_only = loadable[i]->type.kind == types::TypeKind::Date;
        plan.batch_header.push_back(loadable[i]->name);
    }
    return plan;
}

CmsliteSplit::CmsliteSplit(const config::CmsliteConfig& cfg, const ColumnPlan& plan,
                           csv::BatchWriter& metadata, std::string label)
    : cfg_(cfg),
      plan_(plan),
      metadata_(metadata),
      label_(std::move(label)),
      transformer_(plan),
      node_field_(field_of(plan.input_columns, "node_id")) {
    for (const auto& col : cfg.columns_lookup) {
        NestedSource s;
        s.field = field_of(plan.input_columns, col);
        for (const auto& r : cfg.replace)
            if (r.field == col) s.replace.emplace_back(r.old_value, r.new_value);
        sources_.push_back(std::move(s));
        nested_.emplace_back(cfg.nested_delim);
    }
}

void CmsliteSplit::add(const csv::Row& row) {
    transformer_.write_row(row, metadata_);
    const auto r = keys_.add(cell(row, node_field_, {}).value_or(std::string_view{}));
    for (size_t i = 0; i < sources_.size(); ++i) {
        auto v = cell(row, sources_[i].field, sources_[i].replace);
        if (!v) continue;
        if (!nested_cell_is_wrapped(*v, cfg_.nested_delim) && unwrapped_cells_++ == 0)
            spdlog::warn("{}: line {}: {} cell '{}' does not start and end with '{}'", label_,
                         row.line(), cfg_.columns_lookup[i], shown_value(*v), cfg_.nested_delim);
        nested_[i].stage_cell(r, *v);
    }
    for (auto& column : nested_) column.commit_staged();  // the row's look-ups overlap
}

void CmsliteSplit::finish() {
    if (unwrapped_cells_)
        spdlog::warn("{}: {} nested cells do not start and end with '{}'", label_, unwrapped_cells_,
                     cfg_.nested_delim);
    for (auto& column : nested_) column.finalize();
}

void CmsliteSplit::write_dictionary(size_t i, const std::vector<std::string>& header,
                                    csv::BatchWriter& out) const {
    nested_[i].write_dictionary(header, out);
}

void CmsliteSplit::write_lookup(size_t i, const std::vector<std::string>& header,
                                csv::BatchWriter& out) const {
    nested_[i].write_lookup(keys_, header, out);
}

std::optional<std::string_view> CmsliteSplit::cell(
    const csv::Row& row, int field,
    const std::vector<std::pair<std::string, std::string>>& replace) const {
    if (field < 0 || static_cast<size_t>(field) >= row.size()) return std::nullopt;
    std::string_view v = row[static_cast<size_t>(field)];
    if (plan_.na.contains(v)) return std::nullopt;
    for (const auto& [from, to] : replace)
        if (v == from) v = to;
    return v;
}

}  // namespace gdx::transform
