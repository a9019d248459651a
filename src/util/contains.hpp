#pragma once
// contains(range, value): whether any element equals value (std::ranges::contains is C++23).
#include <algorithm>

namespace gdx::util {

template <typename Range, typename T>
bool contains(const Range& range, const T& value) {
    return std::find(std::begin(range), std::end(range), value) != std::end(range);
}

}  // namespace gdx::util
