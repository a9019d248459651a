#pragma once
// Writes a query result in the text format of Redshift's UNLOAD, streamed into the store:
// rows end with LF, fields are joined by the delimiter (no trailing one), NULL is written as
// `null_as` (empty by default), ADDQUOTES wraps every field in '"' without doubling inner
// quotes, ESCAPE puts a backslash before LF, CR, the delimiter and '\' (and, with ADDQUOTES,
// before '"' and '\'') in character values. The header (column names in lower case) gets
// the same treatment and starts every part. A result without rows writes no object at all.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "store/object_store.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::exports {

struct TextFormat {
    char delimiter = '|';
    bool addquotes = false;
    bool escape = false;
    bool header = false;
    std::string null_as;  // NULL AS; empty = Redshift's default
};

// UNLOAD's largest file (6.2 GB): the next row starts a new part.
inline constexpr uint64_t kMaxPartBytes = 6'657'199'308;

// Opens the object of part `index` (0 = _part000); may throw (e.g. the object exists).
using PartOpener = std::function<std::unique_ptr<store::ObjectWriter>(unsigned index)>;

class UnloadEncoder : public warehouse::QueryRowSink {
public:
    UnloadEncoder(TextFormat format, PartOpener open_part, uint64_t part_limit = kMaxPartBytes);

    void begin(const std::vector<warehouse::QueryColumn>& columns) override;
    void row(std::span<const warehouse::QueryField> fields) override;
    // Commits the last part (if any row was written).
    void finish();

    uint64_t rows() const { return rows_; }
    unsigned parts() const { return parts_; }
    uint64_t bytes() const { return bytes_; }

private:
    void start_part();
    void put_field(std::string_view text, bool character);
    void end_line();
    void flush();

    TextFormat format_;
    PartOpener open_part_;
    uint64_t part_limit_;
    std::vector<warehouse::QueryColumn> columns_;
    std::unique_ptr<store::ObjectWriter> writer_;
    std::string buffer_;
    bool special_[256] = {};
    uint64_t rows_ = 0, bytes_ = 0, part_bytes_ = 0;
    unsigned parts_ = 0;
};

}  // namespace gdx::exports
