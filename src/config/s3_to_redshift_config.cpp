#include "config/s3_to_redshift_config.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "config/config_object.hpp"
#include "config/json_file.hpp"
#include "csv/encoding.hpp"
#include "util/contains.hpp"
#include "util/error.hpp"

namespace gdx::config {
namespace {

// Python repr() of a float (what pandas writes): shortest round-trip digits, fixed notation
// for decimal exponents in [-4, 16), with ".0" for integral values; otherwise 1.5e+20 style.
std::string python_float_repr(double v) {
    if (v == 0.0) return std::signbit(v) ? "-0.0" : "0.0";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string sci(buf, res.ptr);  // e.g. "-1.5e+20"
    std::string sign;
    if (sci[0] == '-') {
        sign = "-";
        sci.erase(0, 1);
    }
    const auto epos = sci.find('e');
    const int exp = std::stoi(sci.substr(epos + 1));
    std::string digits = sci.substr(0, epos);
    if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
    if (exp >= -4 && exp < 16) {
        const int decpt = exp + 1;
        if (decpt <= 0) return sign + "0." + std::string(-decpt, '0') + digits;
        if (decpt >= static_cast<int>(digits.size()))
            return sign + digits + std::string(decpt - digits.size(), '0') + ".0";
        return sign + digits.substr(0, decpt) + "." + digits.substr(decpt);
    }
    std::string mant = digits.substr(0, 1);
    if (digits.size() > 1) mant += "." + digits.substr(1);
    return fmt::format("{}{}e{}{:02d}", sign, mant, exp < 0 ? '-' : '+', std::abs(exp));
}

}  // namespace

std::optional<std::string> render_constant(const nlohmann::ordered_json& v, bool& ok) {
    ok = true;
    if (v.is_null()) return std::nullopt;
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return std::string(v.get<bool>() ? "True" : "False");
    if (v.is_number_integer()) return v.dump();
    if (v.is_number_float()) return python_float_repr(v.get<double>());
    ok = false;
    return std::nullopt;
}

namespace {

using util::contains;

// dtype_dic_*: column names with a declared pandas type; a name not in `columns` is a warning.
void read_dtypes(ConfigObject& cfg, S3ToRedshiftConfig& c) {
    const std::pair<const char*, std::vector<std::string>*> lists[] = {
        {"dtype_dic_strings", &c.dtype_dic_strings},
        {"dtype_dic_bools", &c.dtype_dic_bools},
        {"dtype_dic_ints", &c.dtype_dic_ints},
        {"dtype_dic_floats", &c.dtype_dic_floats}};
    for (const auto& [key, list] : lists) {
        *list = cfg.string_list(key);
        for (const auto& name : *list)
            if (!contains(c.columns, name))
                cfg.warn(
                    fmt::format("{}: key \"{}\" names \"{}\", which is not in \"columns\"; "
                                "it has no effect",
                                cfg.source_name(), key, name));
    }
}

// How the objects are read: header, quotes, how many per run, encoding.
void read_parsing(ConfigObject& cfg, S3ToRedshiftConfig& c) {
    c.no_header = cfg.flag("no_header", false);
    c.strip_quotes = cfg.flag("strip_quotes", false);
    if (const auto* v = cfg.find("file_limit"); v && !v->is_null()) {
        // The original compared the count with ==, so only a positive whole number caps.
        if (v->is_number_integer() && v->get<int64_t>() > 0) {
            c.file_limit = v->get<int64_t>();
        } else if (v->is_number_float() && v->get<double>() >= 1 &&
                   std::floor(v->get<double>()) == v->get<double>() && v->get<double>() < 9.0e18) {
            c.file_limit = static_cast<int64_t>(v->get<double>());
        } else if (!v->is_number()) {
            cfg.warn(fmt::format("{}: key \"file_limit\" is {} {}, not a number: no cap",
                                 cfg.source_name(), json_type_name(*v), v->dump()));
        }
    }
    if (auto s = cfg.optional_string("encoding")) {
        if (s->empty()) cfg.fail("encoding", "must not be empty");
        c.encoding = *s;
    }
    try {
        csv::resolve_encoding(c.encoding);
    } catch (const ConfigError& e) {
        cfg.fail("encoding", e.what());
    }
}

// column_string_limit: {name: positive int}, names from `columns`.
void read_string_limits(ConfigObject& cfg, S3ToRedshiftConfig& c) {
    const auto* v = cfg.find("column_string_limit");
    if (!v || v->is_null()) return;
    if (!v->is_object())
        cfg.fail("column_string_limit",
                 fmt::format("must be an object of column name -> length, found {}",
                             json_type_name(*v)));
    for (const auto& item : v->items()) {
        if (!contains(c.columns, item.key()))
            cfg.fail("column_string_limit",
                     fmt::format("names column \"{}\", which is not in \"columns\"", item.key()));
        const auto& n = item.value();
        if (!n.is_number_integer() || n.get<int64_t>() < 1 ||
            (n.is_number_unsigned() && n.get<uint64_t>() > uint64_t(INT64_MAX)))
            cfg.fail("column_string_limit",
                     fmt::format("limit for \"{}\" must be a positive integer, found {}",
                                 item.key(), n.dump()));
        c.column_string_limit.emplace_back(item.key(), n.get<int64_t>());
    }
}

void read_added_columns(ConfigObject& cfg, S3ToRedshiftConfig& c) {
    const auto* v = cfg.find("add_columns");
    if (!v || v->is_null()) return;
    if (!v->is_object())
        cfg.fail("add_columns", fmt::format("must be an object of column name -> value, found {}",
                                            json_type_name(*v)));
    for (const auto& item : v->items()) {
        if (item.key().empty()) cfg.fail("add_columns", "contains an empty column name");
        bool ok = true;
        auto text = render_constant(item.value(), ok);
        if (!ok)
            cfg.fail("add_columns",
                     fmt::format("value for \"{}\" must be a string, number, boolean or null, "
                                 "found {}",
                                 item.key(), json_type_name(item.value())));
        c.add_columns.emplace_back(item.key(), std::move(text));
    }
}

// The column edits in the original's order: string limits, drop, add, replace, dateformat.
void read_column_edits(ConfigObject& cfg, S3ToRedshiftConfig& c) {
    read_string_limits(cfg, c);
    c.drop_columns = cfg.string_list("drop_columns");
    for (const auto& name : c.drop_columns)
        if (!contains(c.columns, name))
            cfg.fail("drop_columns",
                     fmt::format("names column \"{}\", which is not in \"columns\"", name));
    read_added_columns(cfg, c);

    // replace and dateformat see `columns` minus dropped plus added.
    std::vector<std::string> edited;
    for (const auto& name : c.columns)
        if (!contains(c.drop_columns, name)) edited.push_back(name);
    for (const auto& [name, value] : c.add_columns)
        if (!contains(edited, name)) edited.push_back(name);
    const FieldCheck check_field = [&](const std::string& key, size_t i, const std::string& field) {
        if (contains(edited, field)) return;
        if (contains(c.drop_columns, field))
            cfg.fail(key, fmt::format("entry {} names column \"{}\", which \"drop_columns\" "
                                      "removes",
                                      i + 1, field));
        cfg.fail(key, fmt::format("entry {} names column \"{}\", which is not in \"columns\"",
                                  i + 1, field));
    };
    c.replace = read_replace_rules(cfg, check_field);
    c.dateformat = read_dateformat_rules(cfg, check_field);
}

// ldb_sku + sql_query: SQL run inside each object's load transaction.
void read_post_load(ConfigObject& cfg, S3ToRedshiftConfig& c) {
    c.ldb_sku = cfg.flag("ldb_sku", false);
    c.sql_query = cfg.optional_string("sql_query");
    if (c.ldb_sku && (!c.sql_query || c.sql_query->empty()))
        cfg.fail("sql_query", "is required when \"ldb_sku\" is true");
}

// Keys the originals did not have.
void read_gdx_additions(ConfigObject& cfg, S3ToRedshiftConfig& c) {
    c.empty_files_ok = cfg.flag("empty_files_ok", false);
    c.keep_default_na = cfg.flag("keep_default_na", true);
    if (const auto* v = cfg.find("na_values"); v && v->is_string())
        c.na_values.push_back(v->get<std::string>());
    else
        c.na_values = cfg.string_list("na_values");
    c.iam_role = cfg.optional_string("iam_role");
    if (c.iam_role && c.iam_role->empty()) cfg.fail("iam_role", "must not be empty");
}

}  // namespace

S3ToRedshiftConfig parse_s3_to_redshift_config(const nlohmann::ordered_json& json,
                                               const std::string& source_name,
                                               S3ConfigFlavor flavor) {
    ConfigObject cfg(json, source_name);
    S3ToRedshiftConfig c;
    c.source_path = source_name;
    c.raw = json;

    static_cast<ObjectLocation&>(c) = read_object_location(cfg);
    c.dbtable = cfg.required_string("dbtable");
    c.columns = column_list(cfg);
    c.column_count = static_cast<int64_t>(c.columns.size());
    c.delim = single_char_key(cfg, "delim");
    c.truncate = flavor == S3ConfigFlavor::S3ToRedshift ? cfg.required_flag("truncate")
                                                        : cfg.flag("truncate", false);
    if (auto s = cfg.optional_string("dbschema")) c.dbschema = *s;

    read_dtypes(cfg, c);
    read_parsing(cfg, c);
    read_column_edits(cfg, c);
    read_post_load(cfg, c);
    read_gdx_additions(cfg, c);

    if (flavor == S3ConfigFlavor::DerivedAssets)
        for (const char* k : {"access_log_parse", "schema_name", "asset_host", "asset_source",
                              "asset_scheme_and_authority"})
            cfg.mark_known(k);

    c.warnings = cfg.finish_warnings();
    return c;
}

S3ToRedshiftConfig load_s3_to_redshift_config(const std::filesystem::path& path,
                                              S3ConfigFlavor flavor) {
    return parse_s3_to_redshift_config(load_json_file(path), path.string(), flavor);
}

}  // namespace gdx::config
