#include "config/redshift_to_s3_config.hpp"

#include <fmt/format.h>

#include "config/config_object.hpp"
#include "config/json_file.hpp"
#include "util/error.hpp"

namespace gdx::config {
namespace {

// A calendar date as YYYYMMDD (compact) or YYYY-MM-DD: the compact form is checked as the
// dashed one, by the one calendar check (is_iso_date).
bool is_date(const std::string& s, bool dashed) {
    if (dashed) return is_iso_date(s);
    if (s.size() != 8) return false;
    return is_iso_date(s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2));
}

// A switch the original read with Python truthiness; only true/false are accepted here.
bool strict_flag(ConfigObject& cfg, const std::string& key, std::optional<bool> fallback) {
    const auto* v = cfg.find(key);
    if (!v) {
        if (!fallback) cfg.fail(key, "is required but missing (true or false)");
        return *fallback;
    }
    if (!v->is_boolean())
        cfg.fail(key,
                 fmt::format("must be true or false, found {} {}", json_type_name(*v), v->dump()));
    return v->get<bool>();
}

std::optional<DateSpec> date_spec(ConfigObject& cfg, const std::string& key, bool is_end) {
    auto text = cfg.optional_string(key);
    if (!text) {
        if (const auto* v = cfg.find(key); v && !v->is_null())
            cfg.fail(key, fmt::format("must be a string, found {}", json_type_name(*v)));
        return std::nullopt;
    }
    if (*text == "min") return DateSpec{DateSource::Min, {}};
    if (*text == "max") return DateSpec{DateSource::Max, {}};
    // As the original: an end date of "unsent" means the newest date in the table.
    if (*text == "unsent") return DateSpec{is_end ? DateSource::Max : DateSource::Unsent, {}};
    if (!is_date(*text, false))
        cfg.fail(key, fmt::format("must be \"min\", \"max\", \"unsent\" or a date YYYYMMDD, "
                                  "found \"{}\"",
                                  *text));
    return DateSpec{DateSource::Literal, *text};
}

}  // namespace

RedshiftToS3Config parse_redshift_to_s3_config(const nlohmann::ordered_json& json,
                                               const std::string& source_name) {
    ConfigObject cfg(json, source_name);
    RedshiftToS3Config c;
    c.source_path = source_name;
    c.bucket = cfg.required_string("bucket");
    c.storage = cfg.required_string("storage");
    c.archive = cfg.required_string("archive");
    c.directory = cfg.required_string("directory");
    c.object_prefix = cfg.required_string("object_prefix");
    c.dml = cfg.required_string("dml");
    c.header = strict_flag(cfg, "header", std::nullopt);
    c.escape = strict_flag(cfg, "escape", false);
    c.addquotes = strict_flag(cfg, "addquotes", true);
    if (const auto* v = cfg.find("delimiter"); v && !v->is_null() && *v != false) {
        if (!v->is_string())
            cfg.fail("delimiter", fmt::format("must be one character or false, found {} {}",
                                              json_type_name(*v), v->dump()));
        const char d = single_char_key(cfg, "delimiter");
        if (d == '\'' || d == '\\' || d == '"' || d == '\n' || d == '\r')
            cfg.fail("delimiter", fmt::format("cannot be {}", v->dump()));
        c.delimiter = std::string(1, d);
    }
    if (auto ext = cfg.optional_string("extension")) c.extension = *ext;
    if (auto role = cfg.optional_string("iam_role"); role && !role->empty()) c.iam_role = *role;

    c.start_date = date_spec(cfg, "start_date", false);
    c.end_date = date_spec(cfg, "end_date", true);
    if (c.start_date.has_value() != c.end_date.has_value())
        cfg.fail(c.start_date ? "end_date" : "start_date",
                 fmt::format("is missing: \"start_date\" and \"end_date\" go together"));
    if (cfg.find("date_list")) {
        if (const auto* v = cfg.find("date_list"); !v->is_null()) {
            c.date_list = cfg.string_list("date_list");
            if (c.date_list.empty()) cfg.fail("date_list", "must not be empty");
            for (size_t i = 0; i < c.date_list.size(); ++i)
                if (!is_date(c.date_list[i], true) && !is_date(c.date_list[i], false))
                    cfg.fail("date_list",
                             fmt::format("entry {} \"{}\" is not a date YYYY-MM-DD or YYYYMMDD",
                                         i + 1, c.date_list[i]));
        }
    }

    if (const auto* v = cfg.find("sql_parse_key"); v && !v->is_null() && *v != false) {
        if (!v->is_string())
            cfg.fail("sql_parse_key",
                     fmt::format("must be a string or false, found {}", json_type_name(*v)));
        c.parse_key_name = v->get<std::string>();
        if (c.parse_key_name == "pmrp_date_range") {
            c.parse_key = ParseKey::DateRange;
            if (!c.start_date)
                cfg.fail("sql_parse_key",
                         "\"pmrp_date_range\" needs \"start_date\" and \"end_date\"");
        } else if (c.parse_key_name == "pmrp_qdata_dates") {
            c.parse_key = ParseKey::DateList;
            if (c.date_list.empty())
                cfg.fail("sql_parse_key", "\"pmrp_qdata_dates\" needs a non-empty \"date_list\"");
        } else {
            cfg.fail("sql_parse_key",
                     fmt::format("\"{}\" has not been implemented (known: \"pmrp_date_range\", "
                                 "\"pmrp_qdata_dates\")",
                                 c.parse_key_name));
        }
    }
    c.warnings = cfg.finish_warnings();
    return c;
}

RedshiftToS3Config load_redshift_to_s3_config(const std::filesystem::path& path) {
    return parse_redshift_to_s3_config(load_json_file(path), path.string());
}

}  // namespace gdx::config
