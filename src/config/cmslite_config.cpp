#include "config/cmslite_config.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "config/config_object.hpp"
#include "config/json_file.hpp"
#include "util/contains.hpp"
#include "util/error.hpp"

namespace gdx::config {
using util::contains;

std::vector<std::string> cmslite_column_names(const CmsliteConfig& c) {
    std::vector<std::string> names = c.columns;
    for (const auto& r : c.rename)
        for (auto& n : names)
            if (n == r.old_name) n = r.new_name;
    return names;
}

CmsliteConfig parse_cmslite_config(const nlohmann::ordered_json& json,
                                   const std::string& source_name) {
    ConfigObject cfg(json, source_name);
    CmsliteConfig c;
    c.source_path = source_name;
    c.raw = json;

    static_cast<ObjectLocation&>(c) = read_object_location(cfg);
    if (auto s = cfg.optional_string("dbschema")) {
        if (s->empty()) cfg.fail("dbschema", "must not be empty");
        c.dbschema = *s;
    }
    c.dbtable = cfg.required_string("dbtable");
    c.columns = column_list(cfg);
    c.column_count = static_cast<int64_t>(c.columns.size());
    c.columns_metadata = cfg.required_string_list("columns_metadata");
    if (c.columns_metadata.empty()) cfg.fail("columns_metadata", "must not be empty");
    c.columns_lookup = cfg.required_string_list("columns_lookup");
    c.dbtables_dictionaries = cfg.required_string_list("dbtables_dictionaries");
    c.dbtables_metadata = cfg.required_string_list("dbtables_metadata");
    const std::pair<const char*, const std::vector<std::string>*> table_lists[] = {
        {"dbtables_dictionaries", &c.dbtables_dictionaries},
        {"dbtables_metadata", &c.dbtables_metadata}};
    for (const auto& [key, list_ptr] : table_lists) {
        const auto& list = *list_ptr;
        if (list.size() < c.columns_lookup.size())
            cfg.fail(key, fmt::format("has {} entries but \"columns_lookup\" has {}", list.size(),
                                      c.columns_lookup.size()));
        if (list.size() > c.columns_lookup.size())
            cfg.warn(
                fmt::format("{}: key \"{}\" has {} entries but \"columns_lookup\" has {}; "
                            "the extra ones are ignored",
                            source_name, key, list.size(), c.columns_lookup.size()));
        for (size_t i = 0; i < c.columns_lookup.size(); ++i)
            if (list[i].empty())
                cfg.fail(key, fmt::format("entry {} is an empty table name", i + 1));
    }
    c.nested_delim = single_char_key(cfg, "nested_delim");
    c.delim = single_char_key(cfg, "delim");
    if (c.nested_delim == c.delim) cfg.fail("nested_delim", "must differ from \"delim\"");
    if (!cfg.find("sql_query"))
        cfg.fail("sql_query", "is required but missing (set the post-load SQL file name)");
    c.sql_query = cfg.required_string("sql_query");
    c.dtype_dic_strings = cfg.string_list("dtype_dic_strings");
    c.truncate = cfg.required_flag("truncate");

    if (const auto* v = rule_list(cfg, "rename")) {
        for (size_t i = 0; i < v->size(); ++i) {
            RenameRule r{rule_string(cfg, "rename", i, (*v)[i], "old"),
                         rule_string(cfg, "rename", i, (*v)[i], "new")};
            if (r.new_name.empty())
                cfg.fail("rename", fmt::format("entry {}: \"new\" is empty", i + 1));
            // pandas' rename ignores a name it does not find, and so does gdx; say so.
            if (!contains(c.columns, r.old_name) &&
                std::none_of(c.rename.begin(), c.rename.end(),
                             [&](const RenameRule& e) { return e.new_name == r.old_name; }))
                cfg.warn(
                    fmt::format("{}: key \"rename\" entry {}: column \"{}\" is not in "
                                "\"columns\"; the entry renames nothing",
                                source_name, i + 1, r.old_name));
            c.rename.push_back(std::move(r));
        }
    }
    const auto names = cmslite_column_names(c);
    const FieldCheck check = [&](const std::string& key, size_t i, const std::string& field) {
        if (!contains(names, field))
            cfg.fail(key, fmt::format("entry {} names column \"{}\", which is not in \"columns\"",
                                      i + 1, field));
    };
    c.replace = read_replace_rules(cfg, check);
    c.dateformat = read_dateformat_rules(cfg, check);
    for (size_t i = 0; i < c.columns_lookup.size(); ++i)
        if (!contains(names, c.columns_lookup[i]))
            cfg.fail("columns_lookup",
                     fmt::format("entry {} names column \"{}\", which is not in \"columns\"", i + 1,
                                 c.columns_lookup[i]));

    c.warnings = cfg.finish_warnings();
    return c;
}

CmsliteConfig load_cmslite_config(const std::filesystem::path& path) {
    return parse_cmslite_config(load_json_file(path), path.string());
}

}  // namespace gdx::config
