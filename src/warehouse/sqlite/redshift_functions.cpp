#include "warehouse/sqlite/redshift_functions.hpp"

#include <chrono>
#include <ctime>
#include <string_view>

#include <fmt/format.h>

#include "util/error.hpp"

namespace gdx::warehouse::sqlite {
namespace {

bool any_null(int argc, sqlite3_value** argv) {
    for (int i = 0; i < argc; ++i) {
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return true;
    }
    return false;
}

std::string_view text_arg(sqlite3_value* v) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return p == nullptr ? std::string_view() : std::string_view(p, sqlite3_value_bytes(v));
}

void result_text(sqlite3_context* ctx, std::string_view s) {
    // A null data pointer would make the result SQL NULL; '' must stay ''.
    sqlite3_result_text(ctx, s.empty() ? "" : s.data(), static_cast<int>(s.size()),
                        SQLITE_TRANSIENT);
}

bool continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

int64_t utf8_length(std::string_view s) {
    int64_t n = 0;
    for (char c : s) n += continuation_byte(c) ? 0 : 1;
    return n;
}

// Byte offset of the n-th character (clamped to the end).
size_t utf8_offset(std::string_view s, int64_t chars) {
    size_t i = 0;
    for (; i < s.size() && chars > 0; --chars) {
        ++i;
        while (i < s.size() && continuation_byte(s[i])) ++i;
    }
    return i;
}

// split_part(string, delimiter, n): 1-based field, '' past the end (PostgreSQL/Redshift).
void split_part(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const std::string_view s = text_arg(argv[0]);
    const std::string_view delim = text_arg(argv[1]);
    const int64_t n = sqlite3_value_int64(argv[2]);
    if (n <= 0)
        return sqlite3_result_error(ctx, "split_part: field position must be greater than zero",
                                    -1);
    if (delim.empty()) return result_text(ctx, n == 1 ? s : std::string_view());
    size_t start = 0;
    for (int64_t field = 1;; ++field) {
        const size_t end = s.find(delim, start);
        if (field == n)
            return result_text(ctx,
                               s.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) return result_text(ctx, std::string_view());
        start = end + delim.size();
    }
}

void nvl(sqlite3_context* ctx, int, sqlite3_value** argv) {
    sqlite3_result_value(ctx, sqlite3_value_type(argv[0]) != SQLITE_NULL ? argv[0] : argv[1]);
}

void nvl2(sqlite3_context* ctx, int, sqlite3_value** argv) {
    sqlite3_result_value(ctx, sqlite3_value_type(argv[0]) != SQLITE_NULL ? argv[1] : argv[2]);
}

// Current UTC time as Redshift prints a TIMESTAMP; getdate() has whole seconds.
void now_text(sqlite3_context* ctx, bool fraction) {
    const auto now = std::chrono::system_clock::now();
    const std::time_t secs = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    if (fraction) {
        const auto micros =
            std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
            1000000;
        n += static_cast<size_t>(
            std::snprintf(buf + n, sizeof buf - n, ".%06lld", static_cast<long long>(micros)));
    }
    result_text(ctx, std::string_view(buf, n));
}

void getdate(sqlite3_context* ctx, int, sqlite3_value**) {
    now_text(ctx, false);
}
void sysdate(sqlite3_context* ctx, int, sqlite3_value**) {
    now_text(ctx, true);
}

void len(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    sqlite3_result_int64(ctx, utf8_length(text_arg(argv[0])));
}

// charindex(substring, string): 1-based character position, 0 when absent.
void charindex(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const std::string_view needle = text_arg(argv[0]);
    const std::string_view hay = text_arg(argv[1]);
    const size_t at = hay.find(needle);
    sqlite3_result_int64(ctx,
                         at == std::string_view::npos ? 0 : utf8_length(hay.substr(0, at)) + 1);
}

void left(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const std::string_view s = text_arg(argv[0]);
    const int64_t n = sqlite3_value_int64(argv[1]);
    const int64_t chars = n >= 0 ? n : std::max<int64_t>(0, utf8_length(s) + n);
    result_text(ctx, s.substr(0, utf8_offset(s, chars)));
}

void right(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const std::string_view s = text_arg(argv[0]);
    const int64_t n = sqlite3_value_int64(argv[1]);
    const int64_t total = utf8_length(s);
    const int64_t skip = n >= 0 ? std::max<int64_t>(0, total - n) : std::min(total, -n);
    result_text(ctx, s.substr(utf8_offset(s, skip)));
}

void add(sqlite3* db, const char* name, int args,
         void (*fn)(sqlite3_context*, int, sqlite3_value**), bool deterministic) {
    const int flags = SQLITE_UTF8 | (deterministic ? SQLITE_DETERMINISTIC : 0);
    const int rc =
        sqlite3_create_function_v2(db, name, args, flags, nullptr, fn, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        throw BackendError(fmt::format("SQLite: registering {}(): {}", name, sqlite3_errmsg(db)));
}

}  // namespace

void register_redshift_functions(sqlite3* db) {
    add(db, "split_part", 3, split_part, true);
    add(db, "nvl", 2, nvl, true);
    add(db, "nvl2", 3, nvl2, true);
    add(db, "getdate", 0, getdate, false);
    add(db, "sysdate", 0, sysdate, false);
    add(db, "len", 1, len, true);
    add(db, "charindex", 2, charindex, true);
    add(db, "redshift_left", 2, left, true);
    add(db, "redshift_right", 2, right, true);
}

}  // namespace gdx::warehouse::sqlite
