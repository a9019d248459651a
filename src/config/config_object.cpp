#include "config/config_object.hpp"

#include <fmt/format.h>

#include <chrono>

#include "util/error.hpp"

namespace gdx::config {

bool is_iso_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    auto number = [&](size_t at, size_t len) { return std::stoi(s.substr(at, len)); };
    // A day the calendar has: the jobs turn the date into days without checking it again.
    const std::chrono::year_month_day day{std::chrono::year(number(0, 4)),
                                          std::chrono::month(unsigned(number(5, 2))),
                                          std::chrono::day(unsigned(number(8, 2)))};
    return day.ok();
}

bool python_truthy(const nlohmann::ordered_json& v) {
    switch (v.type()) {
        case nlohmann::json::value_t::null:
            return false;
        case nlohmann::json::value_t::boolean:
            return v.get<bool>();
        case nlohmann::json::value_t::number_integer:
            return v.get<int64_t>() != 0;
        case nlohmann::json::value_t::number_unsigned:
            return v.get<uint64_t>() != 0;
        case nlohmann::json::value_t::number_float:
            return v.get<double>() != 0.0;
        case nlohmann::json::value_t::string:
            return !v.get_ref<const std::string&>().empty();
        case nlohmann::json::value_t::array:
        case nlohmann::json::value_t::object:
            return !v.empty();
        default:
            return true;
    }
}

std::string json_type_name(const nlohmann::ordered_json& v) {
    if (v.is_number_integer()) return "integer";
    if (v.is_number_float()) return "number";
    return v.type_name();
}

ConfigObject::ConfigObject(const nlohmann::ordered_json& root, std::string source_name)
    : root_(root), source_(std::move(source_name)) {
    if (!root_.is_object())
        throw ConfigError(fmt::format("{}: the config must be a JSON object, found {}", source_,
                                      json_type_name(root_)));
}

const nlohmann::ordered_json* ConfigObject::find(const std::string& key) {
    known_.insert(key);
    auto it = root_.find(key);
    return it == root_.end() ? nullptr : &*it;
}

void ConfigObject::fail(const std::string& key, const std::string& message) const {
    throw ConfigError(fmt::format("{}: key \"{}\" {}", source_, key, message));
}

std::string ConfigObject::required_string(const std::string& key, bool allow_empty) {
    const auto* v = find(key);
    if (!v) fail(key, "is required but missing");
    if (!v->is_string()) fail(key, fmt::format("must be a string, found {}", json_type_name(*v)));
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty() && !allow_empty) fail(key, "must not be empty");
    return s;
}

std::optional<std::string> ConfigObject::optional_string(const std::string& key) {
    const auto* v = find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) fail(key, fmt::format("must be a string, found {}", json_type_name(*v)));
    return v->get<std::string>();
}

int64_t ConfigObject::required_int(const std::string& key) {
    const auto* v = find(key);
    if (!v) fail(key, "is required but missing");
    if (!v->is_number_integer())
        fail(key, fmt::format("must be an integer, found {} {}", json_type_name(*v), v->dump()));
    if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX))
        fail(key, fmt::format("is too large: {}", v->dump()));
    return v->get<int64_t>();
}

bool ConfigObject::flag(const std::string& key, bool fallback) {
    const auto* v = find(key);
    if (!v) return fallback;
    if (v->is_string())
        warn(fmt::format("{}: key \"{}\" is the string {}, which counts as {} (Python truthiness)",
                         source_, key, v->dump(), python_truthy(*v) ? "true" : "false"));
    return python_truthy(*v);
}

bool ConfigObject::required_flag(const std::string& key) {
    if (!root_.contains(key)) {
        known_.insert(key);
        fail(key, "is required but missing");
    }
    return flag(key, false);
}

std::vector<std::string> ConfigObject::string_list(const std::string& key) {
    const auto* v = find(key);
    std::vector<std::string> out;
    if (!v || v->is_null()) return out;
    if (!v->is_array())
        fail(key, fmt::format("must be a list of strings, found {}", json_type_name(*v)));
    out.reserve(v->size());
    for (size_t i = 0; i < v->size(); ++i) {
        const auto& e = (*v)[i];
        if (!e.is_string())
            fail(key, fmt::format("entry {} must be a string, found {} {}", i + 1,
                                  json_type_name(e), e.dump()));
        out.push_back(e.get<std::string>());
    }
    return out;
}

std::vector<std::string> ConfigObject::required_string_list(const std::string& key) {
    const auto* v = find(key);
    if (!v) fail(key, "is required but missing");
    if (!v->is_array())
        fail(key, fmt::format("must be a list of strings, found {}", json_type_name(*v)));
    return string_list(key);
}

std::vector<std::string> ConfigObject::finish_warnings() const {
    std::vector<std::string> out = warnings_;
    for (const auto& item : root_.items())
        if (!known_.count(item.key()))
            out.push_back(fmt::format("{}: unknown key \"{}\" is ignored", source_, item.key()));
    return out;
}

const nlohmann::ordered_json* rule_list(ConfigObject& cfg, const std::string& key) {
    const auto* v = cfg.find(key);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_array())
        cfg.fail(key, fmt::format("must be a list of objects, found {}", json_type_name(*v)));
    for (size_t i = 0; i < v->size(); ++i)
        if (!(*v)[i].is_object())
            cfg.fail(key, fmt::format("entry {} must be an object, found {}", i + 1,
                                      json_type_name((*v)[i])));
    return v;
}

std::string rule_string(ConfigObject& cfg, const std::string& key, size_t index,
                        const nlohmann::ordered_json& rule, const std::string& member) {
    auto it = rule.find(member);
    if (it == rule.end()) cfg.fail(key, fmt::format("entry {} has no \"{}\"", index + 1, member));
    if (!it->is_string())
        cfg.fail(key, fmt::format("entry {}: \"{}\" must be a string, found {}", index + 1, member,
                                  json_type_name(*it)));
    return it->get<std::string>();
}

void warn_unknown_members(ConfigObject& cfg, const std::string& key, size_t index,
                          const nlohmann::ordered_json& rule,
                          std::initializer_list<const char*> known) {
    for (const auto& item : rule.items()) {
        bool ok = false;
        for (const char* k : known) ok = ok || item.key() == k;
        if (!ok)
            cfg.warn(fmt::format("{}: key \"{}\" entry {}: unknown member \"{}\" is ignored",
                                 cfg.source_name(), key, index + 1, item.key()));
    }
}

std::vector<std::string> column_list(ConfigObject& cfg) {
    const int64_t count = cfg.required_int("column_count");
    if (count < 1) cfg.fail("column_count", fmt::format("must be at least 1, found {}", count));
    std::vector<std::string> columns = cfg.required_string_list("columns");
    if (static_cast<int64_t>(columns.size()) != count)
        cfg.fail("columns",
                 fmt::format("has {} entries but \"column_count\" is {}", columns.size(), count));
    std::set<std::string> seen;
    for (const auto& name : columns) {
        if (name.empty()) cfg.fail("columns", "contains an empty column name");
        if (!seen.insert(name).second)
            cfg.fail("columns", fmt::format("names column \"{}\" twice", name));
    }
    return columns;
}

char single_char_key(ConfigObject& cfg, const std::string& key) {
    const std::string s = cfg.required_string(key, /*allow_empty=*/true);
    if (s.size() != 1)
        cfg.fail(key, fmt::format("must be exactly one character, found \"{}\" ({} bytes)", s,
                                  s.size()));
    const char c = s[0];
    if (static_cast<unsigned char>(c) >= 0x80 || c == '"' || c == '\n' || c == '\r' || c == '\0')
        cfg.fail(key, "must be one ASCII character other than '\"', CR, LF or NUL");
    return c;
}

}  // namespace gdx::config
