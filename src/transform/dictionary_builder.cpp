#include "transform/dictionary_builder.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>

#include "transform/nested_cell.hpp"

namespace gdx::transform {

uint32_t NestedDictionary::intern(std::string_view element) {
    auto it = ids_.find(element);
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<uint32_t>(values_.size());
    values_.emplace_back(element);
    ids_.emplace(values_.back(), id);
    return id;
}

void NestedDictionary::finalize() {
    by_final_.resize(values_.size());
    std::iota(by_final_.begin(), by_final_.end(), 0u);
    // std::string compares bytes as unsigned char: UTF-8 byte order = code-point order.
    std::sort(by_final_.begin(), by_final_.end(),
              [&](uint32_t a, uint32_t b) { return values_[a] < values_[b]; });
    final_of_.resize(values_.size());
    for (uint32_t f = 0; f < by_final_.size(); ++f) final_of_[by_final_[f]] = f;
}

uint32_t RowKeys::add(std::string_view key) {
    arena_.append(key);
    offsets_.push_back(arena_.size());
    return static_cast<uint32_t>(offsets_.size() - 2);
}

void NestedColumn::add_cell(uint32_t row, std::string_view cell) {
    for_each_nested_element(cell, delim_, [&](std::string_view element) {
        rows_.push_back(row);
        elements_.push_back(dictionary_.intern(element));
    });
}

namespace {
std::string_view decimal(uint32_t v, char (&buf)[16]) {
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return {buf, static_cast<size_t>(r.ptr - buf)};
}
}  // namespace

void NestedColumn::write_dictionary(const std::vector<std::string>& header,
                                    csv::BatchWriter& out) const {
    char buf[16];
    out.header(header);
    for (uint32_t id = 0; id < dictionary_.size(); ++id) {
        out.field(decimal(id, buf));
        out.field(dictionary_.value(id));
        out.end_row();
    }
}

void NestedColumn::write_lookup(const RowKeys& keys, const std::vector<std::string>& header,
                                csv::BatchWriter& out) const {
    char buf[16];
    out.header(header);
    for (size_t i = 0; i < rows_.size(); ++i) {
        out.field(keys[rows_[i]]);
        out.field(decimal(dictionary_.final_id(elements_[i]), buf));
        out.end_row();
    }
}

}  // namespace gdx::transform
