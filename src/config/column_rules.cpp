#include "config/column_rules.hpp"

#include <fmt/format.h>

#include "config/config_object.hpp"
#include "util/error.hpp"
#include "util/python_regex.hpp"

namespace gdx::config {

std::vector<ReplaceRule> read_replace_rules(ConfigObject& cfg, const FieldCheck& check_field) {
    std::vector<ReplaceRule> rules;
    const auto* list = rule_list(cfg, "replace");
    if (!list) return rules;
    for (size_t i = 0; i < list->size(); ++i) {
        const auto& r = (*list)[i];
        ReplaceRule rule;
        rule.field = rule_string(cfg, "replace", i, r, "field");
        rule.old_value = rule_string(cfg, "replace", i, r, "old");
        rule.new_value = rule_string(cfg, "replace", i, r, "new");
        if (auto it = r.find("regex"); it != r.end()) rule.regex = python_truthy(*it);
        warn_unknown_members(cfg, "replace", i, r, {"field", "old", "new", "regex"});
        check_field("replace", i, rule.field);
        if (rule.regex) {
            try {
                util::PyRegex::compile(rule.old_value).check_template(rule.new_value);
            } catch (const ConfigError& e) {
                cfg.fail("replace", fmt::format("entry {}: {}", i + 1, e.what()));
            }
        }
        rules.push_back(std::move(rule));
    }
    return rules;
}

std::vector<DateFormatRule> read_dateformat_rules(ConfigObject& cfg,
                                                  const FieldCheck& check_field) {
    std::vector<DateFormatRule> rules;
    const auto* list = rule_list(cfg, "dateformat");
    if (!list) return rules;
    for (size_t i = 0; i < list->size(); ++i) {
        const auto& r = (*list)[i];
        DateFormatRule rule;
        rule.field = rule_string(cfg, "dateformat", i, r, "field");
        rule.format = rule_string(cfg, "dateformat", i, r, "format");
        if (rule.format.empty())
            cfg.fail("dateformat", fmt::format("entry {}: \"format\" is empty", i + 1));
        warn_unknown_members(cfg, "dateformat", i, r, {"field", "format"});
        check_field("dateformat", i, rule.field);
        rules.push_back(std::move(rule));
    }
    return rules;
}

}  // namespace gdx::config
