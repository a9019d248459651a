#include "util/error.hpp"

#include <fmt/format.h>

namespace gdx {
namespace {
std::string describe(const DataErrorInfo& i) {
    std::string s = i.what;
    if (i.line) s += fmt::format(" (line {}", i.line);
    if (i.line && i.column) s += fmt::format(", column {}", i.column);
    if (i.line && !i.column_name.empty()) s += fmt::format(" '{}'", i.column_name);
    if (i.line) s += ")";
    if (!i.value.empty() || i.column) s += fmt::format(": value '{}'", i.value);
    return s;
}
}  // namespace

DataError::DataError(DataErrorInfo info) : std::runtime_error(describe(info)), info_(std::move(info)) {}

}  // namespace gdx
