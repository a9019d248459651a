#include "transform/column_plan.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "util/contains.hpp"
#include "util/error.hpp"

namespace gdx::transform {
namespace {

using util::contains;

ColumnProgram* find_output(std::vector<ColumnProgram>& outputs, const std::string& name,
                           const char* edit) {
    for (auto& p : outputs)
        if (p.name == name) return &p;
    throw ConfigError(
        fmt::format("{} names column '{}', which is not a column of the output", edit, name));
}

std::string join(const std::vector<std::string>& names) {
    return fmt::format("{}", fmt::join(names, ", "));
}

// Binds the outputs positionally to the table's loadable columns, as Redshift COPY does.
void bind_target(ColumnPlan& plan, const types::TableSchema& target) {
    auto loadable = target.loadable_columns();
    if (loadable.size() != plan.outputs.size()) {
        std::vector<std::string> out_names, table_names;
        for (auto& p : plan.outputs) out_names.push_back(p.name);
        for (auto* c : loadable) table_names.push_back(c->name);
        throw ConfigError(fmt::format(
            "the config produces {} columns ({}) but table {} has {} loadable columns ({})",
            out_names.size(), join(out_names), target.name, table_names.size(), join(table_names)));
    }
    for (size_t i = 0; i < loadable.size(); ++i) {
        plan.outputs[i].target = loadable[i]->type;
        plan.outputs[i].date_only = loadable[i]->type.kind == types::TypeKind::Date;
        plan.batch_header.push_back(loadable[i]->name);
    }
}

}  // namespace

ColumnPlan compile_column_plan(const ColumnEdits& edits, const types::TableSchema* target) {
    ColumnPlan plan;
    plan.input_columns = edits.columns;
    plan.na = NaTokens(edits.keep_default_na, edits.na_values);
    std::vector<std::string> not_text = edits.na_values;
    not_text.emplace_back("-");
    plan.missing_not_text = NaTokens(edits.keep_default_na, not_text);

    for (size_t i = 0; i < edits.columns.size(); ++i) {
        ColumnProgram p;
        p.name = edits.columns[i];
        p.source = static_cast<int>(i);
        p.check_bool = contains(edits.bools, p.name);
        p.check_float = contains(edits.floats, p.name);
        plan.outputs.push_back(std::move(p));
    }
    // Edits in the original's order: string limit, drop, add, replace, dateformat, int cast.
    for (const auto& [name, limit] : edits.string_limits) {
        if (limit <= 0)
            throw ConfigError(fmt::format("column_string_limit for '{}' must be positive", name));
        find_output(plan.outputs, name, "column_string_limit")->byte_limit = limit;
    }
    for (const auto& name : edits.drop) {
        find_output(plan.outputs, name, "drop_columns");
        std::erase_if(plan.outputs, [&](const ColumnProgram& p) { return p.name == name; });
    }
    for (const auto& [name, value] : edits.add) {
        // Compared through a plain reference: clang before 16 cannot capture a structured
        // binding (the fuzz build, docs/reliability.md, uses clang).
        const std::string& added = name;
        auto it = std::find_if(plan.outputs.begin(), plan.outputs.end(),
                               [&](const ColumnProgram& p) { return p.name == added; });
        ColumnProgram p;
        p.name = name;
        p.constant = value;
        if (it != plan.outputs.end())
            *it = std::move(p);  // overwrites in place, as pandas column assignment does
        else
            plan.outputs.push_back(std::move(p));
    }
    for (const auto& r : edits.replace) {
        ReplaceRule rule{r.old_value, r.new_value, std::nullopt};
        if (r.regex) {
            // A bad template must fail here, as a config error, not in the middle of a load.
            try {
                rule.regex = util::PyRegex::compile(r.old_value);
                rule.regex->check_template(r.new_value);
            } catch (const ConfigError& e) {
                throw ConfigError(
                    fmt::format("replace rule on column '{}': {}", r.field, e.what()));
            }
        }
        find_output(plan.outputs, r.field, "replace")->replace.push_back(std::move(rule));
    }
    for (const auto& d : edits.dates) {
        ColumnProgram* p = find_output(plan.outputs, d.field, "dateformat");
        try {
            if (d.iso_input) {
                p->iso_to_format = StrftimeFormat::compile(d.format);
            } else {
                p->date = StrptimeFormat::compile(d.format);
            }
        } catch (const ConfigError& e) {
            throw ConfigError(fmt::format("dateformat rule on column '{}': {}", d.field, e.what()));
        }
        p->date_format = d.format;
    }
    for (const auto& name : edits.ints) {
        auto it = std::find_if(plan.outputs.begin(), plan.outputs.end(),
                               [&](const ColumnProgram& p) { return p.name == name; });
        if (it != plan.outputs.end()) it->to_int = true;  // a dropped int column is no error
    }

    if (target) {
        bind_target(plan, *target);
    } else {
        for (auto& p : plan.outputs) plan.batch_header.push_back(p.name);
    }
    return plan;
}

}  // namespace gdx::transform
