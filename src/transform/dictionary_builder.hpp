#pragma once
// Dictionary and lookup tables of the CMS Lite nested columns (spec cmslite_metadata.md
// §5.7–5.8), collected in one pass: memory grows with the distinct values and the number of
// elements, not with the input's bytes.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "csv/batch_writer.hpp"

namespace gdx::transform {

// The distinct elements of one nested column. Ids are 0-based positions in code-point order
// (byte order of UTF-8), known only after finalize().
class NestedDictionary {
public:
    // Provisional id (first-seen order) of `element`; copies it only on first sight.
    uint32_t intern(std::string_view element);
    // Sorts the distinct values and assigns the final ids.
    void finalize();

    size_t size() const { return values_.size(); }
    // After finalize(): the value whose final id is `id`, and the final id of a provisional one.
    std::string_view value(size_t id) const { return values_[by_final_[id]]; }
    uint32_t final_id(uint32_t provisional) const { return final_of_[provisional]; }

private:
    std::deque<std::string> values_;  // stable addresses: the map's keys view into them
    std::unordered_map<std::string_view, uint32_t> ids_;
    std::vector<uint32_t> by_final_;  // final id -> provisional id
    std::vector<uint32_t> final_of_;  // provisional id -> final id
};

// The key column of the lookups (node_id), one entry per input row, in one arena.
class RowKeys {
public:
    uint32_t add(std::string_view key);
    std::string_view operator[](uint32_t row) const {
        return std::string_view(arena_).substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
    }
    size_t size() const { return offsets_.size() - 1; }

private:
    std::string arena_;
    std::vector<uint64_t> offsets_{0};
};

// One nested column: its dictionary and its lookup pairs (row, element) in input order.
class NestedColumn {
public:
    explicit NestedColumn(char delim) : delim_(delim) {}
    // Adds the elements of one row's (non-missing) cell.
    void add_cell(uint32_t row, std::string_view cell);
    void finalize() { dictionary_.finalize(); }

    const NestedDictionary& dictionary() const { return dictionary_; }
    size_t lookup_rows() const { return rows_.size(); }

    // Batch of the dictionary table: `header` (e.g. id, value), then "<id>|<value>" by id.
    void write_dictionary(const std::vector<std::string>& header, csv::BatchWriter& out) const;
    // Batch of the lookup table: `header` (e.g. node_id, id), then "<key of row>|<id>".
    void write_lookup(const RowKeys& keys, const std::vector<std::string>& header,
                      csv::BatchWriter& out) const;

private:
    char delim_;
    NestedDictionary dictionary_;
    std::vector<uint32_t> rows_;      // input row of each lookup pair
    std::vector<uint32_t> elements_;  // provisional id of each lookup pair
};

}  // namespace gdx::transform
