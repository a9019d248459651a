#include "warehouse/sqlite/redshift_functions.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cctype>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "util/error.hpp"
#include "warehouse/sql/redshift_datetime.hpp"

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

// The current time as Redshift prints a TIMESTAMP (GDX_NOW pins it).
void getdate(sqlite3_context* ctx, int, sqlite3_value**) {
    try {
        result_text(ctx, sql::format_timestamp(sql::redshift_getdate()));
    } catch (const std::exception& e) {
        sqlite3_result_error(ctx, e.what(), -1);
    }
}
void sysdate(sqlite3_context* ctx, int, sqlite3_value**) {
    try {
        result_text(ctx, sql::format_timestamp(sql::redshift_sysdate()));
    } catch (const std::exception& e) {
        sqlite3_result_error(ctx, e.what(), -1);
    }
}

// A date/time argument: ISO or YYYYMMDD text (or an integer such as 20240131).
std::optional<sql::DateTime> datetime_arg(sqlite3_context* ctx, const char* fn, sqlite3_value* v) {
    const std::string_view text = text_arg(v);
    auto parsed = sql::parse_datetime(text);
    if (!parsed) {
        const std::string message =
            fmt::format("{}: invalid input syntax for type timestamp: \"{}\"", fn, text);
        sqlite3_result_error(ctx, message.c_str(), -1);
    }
    return parsed;
}

void error(sqlite3_context* ctx, const char* fn, const std::exception& e) {
    const std::string message = fmt::format("{}: {}", fn, e.what());
    sqlite3_result_error(ctx, message.c_str(), -1);
}

// dateadd('part', n, t) → TIMESTAMP text.
void dateadd(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const auto t = datetime_arg(ctx, "dateadd", argv[2]);
    if (!t) return;
    try {
        result_text(ctx, sql::format_timestamp(
                             sql::date_add(text_arg(argv[0]), sqlite3_value_int64(argv[1]), *t)));
    } catch (const std::exception& e) {
        error(ctx, "dateadd", e);
    }
}

void datediff(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const auto a = datetime_arg(ctx, "datediff", argv[1]);
    if (!a) return;
    const auto b = datetime_arg(ctx, "datediff", argv[2]);
    if (!b) return;
    try {
        sqlite3_result_int64(ctx, sql::date_diff(text_arg(argv[0]), *a, *b));
    } catch (const std::exception& e) {
        error(ctx, "datediff", e);
    }
}

void date_trunc(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const auto t = datetime_arg(ctx, "date_trunc", argv[1]);
    if (!t) return;
    try {
        result_text(ctx, sql::format_timestamp(sql::date_trunc(text_arg(argv[0]), *t)));
    } catch (const std::exception& e) {
        error(ctx, "date_trunc", e);
    }
}

void to_char(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const auto t = datetime_arg(ctx, "to_char", argv[0]);
    if (!t) return;
    result_text(ctx, sql::to_char(*t, text_arg(argv[1])));
}

// convert_timezone([source,] target, t): source defaults to UTC.
void convert_timezone(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const auto t = datetime_arg(ctx, "convert_timezone", argv[argc - 1]);
    if (!t) return;
    try {
        const std::string_view source = argc == 3 ? text_arg(argv[0]) : "UTC";
        result_text(ctx, sql::format_timestamp(
                             sql::convert_timezone(source, text_arg(argv[argc - 2]), *t)));
    } catch (const std::exception& e) {
        error(ctx, "convert_timezone", e);
    }
}

// DATE(x) and x::DATE.
void to_date(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const auto t = datetime_arg(ctx, "date", argv[0]);
    if (t) result_text(ctx, sql::format_date(*t));
}

// x::TIMESTAMP, TIMESTAMP 'x'.
void to_timestamp(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    const auto t = datetime_arg(ctx, "timestamp", argv[0]);
    if (t) result_text(ctx, sql::format_timestamp(*t));
}

// x::BOOLEAN: the spellings Redshift accepts, stored as 1/0 like loaded booleans.
void to_bool(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER ||
        sqlite3_value_type(argv[0]) == SQLITE_FLOAT)
        return sqlite3_result_int(ctx, sqlite3_value_double(argv[0]) != 0 ? 1 : 0);
    std::string v(text_arg(argv[0]));
    while (!v.empty() && v.back() == ' ') v.pop_back();
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v == "t" || v == "true" || v == "y" || v == "yes" || v == "1" || v == "on")
        return sqlite3_result_int(ctx, 1);
    if (v == "f" || v == "false" || v == "n" || v == "no" || v == "0" || v == "off")
        return sqlite3_result_int(ctx, 0);
    const std::string message =
        fmt::format("invalid input syntax for type boolean: \"{}\"", text_arg(argv[0]));
    sqlite3_result_error(ctx, message.c_str(), -1);
}

// translate(s, from, to): each character of `from` becomes the character at the same
// position of `to`, or is deleted when `to` is shorter (UTF-8 aware).
void translate(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    auto chars = [](std::string_view s) {
        std::vector<std::string_view> out;
        for (size_t i = 0; i < s.size();) {
            size_t j = i + 1;
            while (j < s.size() && continuation_byte(s[j])) ++j;
            out.push_back(s.substr(i, j - i));
            i = j;
        }
        return out;
    };
    const auto from = chars(text_arg(argv[1]));
    const auto to = chars(text_arg(argv[2]));
    std::string out;
    for (std::string_view c : chars(text_arg(argv[0]))) {
        size_t k = 0;
        while (k < from.size() && from[k] != c) ++k;
        if (k == from.size()) {
            out += c;
        } else if (k < to.size()) {
            out += to[k];
        }
    }
    result_text(ctx, out);
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

// A compiled pattern, cached by SQLite on the pattern argument between rows.
struct Pattern {
    pcre2_code* code = nullptr;
    ~Pattern() { pcre2_code_free(code); }
};

void free_pattern(void* p) {
    delete static_cast<Pattern*>(p);
}

// Redshift's regular expressions (POSIX, close to what PCRE2 reads).
pcre2_code* pattern_arg(sqlite3_context* ctx, sqlite3_value** argv, int index, const char* fn) {
    if (auto* cached = static_cast<Pattern*>(sqlite3_get_auxdata(ctx, index))) return cached->code;
    const std::string_view pattern = text_arg(argv[index]);
    int error = 0;
    PCRE2_SIZE offset = 0;
    auto holder = std::make_unique<Pattern>();
    holder->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 PCRE2_UTF, &error, &offset, nullptr);
    if (holder->code == nullptr) {
        PCRE2_UCHAR buffer[256];
        pcre2_get_error_message(error, buffer, sizeof buffer);
        const std::string message =
            fmt::format("{}: invalid regular expression '{}' at offset {}: {}", fn, pattern, offset,
                        reinterpret_cast<const char*>(buffer));
        sqlite3_result_error(ctx, message.c_str(), -1);
        return nullptr;
    }
    pcre2_code* code = holder->code;
    sqlite3_set_auxdata(ctx, index, holder.release(), free_pattern);
    return code;
}

// regexp_substr(s, pattern): the first match, '' when there is none (Redshift).
void regexp_substr(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    pcre2_code* code = pattern_arg(ctx, argv, 1, "regexp_substr");
    if (code == nullptr) return;
    const std::string_view s = text_arg(argv[0]);
    pcre2_match_data* match = pcre2_match_data_create_from_pattern(code, nullptr);
    const int rc =
        pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, match, nullptr);
    std::string out;
    if (rc > 0) {
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match);
        out = std::string(s.substr(ovector[0], ovector[1] - ovector[0]));
    }
    pcre2_match_data_free(match);
    result_text(ctx, out);
}

// Redshift writes back-references as $1 (or \1); PCRE2's substitute reads $1 and $$.
std::string pcre2_replacement(std::string_view r) {
    std::string out;
    for (size_t i = 0; i < r.size(); ++i) {
        const bool digit_next =
            i + 1 < r.size() && std::isdigit(static_cast<unsigned char>(r[i + 1]));
        if ((r[i] == '\\' || r[i] == '$') && digit_next) {
            out += '$';
        } else if (r[i] == '$') {
            out += "$$";
        } else {
            out += r[i];
        }
    }
    return out;
}

// regexp_replace(s, pattern[, replacement]): every match replaced ('' by default).
void regexp_replace(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (any_null(argc, argv)) return sqlite3_result_null(ctx);
    pcre2_code* code = pattern_arg(ctx, argv, 1, "regexp_replace");
    if (code == nullptr) return;
    const std::string_view s = text_arg(argv[0]);
    const std::string replacement = argc == 3 ? pcre2_replacement(text_arg(argv[2])) : "";
    std::string out(s.size() + 64, '\0');
    for (int attempt = 0; attempt < 2; ++attempt) {
        PCRE2_SIZE length = out.size();
        const int rc = pcre2_substitute(
            code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0,
            PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
                PCRE2_SUBSTITUTE_UNSET_EMPTY,
            nullptr, nullptr, reinterpret_cast<PCRE2_SPTR>(replacement.data()), replacement.size(),
            reinterpret_cast<PCRE2_UCHAR*>(out.data()), &length);
        if (rc == PCRE2_ERROR_NOMEMORY) {
            out.resize(length);
            continue;
        }
        if (rc < 0) {
            PCRE2_UCHAR buffer[256];
            pcre2_get_error_message(rc, buffer, sizeof buffer);
            const std::string message =
                fmt::format("regexp_replace: {}", reinterpret_cast<const char*>(buffer));
            return sqlite3_result_error(ctx, message.c_str(), -1);
        }
        out.resize(length);
        return result_text(ctx, out);
    }
    sqlite3_result_error(ctx, "regexp_replace: result too large", -1);
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
    add(db, "dateadd", 3, dateadd, true);
    add(db, "datediff", 3, datediff, true);
    add(db, "date_trunc", 2, date_trunc, true);
    add(db, "to_char", 2, to_char, true);
    add(db, "convert_timezone", 2, convert_timezone, true);
    add(db, "convert_timezone", 3, convert_timezone, true);
    add(db, "redshift_date", 1, to_date, true);
    add(db, "redshift_timestamp", 1, to_timestamp, true);
    add(db, "redshift_bool", 1, to_bool, true);
    add(db, "translate", 3, translate, true);
    add(db, "regexp_substr", 2, regexp_substr, true);
    add(db, "regexp_replace", 2, regexp_replace, true);
    add(db, "regexp_replace", 3, regexp_replace, true);
}

}  // namespace gdx::warehouse::sqlite
