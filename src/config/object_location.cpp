#include "config/object_location.hpp"

#include <fmt/format.h>

#include "config/config_object.hpp"
#include "util/error.hpp"
#include "util/python_regex.hpp"

namespace gdx::config {
namespace {

bool lower_or_digit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool looks_like_ipv4(const std::string& s) {
    int dots = 0;
    for (char c : s) {
        if (c == '.')
            ++dots;
        else if (c < '0' || c > '9')
            return false;
    }
    return dots == 3;
}

}  // namespace

std::string bucket_name_problem(const std::string& name) {
    if (name.size() < 3 || name.size() > 63)
        return fmt::format("must be 3 to 63 characters long, found {}", name.size());
    for (char c : name)
        if (!lower_or_digit(c) && c != '-' && c != '.')
            return "may hold only lower-case letters, digits, '-' and '.'";
    if (!lower_or_digit(name.front()) || !lower_or_digit(name.back()))
        return "must begin and end with a letter or digit";
    if (name.find("..") != std::string::npos) return "must not contain \"..\"";
    if (looks_like_ipv4(name)) return "must not look like an IP address";
    return {};
}

std::string key_prefix_problem(const std::string& prefix) {
    if (prefix.front() == '/') return "must not begin with '/'";
    if (prefix.back() == '/') return "must not end with '/' (gdx adds it)";
    for (char c : prefix)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return "must not contain control characters";
    size_t start = 0;
    while (start <= prefix.size()) {
        size_t end = prefix.find('/', start);
        if (end == std::string::npos) end = prefix.size();
        const std::string_view part(prefix.data() + start, end - start);
        if (part.empty()) return "must not contain an empty path segment (\"//\")";
        if (part == "." || part == "..")
            return fmt::format("must not contain a \"{}\" path segment", part);
        start = end + 1;
    }
    return {};
}

ObjectLocation read_object_location(ConfigObject& cfg) {
    ObjectLocation l;
    l.bucket = cfg.required_string("bucket");
    if (auto problem = bucket_name_problem(l.bucket); !problem.empty())
        cfg.fail("bucket",
                 fmt::format("\"{}\" is not a valid bucket name: it {}", l.bucket, problem));
    l.source = cfg.required_string("source");
    l.destination = cfg.required_string("destination");
    l.directory = cfg.required_string("directory");
    for (const char* key : {"source", "destination", "directory"}) {
        const std::string& value = key[0] == 's'   ? l.source
                                   : key[1] == 'e' ? l.destination
                                                   : l.directory;
        if (auto problem = key_prefix_problem(value); !problem.empty())
            cfg.fail(key, fmt::format("\"{}\" {}", value, problem));
    }
    l.doc = cfg.required_string("doc");
    try {
        util::PyRegex::compile(l.doc);
    } catch (const ConfigError& e) {
        cfg.fail("doc", fmt::format("is not a valid regular expression: {}", e.what()));
    }
    return l;
}

}  // namespace gdx::config
