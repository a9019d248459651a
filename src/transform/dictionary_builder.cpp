#include "transform/dictionary_builder.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <numeric>

#include "transform/nested_cell.hpp"
#include "util/error.hpp"

namespace gdx::transform {

namespace {

// Folded 64x64->128 multiply: the mixing step of wyhash-style hashes.
inline uint64_t fold_multiply(uint64_t a, uint64_t b) {
    const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t load64(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline uint64_t load32(const char* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// A fast hash for the short texts of a taxonomy (typically 5-60 bytes); reads only inside the
// element. Quality is enough for a table kept at most half full.
uint64_t hash_bytes(std::string_view s) {
    const char* p = s.data();
    size_t n = s.size();
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xA0761D6478BD642Full);
    for (; n > 8; p += 8, n -= 8) h = fold_multiply(h ^ load64(p), 0xE7037ED1A0B428DBull);
    uint64_t tail = 0;
    if (n >= 4)
        tail = (load32(p) << 32) | load32(p + n - 4);
    else if (n > 0)
        tail = (uint64_t{static_cast<unsigned char>(p[0])} << 16) |
               (uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
               static_cast<unsigned char>(p[n - 1]);
    return fold_multiply(h ^ tail, 0x8EBC6AF09C88C6E3ull);
}

constexpr unsigned initial_log2_slots = 6;
constexpr unsigned offset_bits = 40;
constexpr uint64_t offset_mask = (uint64_t{1} << offset_bits) - 1;

inline uint64_t tag_of(uint64_t hash) {
    return (hash & 0xFFFFFF) << offset_bits;
}

}  // namespace

NestedDictionary::NestedDictionary()
    : slots_(size_t{1} << initial_log2_slots), shift_(64 - initial_log2_slots) {}

uint64_t NestedDictionary::hash_of(std::string_view element) {
    return hash_bytes(element);
}

void NestedDictionary::prefetch_value(uint64_t hash) const {
    const Slot& slot = slots_[hash >> shift_];
    if (slot.id_plus_1 != 0 && (slot.offset_and_tag & ~offset_mask) == tag_of(hash))
        __builtin_prefetch(arena_.data() + (slot.offset_and_tag & offset_mask));
}

uint32_t NestedDictionary::intern(std::string_view element, uint64_t hash) {
    const uint64_t tag = tag_of(hash);
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash >> shift_;; i = (i + 1) & mask) {
        Slot& slot = slots_[i];
        if (slot.id_plus_1 == 0) return insert(element, hash, slot);
        if ((slot.offset_and_tag & ~offset_mask) == tag && slot.length == element.size() &&
            std::memcmp(arena_.data() + (slot.offset_and_tag & offset_mask), element.data(),
                        element.size()) == 0)
            return slot.id_plus_1 - 1;
    }
}

uint32_t NestedDictionary::insert(std::string_view element, uint64_t hash, Slot& slot) {
    if (element.size() > UINT32_MAX || arena_.size() + element.size() > offset_mask ||
        entries_.size() >= UINT32_MAX - 1) {
        DataErrorInfo info;
        info.what =
            "a nested column has more distinct values than one dictionary holds (1 TiB, "
            "4 GiB per value, 2^32 - 2 values)";
        throw DataError(std::move(info));
    }
    const auto id = static_cast<uint32_t>(entries_.size());
    entries_.push_back({arena_.size(), element.size()});
    slot = {arena_.size() | tag_of(hash), static_cast<uint32_t>(element.size()), id + 1};
    arena_.append(element);
    if (entries_.size() * 2 > slots_.size()) grow();
    return id;
}

// Doubles the table; the stored values are re-placed by their hash (recomputed: they are short).
void NestedDictionary::grow() {
    slots_.assign(slots_.size() * 2, Slot{});
    --shift_;
    const size_t mask = slots_.size() - 1;
    for (uint32_t id = 0; id < entries_.size(); ++id) {
        const uint64_t hash = hash_bytes(view(id));
        size_t i = hash >> shift_;
        while (slots_[i].id_plus_1 != 0) i = (i + 1) & mask;
        slots_[i] = {entries_[id].offset | tag_of(hash), static_cast<uint32_t>(entries_[id].length),
                     id + 1};
    }
}

void NestedDictionary::finalize() {
    by_final_.resize(entries_.size());
    std::iota(by_final_.begin(), by_final_.end(), 0u);
    // string_view compares bytes as unsigned char: UTF-8 byte order = code-point order.
    std::sort(by_final_.begin(), by_final_.end(),
              [&](uint32_t a, uint32_t b) { return view(a) < view(b); });
    final_of_.resize(entries_.size());
    for (uint32_t f = 0; f < by_final_.size(); ++f) final_of_[by_final_[f]] = f;
}

uint32_t RowKeys::add(std::string_view key) {
    arena_.append(key);
    offsets_.push_back(arena_.size());
    return static_cast<uint32_t>(offsets_.size() - 2);
}

void NestedColumn::stage_cell(uint32_t row, std::string_view cell) {
    for_each_nested_element(cell, delim_, [&](std::string_view element) {
        const uint64_t hash = NestedDictionary::hash_of(element);
        dictionary_.prefetch_slot(hash);
        staged_.push_back({element, hash});
        rows_.push_back(row);
    });
}

void NestedColumn::commit_staged() {
    for (const auto& s : staged_) dictionary_.prefetch_value(s.hash);
    for (const auto& s : staged_) elements_.push_back(dictionary_.intern(s.element, s.hash));
    staged_.clear();
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
    // The decimal text of each element's final id, formatted once per distinct value instead
    // of once per lookup pair, indexed by provisional id.
    char buf[16];
    std::string id_text;
    std::vector<uint32_t> id_end(dictionary_.size());
    for (uint32_t p = 0; p < dictionary_.size(); ++p) {
        id_text.append(decimal(dictionary_.final_id(p), buf));
        id_end[p] = static_cast<uint32_t>(id_text.size());
    }
    out.header(header);
    for (size_t i = 0; i < rows_.size(); ++i) {
        const uint32_t p = elements_[i];
        const uint32_t begin = p == 0 ? 0 : id_end[p - 1];
        out.field(keys[rows_[i]]);
        out.field(std::string_view(id_text).substr(begin, id_end[p] - begin));
        out.end_row();
    }
}

}  // namespace gdx::transform
