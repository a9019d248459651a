#pragma once
// Nested cells of the CMS Lite metadata (docs/differences.md): a list wrapped in
// and separated by one delimiter, e.g. "|Guide|Form|".
#include <string_view>

namespace gdx::transform {

// True when the cell starts and ends with the delimiter (the shape the CMS exports). A cell that
// does not is still split the original's way; the caller warns (docs/differences.md).
inline bool nested_cell_is_wrapped(std::string_view cell, char delim) {
    return cell.size() >= 2 && cell.front() == delim && cell.back() == delim;
}

// Calls fn(element) for every element of the cell in order, duplicates included: exactly one
// character is stripped from each end and the rest is split on `delim` literally. Empty
// elements are skipped (docs/differences.md: "||" and "|a||b|" add no empty value).
template <typename Fn>
void for_each_nested_element(std::string_view cell, char delim, Fn&& fn) {
    if (cell.size() <= 2) return;
    std::string_view rest = cell.substr(1, cell.size() - 2);
    for (;;) {
        const size_t pos = rest.find(delim);
        std::string_view element = rest.substr(0, pos);
        if (!element.empty()) fn(element);
        if (pos == std::string_view::npos) return;
        rest.remove_prefix(pos + 1);
    }
}

}  // namespace gdx::transform
