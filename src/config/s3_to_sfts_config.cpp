#include "config/s3_to_sfts_config.hpp"

#include <fmt/format.h>

#include "config/config_object.hpp"
#include "config/json_file.hpp"
#include "util/error.hpp"
#include "util/python_regex.hpp"

namespace gdx::config {
namespace {

int64_t optional_int(ConfigObject& cfg, const std::string& key, int64_t fallback, int64_t min,
                     int64_t max) {
    const auto* v = cfg.find(key);
    if (!v || v->is_null()) return fallback;
    if (!v->is_number_integer())
        cfg.fail(key, fmt::format("must be an integer, found {}", json_type_name(*v)));
    int64_t n = v->get<int64_t>();
    if (n < min || n > max) cfg.fail(key, fmt::format("must be between {} and {}", min, max));
    return n;
}

std::string string_or(ConfigObject& cfg, const std::string& key, std::string fallback) {
    auto v = cfg.optional_string(key);
    return v ? *v : fallback;
}

}  // namespace

std::string S3ToSftsConfig::archive_key(const std::string& key) const {
    const std::string from = source + "/" + source_client + "/" + source_directory;
    const std::string to = source + "/" + archive_client + "/" + archive_directory;
    auto at = key.find(from);
    if (at == std::string::npos) return key;
    return key.substr(0, at) + to + key.substr(at + from.size());
}

std::string S3ToSftsConfig::remote_folder() const {
    std::string path = sfts_path;
    while (!path.empty() && path.back() == '/') path.pop_back();
    if (sfts_path_is_absolute) return path.empty() || path[0] != '/' ? "/" + path : path;
    while (!path.empty() && path[0] == '/') path.erase(0, 1);
    return path;
}

S3ToSftsConfig parse_s3_to_sfts_config(const nlohmann::ordered_json& json,
                                       const std::string& source_name) {
    ConfigObject cfg(json, source_name);
    S3ToSftsConfig c;
    c.source_path = source_name;
    c.bucket = cfg.required_string("bucket");
    c.source = cfg.required_string("source");
    c.source_client = cfg.required_string("source_client");
    c.source_directory = cfg.required_string("source_directory");
    c.archive = cfg.required_string("archive");
    c.archive_client = cfg.required_string("archive_client");
    c.archive_directory = cfg.required_string("archive_directory");
    c.object_prefix = cfg.required_string("object_prefix", true);
    try {
        util::PyRegex::compile("^" + c.object_prefix);
    } catch (const ConfigError& e) {
        cfg.fail("object_prefix", fmt::format("is not a valid regular expression: {}", e.what()));
    }
    c.sfts_path = cfg.required_string("sfts_path", true);
    c.extension = string_or(cfg, "extension", "");
    if (c.extension.find('/') != std::string::npos) cfg.fail("extension", "must not contain '/'");
    cfg.mark_known("header");  // listed in the originals' configs, never used

    if (auto protocol = cfg.optional_string("sfts_protocol"); protocol && *protocol != "sftp")
        cfg.fail("sfts_protocol",
                 fmt::format("\"{}\" is not supported; gdx speaks \"sftp\"", *protocol));
    c.sfts_host = string_or(cfg, "sfts_host", kDefaultSftsHost);
    if (c.sfts_host.empty()) cfg.fail("sfts_host", "must not be empty");
    c.sfts_port = static_cast<int>(optional_int(cfg, "sfts_port", 22, 1, 65535));
    c.sfts_host_key_sha256 = string_or(cfg, "sfts_host_key_sha256", "");
    c.sfts_known_hosts = string_or(cfg, "sfts_known_hosts", "");
    c.sfts_identity = string_or(cfg, "sfts_identity", "");
    c.sfts_path_is_absolute = cfg.flag("sfts_path_is_absolute", true);
    c.sfts_temp_suffix = string_or(cfg, "sfts_temp_suffix", ".part");
    if (c.sfts_temp_suffix.empty() || c.sfts_temp_suffix.find('/') != std::string::npos)
        cfg.fail("sfts_temp_suffix", "must be non-empty and must not contain '/'");
    c.sfts_atomic_rename = cfg.flag("sfts_atomic_rename", true);
    c.sfts_verify_md5 = cfg.flag("sfts_verify_md5", true);
    c.sfts_create_folders = cfg.flag("sfts_create_folders", false);
    c.journal_prefix = string_or(cfg, "journal_prefix", c.archive + "/inflight/");
    if (c.journal_prefix.empty()) cfg.fail("journal_prefix", "must not be empty");
    for (const char* state : {"/good/", "/bad/"})
        if ((c.journal_prefix + "/").find(c.archive + state) == 0)
            cfg.fail("journal_prefix", "must not be inside the good or bad archive");
    c.retry_bad = cfg.flag("retry_bad", false);
    c.max_attempts = optional_int(cfg, "max_attempts", 0, 0, 1'000'000);
    c.lock_dir = string_or(cfg, "lock_dir", "");
    c.warnings = cfg.finish_warnings();
    return c;
}

S3ToSftsConfig load_s3_to_sfts_config(const std::string& path) {
    return parse_s3_to_sfts_config(load_json_file(path), path);
}

}  // namespace gdx::config
