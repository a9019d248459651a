#include "jobs/source_lines.hpp"

#include <algorithm>

namespace gdx::jobs {

void SourceLines::add_run(uint64_t row, uint64_t source_line) {
    if (runs_.size() == kMaxRuns) {
        known_rows_ = std::min(known_rows_, row);
        return;
    }
    runs_.push_back({row, source_line - row});
}

std::optional<uint64_t> SourceLines::line_of_record(uint64_t record) const {
    if (record < 2) return std::nullopt;
    const uint64_t row = record - 2;
    if (row >= rows_ || row >= known_rows_) return std::nullopt;
    // The last run starting at or before `row`.
    auto it = std::upper_bound(runs_.begin(), runs_.end(), row,
                               [](uint64_t r, const Run& run) { return r < run.first_row; });
    if (it == runs_.begin()) return std::nullopt;
    return row + std::prev(it)->offset;
}

void SourceLines::clear() {
    runs_.clear();
    rows_ = 0;
    known_rows_ = UINT64_MAX;
}

}  // namespace gdx::jobs
