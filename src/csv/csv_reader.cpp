#include "csv/csv_reader.hpp"

#include <algorithm>
#include <cstring>

#include "csv/byte_scan.hpp"
#include "util/error.hpp"

namespace gdx::csv {
namespace {

using detail::find_any3;
using detail::kScanPadding;

constexpr size_t kMinBuffer = 4;  // room for a BOM plus one byte
// Readable bytes after the data: parse_simple loads 64-byte blocks, find_any3 16 bytes.
constexpr size_t kPadding = 64;
static_assert(kPadding >= kScanPadding);
static_assert(kPadding >= Row::kReadablePastField);  // fields end at or before the data's end

}  // namespace

CsvReader::CsvReader(ByteSource& utf8, const CsvOptions& options)
    : src_(utf8),
      delim_(options.delimiter),
      strip_quotes_(options.strip_quotes),
      quoting_(options.quoting),
      escapes_(options.backslash_escapes && !options.quoting),
      simple_(delim_ != '"' && delim_ != '\n' && delim_ != '\r'),
      capacity_(std::max(options.buffer_size, kMinBuffer)) {
    buf_.resize(capacity_ + kPadding);
}

size_t CsvReader::strip_quotes(char* p, size_t n) {
    char* w = static_cast<char*>(std::memchr(p, '"', n));
    if (!w) return n;
    const char* const end = p + n;
    for (const char* r = w; r < end; ++r)
        if (*r != '"') *w++ = *r;
    return static_cast<size_t>(w - p);
}

void CsvReader::fill() {
    while (end_ < capacity_ && !eof_) {
        size_t got = src_.read(buf_.data() + end_, capacity_ - end_);
        if (got == 0) {
            eof_ = true;
            break;
        }
        if (strip_quotes_) got = strip_quotes(buf_.data() + end_, got);
        end_ += got;
    }
}

void CsvReader::refill() {
    if (pos_ > 0) {
        std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
        consumed_before_buffer_ += pos_;
        end_ -= pos_;
        pos_ = 0;
    }
    if (end_ == capacity_) {  // one record fills the whole buffer: grow
        capacity_ *= 2;
        buf_.resize(capacity_ + kPadding);
    }
    fill();
}

bool CsvReader::next(Row& row) {
    if (!started_) {
        started_ = true;
        fill();
        if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
    }
    for (;;) {
        switch (parse(row)) {
            case Step::Record:
                return true;
            case Step::End:
                return false;
            case Step::NeedMore:
                refill();
                break;
        }
    }
}

// Tokenizes one record starting at pos_. Restartable: on NeedMore nothing of the record has
// been committed, so it is parsed again from its start once more data is buffered.
CsvReader::Step CsvReader::parse(Row& row) {
    const char* const base = buf_.data();
    const char* const end = base + end_;
    const char* p = base + pos_;
    const char d = delim_;
    // Only a record's end, a line break or a blank can start a blank line: most records skip
    // the call (it is not inlined, and this runs once per record).
    if (p == end || *p == '\n' || *p == '\r' || *p == ' ' || *p == '\t') {
        if (const Step s = skip_blank_lines(p); s != Step::Record) return s;
        pos_ = static_cast<size_t>(p - base);
    }

    row.size_ = 0;
    row.arena_.clear();
    row.arena_fields_.clear();
    row.line_ = line_;
    if (simple_ && parse_simple(row, p)) return Step::Record;
    row.size_ = 0;
    uint64_t lines = 0;  // line breaks consumed by this record

    for (;;) {             // one field per iteration; p is at its first byte
        const char* stop;  // delimiter or terminator ending the field; end = end of input
        if (quoting_ && p < end && *p == '"') {
            if (parse_quoted(row, p, stop, lines) == Step::NeedMore) return Step::NeedMore;
        } else if (escapes_) {
            if (parse_escaped_field(row, p, stop, lines) == Step::NeedMore) return Step::NeedMore;
        } else {
            stop = find_any3(p, end, d, '\n', '\r');
            if (stop == end && !eof_) return Step::NeedMore;
            row.add({p, static_cast<size_t>(stop - p)});
        }

        if (stop == end) {  // end of input ends the record
            p = end;
            break;
        }
        if (*stop == d) {
            p = stop + 1;
            continue;
        }
        if (*stop == '\r') {
            if (stop + 1 == end && !eof_) return Step::NeedMore;
            p = stop + ((stop + 1 < end && stop[1] == '\n') ? 2 : 1);
        } else {
            p = stop + 1;
        }
        ++lines;
        break;
    }
    pos_ = static_cast<size_t>(p - base);
    line_ += lines;
    row.resolve_arena();
    return Step::Record;
}

// Blank and whitespace-only lines belong to no record (pandas skip_blank_lines). Moves `p` past
// them: Record when it is at a record's first byte; End or NeedMore (pos_ set) otherwise.
CsvReader::Step CsvReader::skip_blank_lines(const char*& p) {
    const char* const base = buf_.data();
    const char* const end = base + end_;
    const char d = delim_;
    for (;;) {
        if (p == end) {
            pos_ = static_cast<size_t>(p - base);
            return eof_ ? Step::End : Step::NeedMore;
        }
        const char c = *p;
        if (c == '\n') {
            ++p;
            ++line_;
            continue;
        }
        if (c == '\r') {
            if (p + 1 == end && !eof_) {  // cannot tell \r from \r\n yet
                pos_ = static_cast<size_t>(p - base);
                return Step::NeedMore;
            }
            p += (p + 1 < end && p[1] == '\n') ? 2 : 1;
            ++line_;
            continue;
        }
        if ((c == ' ' || c == '\t') && c != d) {
            const char* q = p + 1;
            while (q < end && (*q == ' ' || *q == '\t') && *q != d) ++q;
            if (q == end) {
                if (!eof_) {
                    pos_ = static_cast<size_t>(p - base);
                    return Step::NeedMore;
                }
                p = q;
                continue;
            }
            if (*q == '\n' || *q == '\r') {
                p = q;
                continue;
            }
        }
        return Step::Record;
    }
}

// The quoted field whose opening quote is at `p`: "" is one ", line breaks are content, and
// text after the closing quote is appended. Adds the field to `row` (unescaped into its arena
// when needed), sets `stop` to the byte after it and counts the line breaks it holds in `lines`.
// Record when complete, NeedMore when the buffer ends first; throws DataError (stage parse) for
// a quote never closed.
CsvReader::Step CsvReader::parse_quoted(Row& row, const char* p, const char*& stop,
                                        uint64_t& lines) {
    const char* const end = buf_.data() + end_;
    const char d = delim_;
    const uint64_t field_line = line_ + lines;
    const char* seg = p + 1;  // start of the not yet copied part of the content
    const char* q = seg;
    bool in_arena = false;
    size_t arena_off = 0;
    auto to_arena = [&](const char* from, const char* to) {
        if (!in_arena) {
            in_arena = true;
            arena_off = row.arena_.size();
        }
        row.arena_.append(from, static_cast<size_t>(to - from));
    };
    for (;;) {
        q = find_any3(q, end, '"', '\n', '\r');
        if (q == end) {
            if (!eof_) return Step::NeedMore;
            throw DataError(
                {"unterminated quoted field", field_line, static_cast<uint32_t>(row.size_ + 1), "",
                 shown_value(std::string_view(p + 1, end))},
                FailureStage::Parse);
        }
        if (*q == '\n') {
            ++lines;
            ++q;
            continue;
        }
        if (*q == '\r') {
            if (q + 1 == end && !eof_) return Step::NeedMore;
            if (q + 1 == end || q[1] != '\n') ++lines;
            ++q;
            continue;
        }
        if (q + 1 == end && !eof_) return Step::NeedMore;
        if (q + 1 < end && q[1] == '"') {  // "" inside quotes is one "
            to_arena(seg, q + 1);
            seg = q = q + 2;
            continue;
        }
        break;  // closing quote
    }
    stop = q + 1;
    if (stop < end && *stop != d && *stop != '\n' && *stop != '\r') {
        // Text after the closing quote is appended: `"x" y` -> `x y`.
        to_arena(seg, q);
        const char* tail = stop;
        stop = find_any3(tail, end, d, '\n', '\r');
        if (stop == end && !eof_) return Step::NeedMore;
        row.arena_.append(tail, static_cast<size_t>(stop - tail));
    } else if (in_arena) {
        row.arena_.append(seg, static_cast<size_t>(q - seg));
    }
    if (in_arena)
        row.add_arena(arena_off, row.arena_.size() - arena_off);
    else
        row.add({seg, static_cast<size_t>(q - seg)});
    return Step::Record;
}

// An unquoted field with backslash escapes starting at p: `\x` is x (a line break too, which
// then belongs to the field). Sets stop to the delimiter or terminator that ends it.
CsvReader::Step CsvReader::parse_escaped_field(Row& row, const char*& p, const char*& stop,
                                               uint64_t& lines) {
    const char* const end = buf_.data() + end_;
    const char d = delim_;
    const char* seg = p;  // start of the part not yet copied to the arena
    const char* q = p;
    bool in_arena = false;
    size_t arena_off = 0;
    uint64_t escaped_lines = 0;
    for (;; ++q) {
        while (q < end && *q != d && *q != '\n' && *q != '\r' && *q != '\\') ++q;
        if (q == end || *q != '\\') break;
        if (q + 1 == end) {
            if (!eof_) return Step::NeedMore;
            q = end;  // a backslash at the very end of the input is kept as it is
            break;
        }
        if (!in_arena) {
            in_arena = true;
            arena_off = row.arena_.size();
        }
        row.arena_.append(seg, static_cast<size_t>(q - seg));
        ++q;  // the escaped character, taken as it is
        if (*q == '\n' || (*q == '\r' && (q + 1 == end || q[1] != '\n'))) ++escaped_lines;
        seg = q;
    }
    if (q == end && !eof_) return Step::NeedMore;
    stop = q;
    lines += escaped_lines;
    if (in_arena) {
        row.arena_.append(seg, static_cast<size_t>(q - seg));
        row.add_arena(arena_off, row.arena_.size() - arena_off);
    } else {
        row.add({p, static_cast<size_t>(q - p)});
    }
    return Step::Record;
}

// The common record: unquoted fields ended by LF or CRLF, all in the buffer. Finds the
// delimiters 64 bytes at a time (one bit mask per block, walked bit by bit) instead of one
// search per field. Returns false, having committed nothing, for a record that needs the
// general rules: a quote anywhere, a lone CR, or no terminator buffered yet.
bool CsvReader::parse_simple(Row& row, const char* p) {
#if defined(__SSE2__)
    const char* const base = buf_.data();
    const char* const end = base + end_;
    const char d = delim_;
    const __m128i vd = _mm_set1_epi8(d);
    const __m128i vlf = _mm_set1_epi8('\n');
    const __m128i vcr = _mm_set1_epi8('\r');
    // Records with a quote (or, with escapes, a backslash) take the general path.
    const __m128i vq = _mm_set1_epi8(escapes_ ? '\\' : '"');
    auto specials16 = [&](const char* at) -> uint64_t {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
        const __m128i hit =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vlf)),
                         _mm_or_si128(_mm_cmpeq_epi8(x, vcr), _mm_cmpeq_epi8(x, vq)));
        return static_cast<uint32_t>(_mm_movemask_epi8(hit));
    };
    // Spans are written through a local pointer and count (kept in registers), with room
    // for a whole block's worth made before each block.
    size_t n = 0;
    const char* field = p;
    for (const char* block = p; block < end; block += 64) {
        if (row.spans_.size() < n + 64) row.spans_.resize(n + 64);
        Row::Span* const spans = row.spans_.data();
        uint64_t mask = specials16(block) | specials16(block + 16) << 16 |
                        specials16(block + 32) << 32 | specials16(block + 48) << 48;
        if (end - block < 64) mask &= (uint64_t{1} << (end - block)) - 1;
        while (mask) {
            const char* s = block + __builtin_ctzll(mask);
            mask &= mask - 1;
            spans[n++] = {field, static_cast<size_t>(s - field)};
            const char c = *s;
            if (c == d) {
                field = s + 1;
                continue;
            }
            const char* next;
            if (c == '\n') {
                next = s + 1;
            } else if (c == '\r' && s + 1 < end && s[1] == '\n') {
                next = s + 2;
            } else {
                return false;  // a quote or a lone CR
            }
            row.size_ = n;
            pos_ = static_cast<size_t>(next - base);
            ++line_;
            return true;
        }
    }
#else
    (void)row;
    (void)p;
#endif
    return false;
}

}  // namespace gdx::csv
