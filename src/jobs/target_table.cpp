#include "jobs/target_table.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace gdx::jobs {

types::TableSchema require_table(warehouse::Warehouse& warehouse, const std::string& table,
                                 const std::string& config_path, size_t loadable_columns) {
    auto schema = warehouse.describe_table(table);
    if (!schema)
        throw ConfigError(fmt::format(
            "{}: table {} does not exist in {} (create it first, e.g. gdx sql -f <ddl file>)",
            config_path, table, warehouse.describe()));
    const size_t found = schema->loadable_columns().size();
    if (loadable_columns && found != loadable_columns)
        throw ConfigError(fmt::format("{}: table {} has {} loadable columns, expected {}",
                                      config_path, table, found, loadable_columns));
    return std::move(*schema);
}

}  // namespace gdx::jobs
