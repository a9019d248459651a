#include "jobs/run_output.hpp"

#include <fstream>
#include <iostream>

#include "store/object_store.hpp"
#include "util/env.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::jobs {

std::string store_uri(const RunOptions& options) {
    return options.store_uri.empty() ? util::env_string("GDX_STORE", store::kDefaultStoreUri)
                                     : options.store_uri;
}

std::string warehouse_uri(const RunOptions& options) {
    return warehouse::warehouse_uri_or_default(options.warehouse_uri);
}

void publish_report(const RunOptions& options, const std::string& text,
                    const nlohmann::json& json) {
    if (!text.empty() && !options.quiet && !options.report_json_to_stdout())
        std::cout << util::redact(text) << std::flush;
    if (options.report_json.empty()) return;
    const std::string body = util::redact(json.dump(2)) + "\n";
    if (options.report_json_to_stdout()) {
        std::cout << body << std::flush;
        return;
    }
    std::ofstream out(options.report_json);
    out << body;
    if (!out) throw BackendError("cannot write report to " + options.report_json);
}

}  // namespace gdx::jobs
