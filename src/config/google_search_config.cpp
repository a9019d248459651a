#include "config/google_search_config.hpp"

#include <set>

#include <fmt/format.h>

#include "config/config_object.hpp"
#include "config/json_file.hpp"
#include "util/error.hpp"

namespace gdx::config {

GoogleSearchConfig parse_google_search_config(const nlohmann::ordered_json& json,
                                              const std::string& source_name) {
    ConfigObject cfg(json, source_name);
    GoogleSearchConfig out;
    out.source_path = source_name;
    out.bucket = cfg.required_string("bucket");
    out.source = cfg.required_string("source");
    out.directory = cfg.required_string("directory");
    out.dbtable = cfg.required_string("dbtable");
    out.dml = cfg.required_string("dml");
    if (auto d = cfg.optional_string("destination"); d && !d->empty()) out.destination = *d;

    const auto* sites = cfg.find("sites");
    if (!sites) cfg.fail("sites", "is required (a list of Search Console properties)");
    if (!sites->is_array() || sites->empty())
        cfg.fail("sites",
                 "must be a non-empty list of {\"name\": ..., \"start_date_default\": ...}");
    std::set<std::string> seen;
    for (size_t i = 0; i < sites->size(); ++i) {
        const auto& s = (*sites)[i];
        std::string where = fmt::format("sites[{}]", i);
        if (!s.is_object()) cfg.fail(where, "must be an object with a \"name\"");
        auto name = s.find("name");
        if (name == s.end() || !name->is_string() || name->get<std::string>().empty())
            cfg.fail(where, "needs a non-empty string \"name\" (the Search Console property)");
        GoogleSearchSite site{name->get<std::string>(), std::nullopt};
        // The name is quoted into the resume query as a SQL literal (search_window.cpp).
        if (site.name.find('\\') != std::string::npos)
            cfg.fail(where + ".name", "must not contain a backslash");
        if (!seen.insert(site.name).second)
            cfg.fail(where, fmt::format("lists \"{}\" a second time", site.name));
        if (auto d = s.find("start_date_default"); d != s.end() && !d->is_null()) {
            if (!d->is_string() || !is_iso_date(d->get<std::string>()))
                cfg.fail(where + ".start_date_default", "must be a date YYYY-MM-DD");
            site.start_date_default = d->get<std::string>();
        }
        for (const auto& [key, value] : s.items())
            if (key != "name" && key != "start_date_default")
                cfg.warn(fmt::format("{}: unknown key \"{}\" in {} is ignored", source_name, key,
                                     where));
        out.sites.push_back(std::move(site));
    }
    out.warnings = cfg.finish_warnings();
    return out;
}

GoogleSearchConfig load_google_search_config(const std::filesystem::path& path) {
    return parse_google_search_config(load_json_file(path), path.string());
}

}  // namespace gdx::config
