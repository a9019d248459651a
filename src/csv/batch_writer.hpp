#pragma once
// Writes the batch format (docs/batch-format.md): '|'-separated, backslash-escaped, \N = NULL.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/object_store.hpp"

namespace gdx::csv {

class BatchWriter {
  public:
    explicit BatchWriter(store::ObjectWriter& out, size_t buffer_size = 1 << 20);

    // Line 1: the column names (escaped like fields).
    void header(const std::vector<std::string>& names);
    // One field of the current row; `\`, `|`, LF and CR are escaped with a backslash.
    void field(std::string_view text);
    // SQL NULL, written as \N.
    void null_field();
    void end_row();
    // Pushes buffered bytes to `out`; does not commit. Also happens whenever the buffer fills.
    // The destructor does not flush: call flush() before committing.
    void flush();

    uint64_t rows() const { return rows_; }             // data rows ended so far (header excluded)
    uint64_t bytes() const { return flushed_ + len_; }  // written, buffered included

  private:
    // Room for `n` more bytes: flushes, or grows for a field larger than the buffer.
    char* reserve(size_t n);
    void separate();

    store::ObjectWriter& out_;
    std::vector<char> buf_;
    size_t len_ = 0;
    bool row_empty_ = true;  // no field yet in the current row
    uint64_t rows_ = 0;
    uint64_t flushed_ = 0;
};

}  // namespace gdx::csv
