// The object store factory: picks the backend from the URI and rejects anything else, so that
// a mistyped URI never becomes a directory name.
#include <fmt/format.h>

#include "store/local_store.hpp"
#include "store/s3/s3_store.hpp"
#include "util/error.hpp"

namespace gdx::store {

std::unique_ptr<ObjectStore> open_store(const std::string& uri) {
    const auto unsupported = [&](const char* why) {
        return ConfigError(fmt::format(
            "unsupported store URI '{}': {} (use file:DIR for a directory or s3:// for S3)", uri,
            why));
    };
    // Endpoint, region and credentials come from the standard AWS environment; the bucket comes
    // from the config, so the URI is exactly "s3://".
    if (uri == "s3://") return std::make_unique<S3Store>();
    if (uri.rfind("s3:", 0) == 0)
        throw unsupported(uri.rfind("s3://", 0) == 0
                              ? "the bucket and prefix come from the config, give only s3://"
                              : "an S3 store is written s3://");
    if (uri.rfind("file:", 0) != 0) throw unsupported("it is neither file:DIR nor s3://");
    const std::string dir = uri.substr(5);
    if (dir.empty()) throw unsupported("it names no directory");
    if (dir.rfind("//", 0) == 0)
        throw unsupported("a directory is written file:DIR (file:/abs/path or file:rel/path)");
    return std::make_unique<LocalStore>(dir);
}

}  // namespace gdx::store
