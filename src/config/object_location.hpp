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

// Reads the five required keys; throws ConfigError naming a missing or mistyped one.
ObjectLocation read_object_location(ConfigObject& cfg);

}  // namespace gdx::config
