#include "config/json_file.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "util/error.hpp"

namespace gdx::config {
namespace {

struct DecodedChar {
    uint32_t code_point = 0;
    bool valid = false;  // false: not a well-formed UTF-8 sequence
};

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

DecodedChar decode_utf8_at(std::string_view s, size_t i) {
    const auto c0 = static_cast<unsigned char>(s[i]);
    if (c0 < 0x80) return {c0, true};
    int len = 0;
    uint32_t cp = 0;
    if ((c0 & 0xE0) == 0xC0) {
        len = 2;
        cp = c0 & 0x1F;
    } else if ((c0 & 0xF0) == 0xE0) {
        len = 3;
        cp = c0 & 0x0F;
    } else if ((c0 & 0xF8) == 0xF0) {
        len = 4;
        cp = c0 & 0x07;
    } else {
        return {c0, false};
    }
    if (i + len > s.size()) return {c0, false};
    for (int k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if (!is_continuation(c)) return {c0, false};
        cp = (cp << 6) | (c & 0x3F);
    }
    return {cp, true};
}

const char* char_name(uint32_t cp) {
    switch (cp) {
        case 0x09:
            return "tab";
        case 0x0A:
            return "line feed";
        case 0x0D:
            return "carriage return";
        case 0x00A0:
            return "no-break space";
        case 0x00AD:
            return "soft hyphen";
        case 0x2007:
            return "figure space";
        case 0x200B:
            return "zero width space";
        case 0x2018:
            return "left single quotation mark";
        case 0x2019:
            return "right single quotation mark";
        case 0x201C:
            return "left double quotation mark";
        case 0x201D:
            return "right double quotation mark";
        case 0x202F:
            return "narrow no-break space";
        case 0xFEFF:
            return "byte order mark";
        default:
            return nullptr;
    }
}

std::string describe_char(const DecodedChar& d) {
    if (!d.valid) return fmt::format("byte 0x{:02X} (not valid UTF-8)", d.code_point);
    if (d.code_point >= 0x21 && d.code_point < 0x7F)
        return fmt::format("'{}'", static_cast<char>(d.code_point));
    std::string s = fmt::format("U+{:04X}", d.code_point);
    if (d.code_point == 0x20) s += " (space)";
    if (const char* name = char_name(d.code_point)) s += fmt::format(" ({})", name);
    return s;
}

// nlohmann's message: "[json.exception.parse_error.101] parse error at line L, column C:
// syntax error while parsing X - invalid literal; last read: '...'; expected Y".
// Keep only the part after the position and drop "last read" (it shows raw bytes).
std::string what_is_wrong(const std::string& msg) {
    std::string s = msg;
    if (auto p = s.find("column "); p != std::string::npos) {
        if (auto colon = s.find(": ", p); colon != std::string::npos) s = s.substr(colon + 2);
    } else if (auto q = s.find("] "); q != std::string::npos) {
        s = s.substr(q + 2);
    }
    if (auto lr = s.find("; last read: '"); lr != std::string::npos) {
        auto end = s.find("'; ", lr + 14);
        s = end == std::string::npos ? s.substr(0, lr) : s.substr(0, lr) + s.substr(end + 1);
    }
    return s;
}

}  // namespace

nlohmann::ordered_json parse_json_text(std::string_view text, const std::string& source_name) {
    // Deeper documents are refused while parsing: nothing deeper is ever built, so nothing
    // later (copies, dumps, destruction) can recurse into a stack overflow.
    const auto bound_depth = [&](int depth, nlohmann::ordered_json::parse_event_t event,
                                 nlohmann::ordered_json&) {
        if (depth >= kMaxJsonDepth &&
            (event == nlohmann::ordered_json::parse_event_t::object_start ||
             event == nlohmann::ordered_json::parse_event_t::array_start))
            throw ConfigError(fmt::format(
                "{}: arrays and objects are nested more than {} levels deep; a config is never "
                "that deep",
                source_name, kMaxJsonDepth));
        return true;
    };
    try {
        return nlohmann::ordered_json::parse(text.begin(), text.end(), bound_depth,
                                             /*allow_exceptions=*/true,
                                             /*ignore_comments=*/false);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte counts the bytes read, the offending one included (1-based offset).
        size_t off = e.byte == 0 ? 0 : e.byte - 1;
        if (off > text.size()) off = text.size();
        while (off > 0 && off < text.size() &&
               is_continuation(static_cast<unsigned char>(text[off])))
            --off;
        size_t line = 1;
        size_t column = 1;
        for (size_t i = 0; i < off; ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            if (c == '\n') {
                ++line;
                column = 1;
            } else if (!is_continuation(c)) {
                ++column;
            }
        }
        const std::string found =
            off >= text.size() ? "end of file" : describe_char(decode_utf8_at(text, off));
        throw ConfigError(fmt::format("{}:{}:{}: {}, found {}", source_name, line, column,
                                      what_is_wrong(e.what()), found));
    } catch (const nlohmann::json::out_of_range& e) {
        // A number too large for a double (1E400): nlohmann reports it apart from syntax errors
        // (found by fuzz/config.cpp; it used to escape as an unexpected exception).
        throw ConfigError(
            fmt::format("{}: a number is out of range: {}", source_name, what_is_wrong(e.what())));
    }
}

nlohmann::ordered_json load_json_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw ConfigError(fmt::format("{}: cannot open config file: no such file", name));
    if (std::filesystem::is_directory(path, ec))
        throw ConfigError(fmt::format("{}: cannot open config file: is a directory", name));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("{}: cannot open config file: not readable", name));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) throw ConfigError(fmt::format("{}: cannot read config file", name));
    return parse_json_text(buf.str(), name);
}

}  // namespace gdx::config
