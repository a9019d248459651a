#include "cli/sql_command.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/error.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::cli {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(fmt::format("cannot read SQL file '{}'", path));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string text_of(const warehouse::Value& v) {
    if (std::holds_alternative<std::monostate>(v)) return "";
    if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
    if (auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
    return std::get<std::string>(v);
}

nlohmann::ordered_json json_of(const warehouse::Value& v) {
    if (std::holds_alternative<std::monostate>(v)) return nullptr;
    if (auto* i = std::get_if<int64_t>(&v)) return *i;
    if (auto* d = std::get_if<double>(&v)) return *d;
    return std::get<std::string>(v);
}

// Runs the script and prints each result set: a header line, then rows ('|'-separated), or one
// JSON object per row.
void run_printing(warehouse::Warehouse& wh, const std::string& sql, bool as_json) {
    wh.run_script(sql, [&](const warehouse::ResultRow& row) {
        if (as_json) {
            nlohmann::ordered_json j = nlohmann::ordered_json::object();
            for (size_t i = 0; i < row.values.size(); ++i)
                j[(*row.names)[i]] = json_of(row.values[i]);
            std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
            return;
        }
        if (row.first) {  // a new result set: print its header
            std::cout << fmt::format("{}", fmt::join(*row.names, "|")) << "\n";
        }
        std::string line;
        for (size_t i = 0; i < row.values.size(); ++i) {
            if (i) line += '|';
            line += text_of(row.values[i]);
        }
        std::cout << line << "\n";
    });
}

}  // namespace

int run_sql(const SqlOptions& o) {
    std::string sql = o.file.empty() ? o.command : read_file(o.file);
    auto wh = warehouse::open_warehouse(warehouse::warehouse_uri_or_default(o.warehouse_uri));
    try {
        run_printing(*wh, sql, o.json);
    } catch (const warehouse::ScriptError& e) {
        if (o.file.empty()) throw;
        // FILE:LINE: as psql and compilers print it, so editors can jump there.
        throw BackendError(fmt::format("{}:{}: {}", o.file, e.line(), e.what()), e.kind());
    }
    return 0;
}

}  // namespace gdx::cli
