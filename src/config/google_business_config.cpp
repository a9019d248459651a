#include "config/google_business_config.hpp"

#include <set>

#include <fmt/format.h>

#include "config/config_object.hpp"
#include "config/json_file.hpp"
#include "util/error.hpp"

namespace gdx::config {
namespace {

using nlohmann::ordered_json;

// "" and null mean "the default"; anything else must be a date.
std::optional<std::string> optional_date(ConfigObject& cfg, const ordered_json& group,
                                         const std::string& where, const char* key) {
    auto it = group.find(key);
    if (it == group.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty()))
        return std::nullopt;
    if (!it->is_string() || !is_iso_date(it->get<std::string>()))
        cfg.fail(where + "." + key, "must be \"\" or a date YYYY-MM-DD");
    return it->get<std::string>();
}

std::string group_string(ConfigObject& cfg, const ordered_json& group, const std::string& where,
                         const char* key) {
    auto it = group.find(key);
    if (it == group.end() || !it->is_string() || it->get<std::string>().empty())
        cfg.fail(where + "." + key, "must be a non-empty string");
    return it->get<std::string>();
}

GoogleBusinessGroup parse_group(ConfigObject& cfg, const ordered_json& g,
                                const std::string& where) {
    if (!g.is_object()) cfg.fail(where, "must be an object");
    GoogleBusinessGroup out;
    out.client_shortname = group_string(cfg, g, where, "client_shortname");
    if (out.client_shortname.find('/') != std::string::npos)
        cfg.fail(where + ".client_shortname", "must not contain '/' (it is one key level)");
    out.name = group_string(cfg, g, where, "name");
    auto id = g.find("id");
    if (id != g.end() && id->is_number_integer())
        out.id = std::to_string(id->get<int64_t>());
    else if (id != g.end() && id->is_string() && !id->get<std::string>().empty())
        out.id = id->get<std::string>();
    else
        cfg.fail(where + ".id", "must be the account number (a number or a string)");
    out.start_date = optional_date(cfg, g, where, "start_date");
    out.end_date = optional_date(cfg, g, where, "end_date");
    for (const auto& [key, value] : g.items())
        if (key != "client_shortname" && key != "name" && key != "id" && key != "start_date" &&
            key != "end_date")
            cfg.warn(fmt::format("{}: unknown key \"{}\" in {} is ignored", cfg.source_name(), key,
                                 where));
    return out;
}

}  // namespace

GoogleBusinessConfig parse_google_business_config(const ordered_json& json,
                                                  const std::string& source_name) {
    ConfigObject cfg(json, source_name);
    GoogleBusinessConfig out;
    out.source_path = source_name;
    out.bucket = cfg.required_string("bucket");
    out.source = cfg.required_string("source");
    out.directory = cfg.required_string("directory");
    out.dbtable = cfg.required_string("dbtable");
    if (auto d = cfg.optional_string("destination"); d && !d->empty()) out.destination = *d;

    out.metrics = cfg.required_string_list("metrics");
    if (out.metrics.empty()) cfg.fail("metrics", "must list at least one DailyMetric name");
    std::set<std::string> seen;
    for (const auto& m : out.metrics)
        if (!seen.insert(m).second)
            cfg.fail("metrics", fmt::format("lists \"{}\" a second time", m));

    const auto* groups = cfg.find("locations");
    if (!groups) cfg.fail("locations", "is required (a list of account groups)");
    if (!groups->is_array() || groups->empty())
        cfg.fail("locations",
                 "must be a non-empty list of {\"client_shortname\", \"name\", \"id\", "
                 "\"start_date\", \"end_date\"}");
    for (size_t i = 0; i < groups->size(); ++i)
        out.groups.push_back(parse_group(cfg, (*groups)[i], fmt::format("locations[{}]", i)));
    out.warnings = cfg.finish_warnings();
    return out;
}

GoogleBusinessConfig load_google_business_config(const std::filesystem::path& path) {
    return parse_google_business_config(load_json_file(path), path.string());
}

}  // namespace gdx::config
