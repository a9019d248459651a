#pragma once
// Dictionary and lookup tables of the CMS Lite nested columns (docs/differences.md,
// cmslite-metadata), collected in one pass: memory grows with the distinct values and the number of
// elements, not with the input's bytes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "csv/batch_writer.hpp"

namespace gdx::transform {

// The distinct elements of one nested column. Ids are 0-based positions in code-point order
// (byte order of UTF-8), known only after finalize(). The values live in one arena and are
// found through an open-addressing table of ids: no allocation per distinct value, none per
// lookup (~10^6 elements per 70 MB export).
class NestedDictionary {
public:
    NestedDictionary();
    // Provisional id (first-seen order) of `element`; copies it only on first sight. `hash`
    // must be hash_of(element).
    uint32_t intern(std::string_view element, uint64_t hash);
    uint32_t intern(std::string_view element) { return intern(element, hash_of(element)); }
    static uint64_t hash_of(std::string_view element);
    // Cache hints for a coming intern(): the slot of a hash, then (once that slot is in cache)
    // the bytes of the value it holds. Issued for several elements before interning any of
    // them, so that their cache misses overlap instead of following one another.
    void prefetch_slot(uint64_t hash) const { __builtin_prefetch(&slots_[hash >> shift_]); }
    void prefetch_value(uint64_t hash) const;
    // Sorts the distinct values and assigns the final ids.
    void finalize();

    size_t size() const { return entries_.size(); }
    // After finalize(): the value whose final id is `id`, and the final id of a provisional one.
    std::string_view value(size_t id) const { return view(by_final_[id]); }
    uint32_t final_id(uint32_t provisional) const { return final_of_[provisional]; }

private:
    struct Entry {
        uint64_t offset;  // into arena_ (offsets, not pointers: the arena grows)
        uint64_t length;
    };
    // A slot carries what a probe compares, so that a hit reads the slot and the value's bytes
    // only (one dependent cache miss fewer than slot -> entry -> bytes).
    struct Slot {
        uint64_t offset_and_tag;  // arena offset in the low 40 bits, 24 bits of the hash above
        uint32_t length;
        uint32_t id_plus_1;  // 0 = empty
    };
    std::string_view view(uint32_t id) const {
        return {arena_.data() + entries_[id].offset, entries_[id].length};
    }
    uint32_t insert(std::string_view element, uint64_t hash, Slot& slot);
    void grow();

    std::string arena_;
    std::vector<Entry> entries_;      // by provisional id
    std::vector<Slot> slots_;         // size is a power of two, at most half full
    unsigned shift_ = 64;             // slot index of a hash = hash >> shift_
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
    void add_cell(uint32_t row, std::string_view cell) {
        stage_cell(row, cell);
        commit_staged();
    }
    // add_cell in two steps, so that a caller can stage the cells of all its columns before
    // committing any (their dictionary look-ups then overlap in memory). The staged text must
    // stay valid until commit_staged().
    void stage_cell(uint32_t row, std::string_view cell);
    void commit_staged();
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
    struct Staged {
        std::string_view element;
        uint64_t hash;
    };
    std::vector<Staged> staged_;  // reused: no allocation per row
};

}  // namespace gdx::transform
