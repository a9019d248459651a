// The warehouse factory (docs/semantics.md#backends): picks the backend from the URI.
#include <filesystem>
#include <string_view>

#include "util/env.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"
#include "warehouse/postgres/postgres_warehouse.hpp"
#include "warehouse/redshift/redshift_warehouse.hpp"
#include "warehouse/sqlite/sqlite_warehouse.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::warehouse {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::unique_ptr<Warehouse> open_sqlite(const std::string& uri, std::string path) {
    if (path.empty()) throw ConfigError("warehouse URI '" + uri + "': no database file given");
    // The directory is never created: a typo in it must not make a new tree of directories.
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
        throw ConfigError("warehouse URI '" + uri + "': directory " + parent.string() +
                          " does not exist (create it first; gdx does not)");
    return std::make_unique<sqlite::SqliteWarehouse>(std::move(path));
}

}  // namespace

std::string warehouse_uri_or_default(const std::string& given) {
    return given.empty() ? util::env_string("GDX_WAREHOUSE", kDefaultWarehouseUri) : given;
}

std::unique_ptr<Warehouse> open_warehouse(const std::string& uri, const WarehouseOptions& options) {
    if (starts_with(uri, "sqlite://")) return open_sqlite(uri, uri.substr(9));
    if (starts_with(uri, "sqlite:")) return open_sqlite(uri, uri.substr(7));
    if (starts_with(uri, "postgresql://") || starts_with(uri, "postgres://")) {
        return std::make_unique<PostgresWarehouse>(uri, options);
    }
    if (starts_with(uri, "redshift://")) return std::make_unique<RedshiftWarehouse>(uri, options);
    if (uri.find("://") == std::string::npos &&
        (ends_with(uri, ".db") || ends_with(uri, ".sqlite") || ends_with(uri, ".sqlite3"))) {
        return open_sqlite(uri, uri);
    }
    throw ConfigError("unsupported warehouse URI '" + util::redact(uri) +
                      "' (expected sqlite:FILE, a .db/.sqlite/.sqlite3 path, postgresql://, "
                      "postgres:// or redshift://)");
}

}  // namespace gdx::warehouse
