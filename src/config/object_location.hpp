#pragma once
// Where a loader job's objects are (the keys every loader config shares): the bucket, the
// prefix `source/directory/` to list, the `doc` pattern a key must match, and `destination`,
// under which processed objects go (good/, bad/, batch/).
#include <string>

namespace gdx::config {

class ConfigObject;

struct ObjectLocation {
    std::string bucket;
    std::string source;
    std::string destination;
    std::string directory;
    std::string doc;  // Python regex, searched in the full key with "$" appended

    std::string prefix() const { return source + "/" + directory + "/"; }
};

// Reads the five required keys; throws ConfigError naming a missing, mistyped or invalid one:
// the bucket must follow S3's naming rules, the prefixes must stay inside the bucket (no
// leading or trailing '/', no empty, "." or ".." segment), `doc` must compile.
ObjectLocation read_object_location(ConfigObject& cfg);

// Why `name` is not a valid S3 bucket name, or "" when it is.
std::string bucket_name_problem(const std::string& name);
// Why `prefix` (non-empty) is not a key prefix that stays inside its bucket, or "".
std::string key_prefix_problem(const std::string& prefix);

}  // namespace gdx::config
