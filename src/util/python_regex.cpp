// PCRE2 wrapper with Python `re` semantics for search/fullmatch/sub.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/python_regex.hpp"
#include "util/ascii.hpp"

#include <pcre2.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "util/error.hpp"

namespace gdx::util {

struct PyRegex::Compiled {
    std::string pattern;
    pcre2_code* search = nullptr;
    pcre2_code* full = nullptr;  // compiled anchored at both ends, so JIT applies
    uint32_t groups = 0;
    ~Compiled() {
        pcre2_code_free(search);
        pcre2_code_free(full);
    }
};

namespace {

using ascii::is_digit;

// True when `p` at `i` (just after "(?") starts a PCRE2 recursion or subroutine call: (?R)
// (?1) (?+1) (?-1) (?&name) (?P>name). Python's re has none of them.
bool is_recursion(const std::string& p, size_t i) {
    if (i >= p.size()) return false;
    const char c = p[i];
    if (c == 'R' || c == '&' || is_digit(c)) return true;
    if ((c == '+' || c == '-') && i + 1 < p.size() && is_digit(p[i + 1])) return true;
    return c == 'P' && i + 1 < p.size() && p[i + 1] == '>';
}

// Python's \Z is PCRE2's \z ("end of subject"); PCRE2's own \Z also allows a final newline.
// PCRE2-only recursion (\g<…>, (?R), (?1), …), which Python refuses, is refused here too: it
// could recurse without end and fail while matching, in the middle of a load.
std::string translate_pattern(const std::string& p) {
    std::string out;
    out.reserve(p.size());
    for (size_t i = 0; i < p.size(); ++i) {
        if (p[i] == '\\' && i + 1 < p.size()) {
            if (p[i + 1] == 'g')
                throw ConfigError("invalid regular expression '" + p +
                                  "': bad escape \\g at "
                                  "offset " +
                                  std::to_string(i) + " (as in Python)");
            out += '\\';
            out += p[i + 1] == 'Z' ? 'z' : p[i + 1];
            ++i;
        } else {
            if (p[i] == '(' && i + 1 < p.size() && p[i + 1] == '?' && is_recursion(p, i + 2))
                throw ConfigError("invalid regular expression '" + p +
                                  "': unknown extension "
                                  "at offset " +
                                  std::to_string(i) + " (as in Python)");
            out += p[i];
        }
    }
    return out;
}

pcre2_code* compile_code(const std::string& original, const std::string& translated,
                         uint32_t extra_options) {
    int err = 0;
    PCRE2_SIZE offset = 0;
    const uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | extra_options;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()),
                                     translated.size(), options, &err, &offset, nullptr);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        throw ConfigError("invalid regular expression '" + original +
                          "': " + reinterpret_cast<const char*>(msg) + " at offset " +
                          std::to_string(offset));
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter on failure
    return code;
}

struct MatchDataDeleter {
    void operator()(pcre2_match_data* md) const { pcre2_match_data_free(md); }
};

// Per-thread match data large enough for `pairs` capture pairs.
pcre2_match_data* match_data(uint32_t pairs) {
    thread_local std::unique_ptr<pcre2_match_data, MatchDataDeleter> md;
    thread_local uint32_t capacity = 0;
    if (!md || capacity < pairs) {
        capacity = std::max<uint32_t>(pairs, 16);
        md.reset(pcre2_match_data_create(capacity, nullptr));
        if (!md) throw std::bad_alloc();
    }
    return md.get();
}

int run(const pcre2_code* code, std::string_view s, size_t start, uint32_t options,
        pcre2_match_data* md) {
    int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), start, options, md,
                         nullptr);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        throw std::runtime_error(std::string("regular expression match failed: ") +
                                 reinterpret_cast<const char*>(msg));
    }
    return rc;
}

bool is_octal(char c) {
    return c >= '0' && c <= '7';
}
bool is_ascii_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void append_code_point(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else {  // octal escapes stop at \377
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

[[noreturn]] void bad_template(std::string_view tmpl, const std::string& why) {
    throw ConfigError("invalid replacement template '" + std::string(tmpl) + "': " + why);
}

// The character a one-letter escape of a template stands for (\n \t …), or 0 for none.
char simple_escape(char e) {
    static constexpr std::pair<char, char> kEscapes[] = {{'n', '\n'}, {'t', '\t'}, {'r', '\r'},
                                                         {'f', '\f'}, {'v', '\v'}, {'a', '\a'},
                                                         {'b', '\b'}, {'\\', '\\'}};
    for (const auto& [letter, c] : kEscapes)
        if (letter == e) return c;
    return 0;
}

// A template being expanded: its text, the match (none while only validating) and the output.
struct Expansion {
    const PyRegex::Compiled& c;
    std::string_view tmpl;
    std::string_view subject;
    pcre2_match_data* md;
    std::string& out;

    void group(uint32_t g) const {
        if (g > c.groups) bad_template(tmpl, "invalid group reference " + std::to_string(g));
        if (!md) return;
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
        const PCRE2_SIZE b = ov[2 * g], e = ov[2 * g + 1];
        if (b != PCRE2_UNSET) out.append(subject.data() + b, e - b);
    }

    // \g<name> or \g<number> with `i` at the 'g'; returns the index of the closing '>'.
    size_t named_group(size_t i) const {
        if (i + 1 >= tmpl.size() || tmpl[i + 1] != '<') bad_template(tmpl, "missing <");
        const size_t close = tmpl.find('>', i + 2);
        if (close == std::string_view::npos) bad_template(tmpl, "missing >, unterminated name");
        const std::string_view name = tmpl.substr(i + 2, close - i - 2);
        if (name.empty()) bad_template(tmpl, "missing group name");
        bool numeric = true;
        for (char d : name) numeric = numeric && is_digit(d);
        if (numeric) {
            uint64_t g = 0;
            for (char d : name) g = std::min<uint64_t>(g * 10 + (d - '0'), 1u << 30);
            group(static_cast<uint32_t>(g));
        } else {
            const std::string n(name);
            const int g =
                pcre2_substring_number_from_name(c.search, reinterpret_cast<PCRE2_SPTR>(n.c_str()));
            if (g < 0) bad_template(tmpl, "unknown group name '" + n + "'");
            group(static_cast<uint32_t>(g));
        }
        return close;
    }

    // \d, \dd (a group) or \ooo (an octal escape) with `i` at the first digit; returns the
    // index of the last character taken.
    size_t numbered(size_t i) const {
        const char e = tmpl[i];
        if (e == '0') {
            unsigned v = 0;
            for (int k = 0; k < 2 && i + 1 < tmpl.size() && is_octal(tmpl[i + 1]); ++k)
                v = v * 8 + static_cast<unsigned>(tmpl[++i] - '0');
            append_code_point(out, v);
            return i;
        }
        if (i + 1 >= tmpl.size() || !is_digit(tmpl[i + 1])) {
            group(static_cast<uint32_t>(e - '0'));
            return i;
        }
        if (is_octal(e) && is_octal(tmpl[i + 1]) && i + 2 < tmpl.size() && is_octal(tmpl[i + 2])) {
            const unsigned v = static_cast<unsigned>((e - '0') * 64 + (tmpl[i + 1] - '0') * 8 +
                                                     (tmpl[i + 2] - '0'));
            if (v > 0377) bad_template(tmpl, "octal escape value outside of range 0-0o377");
            append_code_point(out, v);
            return i + 2;
        }
        group(static_cast<uint32_t>((e - '0') * 10 + (tmpl[i + 1] - '0')));
        return i + 1;
    }
};

// Expands a Python re.sub template (sre_parse.parse_template rules). With md == nullptr it
// only validates.
void expand(const PyRegex::Compiled& c, std::string_view tmpl, std::string_view subject,
            pcre2_match_data* md, std::string& out) {
    const Expansion x{c, tmpl, subject, md, out};
    for (size_t i = 0; i < tmpl.size(); ++i) {
        const char ch = tmpl[i];
        if (ch != '\\') {
            out += ch;
            continue;
        }
        if (++i >= tmpl.size()) bad_template(tmpl, "bad escape (end of pattern)");
        const char e = tmpl[i];
        if (e == 'g') {
            i = x.named_group(i);
        } else if (is_digit(e)) {
            i = x.numbered(i);
        } else if (const char escaped = simple_escape(e)) {
            out += escaped;
        } else {
            if (is_ascii_letter(e)) bad_template(tmpl, std::string("bad escape \\") + e);
            out += '\\';
            out += e;
        }
    }
}

}  // namespace

PyRegex PyRegex::compile(const std::string& pattern) {
    auto c = std::make_shared<Compiled>();
    c->pattern = pattern;
    const std::string translated = translate_pattern(pattern);
    c->search = compile_code(pattern, translated, 0);
    c->full = compile_code(pattern, translated, PCRE2_ANCHORED | PCRE2_ENDANCHORED);
    pcre2_pattern_info(c->search, PCRE2_INFO_CAPTURECOUNT, &c->groups);
    PyRegex r;
    r.code_ = std::move(c);
    return r;
}

bool PyRegex::search(std::string_view s) const {
    return run(code_->search, s, 0, 0, match_data(code_->groups + 1)) >= 0;
}

bool PyRegex::full_match(std::string_view s) const {
    return run(code_->full, s, 0, 0, match_data(code_->groups + 1)) >= 0;
}

std::string PyRegex::sub(std::string_view s, std::string_view tmpl) const {
    std::string out;
    sub(s, tmpl, out);
    return out;
}

void PyRegex::sub(std::string_view s, std::string_view tmpl, std::string& out) const {
    out.clear();
    pcre2_match_data* md = match_data(code_->groups + 1);
    size_t copied = 0, start = 0;
    uint32_t options = 0;
    while (start <= s.size()) {
        if (run(code_->search, s, start, options, md) < 0) break;
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
        const size_t b = ov[0], e = ov[1];
        out.append(s.data() + copied, b - copied);
        expand(*code_, tmpl, s, md, out);
        copied = e;
        start = e;
        // After an empty match, the next one may not be empty at the same place (Python 3.7+
        // allows an empty match right after a non-empty one).
        options = b == e ? PCRE2_NOTEMPTY_ATSTART : 0;
    }
    out.append(s.data() + copied, s.size() - copied);
}

void PyRegex::check_template(std::string_view tmpl) const {
    std::string scratch;
    expand(*code_, tmpl, {}, nullptr, scratch);
}

const std::string& PyRegex::pattern() const {
    return code_->pattern;
}
uint32_t PyRegex::group_count() const {
    return code_->groups;
}

}  // namespace gdx::util
