#include "config/object_location.hpp"

#include "config/config_object.hpp"

namespace gdx::config {

ObjectLocation read_object_location(ConfigObject& cfg) {
    ObjectLocation l;
    l.bucket = cfg.required_string("bucket");
    l.source = cfg.required_string("source");
    l.destination = cfg.required_string("destination");
    l.directory = cfg.required_string("directory");
    l.doc = cfg.required_string("doc");
    return l;
}

}  // namespace gdx::config
