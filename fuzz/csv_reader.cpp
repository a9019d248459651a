// The CSV reader with every option (delimiter, strip_quotes, quoting, backslash escapes,
// buffer size, chunking)
// over a decoder of any supported encoding. The same bytes are read twice, with a large
// buffer in one chunk and with a tiny buffer fed in small chunks: both must give the same
// records and lines, or the same error at the same line, so buffer refills and chunk
// boundaries change nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "csv/csv_reader.hpp"
#include "csv/encoding.hpp"
#include "fuzz_input.hpp"
#include "util/error.hpp"

namespace {

using namespace gdx;

constexpr const char* kEncodings[] = {"utf-8",     "latin-1", "cp1252", "utf-16",
                                      "utf-16-be", "utf-32",  "ascii"};

struct Result {
    std::vector<std::vector<std::string>> rows;
    std::vector<uint64_t> lines;
    std::string error;
    uint64_t error_line = 0;
    bool operator==(const Result&) const = default;
};

Result read_all(std::string_view bytes, const csv::Encoding& enc, const csv::CsvOptions& opt,
                size_t max_chunk) {
    Result r;
    csv::StringSource raw(bytes, max_chunk);
    auto decoded = csv::make_decoder(raw, enc);
    csv::CsvReader reader(*decoded, opt);
    csv::Row row;
    uint64_t consumed = 0;
    try {
        while (reader.next(row)) {
            std::vector<std::string> fields;
            for (size_t i = 0; i < row.size(); ++i) fields.emplace_back(row[i]);
            r.rows.push_back(std::move(fields));
            r.lines.push_back(row.line());
            gdx::fuzz::check(reader.bytes_consumed() >= consumed);
            consumed = reader.bytes_consumed();
        }
    } catch (const DataError& e) {
        r.error = e.info().what;
        r.error_line = e.info().line;
    }
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gdx::fuzz::FuzzInput in(data, size);
    const uint8_t flags = in.byte();
    // Any ASCII delimiter a config may name (not '"', CR, LF or NUL).
    char delim = static_cast<char>(in.byte() & 0x7f);
    if (delim == '"' || delim == '\n' || delim == '\r' || delim == '\0') delim = ',';
    const size_t small_buffer = 1 + in.byte() % 64;
    const size_t small_chunk = 1 + in.byte() % 17;

    csv::CsvOptions opt;
    opt.delimiter = delim;
    opt.strip_quotes = flags & 1;
    opt.quoting = !(flags & 2);
    opt.backslash_escapes = !opt.quoting && (flags & 0x80);  // only meaningful without quoting
    const csv::Encoding enc =
        csv::resolve_encoding(kEncodings[(flags >> 2) % std::size(kEncodings)]);

    const std::string_view bytes = in.rest();
    // Larger than any input (-max_len) yet small: the default 1 MiB buffer is zeroed on every
    // input, which made this target 50 times slower.
    opt.buffer_size = 64 * 1024;
    const Result whole = read_all(bytes, enc, opt, static_cast<size_t>(-1));
    opt.buffer_size = small_buffer;
    const Result chunked = read_all(bytes, enc, opt, small_chunk);
    if (whole.error.empty() && chunked.error.empty()) {
        gdx::fuzz::check(whole == chunked);
    } else {
        // Records before an error depend on how far the reader had read ahead (the object is
        // bad either way); the error itself must not.
        gdx::fuzz::check(whole.error == chunked.error && whole.error_line == chunked.error_line);
    }
    return 0;
}
