#include <fmt/format.h>

#include "store/local_store.hpp"
#include "store/s3/s3_store.hpp"
#include "util/error.hpp"

namespace gdx::store {

std::unique_ptr<ObjectStore> open_store(const std::string& uri) {
    // Endpoint, region and credentials come from the standard AWS environment.
    if (uri.rfind("s3://", 0) == 0) return std::make_unique<S3Store>();
    std::string dir = uri.rfind("file:", 0) == 0 ? uri.substr(5) : uri;
    if (dir.rfind("//", 0) == 0) dir = dir.substr(2);  // file://DIR
    if (dir.empty()) throw ConfigError(fmt::format("store URI '{}' names no directory", uri));
    if (uri.find("://") != std::string::npos && uri.rfind("file://", 0) != 0)
        throw ConfigError(fmt::format("unsupported store URI '{}' (use file:DIR or s3://)", uri));
    return std::make_unique<LocalStore>(dir);
}

}  // namespace gdx::store
