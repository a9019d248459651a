#include "google/report_text.hpp"

#include <fmt/format.h>

namespace gdx::google {

void append_numbered_list(std::string& out, const char* title,
                          const std::vector<std::string>& items) {
    if (items.empty()) return;
    out += fmt::format("\n{}\n", title);
    for (size_t i = 0; i < items.size(); ++i) out += fmt::format("{}: {}\n", i + 1, items[i]);
}

}  // namespace gdx::google
