// Defaults of the export operations for warehouses that do not offer them.
#include "util/error.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::warehouse {

void Warehouse::stream_query(const std::string&, QueryRowSink&) {
    throw BackendError(describe() + " cannot stream a query result (it exports with UNLOAD)");
}

void Warehouse::run_unload(const std::string&, const std::vector<std::string>&) {
    throw BackendError(describe() + " has no UNLOAD (its query results are streamed instead)");
}

}  // namespace gdx::warehouse
