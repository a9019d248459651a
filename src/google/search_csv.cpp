#include "google/search_csv.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace gdx::google {

void append_python_float(std::string& out, double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    (void)ec;  // 64 bytes always suffice for a double
    std::string_view sci(buf, static_cast<size_t>(end - buf));
    if (sci == "inf" || sci == "-inf" || sci == "nan" || sci == "-nan") {
        out.append(sci);
        return;
    }
    bool negative = sci.front() == '-';
    if (negative) sci.remove_prefix(1);
    size_t e_pos = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e_pos))
        if (c != '.') digits += c;
    int exponent = 0;
    std::string_view exp_text = sci.substr(e_pos + 1);
    if (exp_text.front() == '+') exp_text.remove_prefix(1);
    std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
    if (negative) out += '-';
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out += "0.";
            out.append(static_cast<size_t>(-exponent - 1), '0');
            out += digits;
            return;
        }
        size_t int_len = static_cast<size_t>(exponent) + 1;
        if (digits.size() <= int_len) {
            out += digits;
            out.append(int_len - digits.size(), '0');
            out += ".0";
        } else {
            out.append(digits, 0, int_len);
            out += '.';
            out.append(digits, int_len);
        }
        return;
    }
    out += digits[0];
    if (digits.size() > 1) {
        out += '.';
        out.append(digits, 1);
    }
    out += exponent < 0 ? "e-" : "e+";
    int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
}

void append_python_number(std::string& out, const nlohmann::json& v) {
    char buf[32];
    if (v.is_number_unsigned()) {
        auto r = std::to_chars(buf, buf + sizeof buf, v.get<uint64_t>());
        out.append(buf, r.ptr);
    } else if (v.is_number_integer()) {
        auto r = std::to_chars(buf, buf + sizeof buf, v.get<int64_t>());
        out.append(buf, r.ptr);
    } else if (v.is_number_float()) {
        append_python_float(out, v.get<double>());
    } else {
        throw std::invalid_argument("a search row has a value that is not a number");
    }
}

void append_python_count(std::string& out, const nlohmann::json& v) {
    if (!v.is_number_float()) return append_python_number(out, v);
    std::string text;
    append_python_float(text, v.get<double>());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '.' && i + 1 < text.size() && text[i + 1] == '0') {
            ++i;
            continue;
        }
        out += text[i];
    }
}

void append_key(std::string& out, std::string_view key) {
    size_t start = 0;
    for (size_t i = 0; i < key.size(); ++i) {
        char c = key[i];
        if (c != '|' && c != '\\' && c != '\n' && c != '\r') continue;
        out.append(key.data() + start, i - start);
        if (c == '\n' || c == '\r') out += ' ';
        start = i + 1;
    }
    out.append(key.data() + start, key.size() - start);
}

std::string_view SearchCsv::append_row(std::string& out, const nlohmann::json& row) const {
    auto keys = row.find("keys");
    if (keys == row.end() || !keys->is_array() || keys->size() < 5)
        throw std::invalid_argument("a search row has no five keys");
    for (size_t i = 0; i < 5; ++i)
        if (!(*keys)[i].is_string())
            throw std::invalid_argument("a search row key is not a string");
    auto number = [&](const char* name) -> const nlohmann::json& {
        auto it = row.find(name);
        if (it == row.end())
            throw std::invalid_argument(std::string("a search row has no ") + name);
        return *it;
    };
    out += site_;
    for (size_t i = 0; i < 5; ++i) {
        out += '|';
        append_key(out, (*keys)[i].get_ref<const std::string&>());
    }
    out += '|';
    append_python_number(out, number("position"));
    out += '|';
    append_python_count(out, number("clicks"));
    out += '|';
    append_python_number(out, number("ctr"));
    out += '|';
    append_python_count(out, number("impressions"));
    out += '\n';
    return (*keys)[0].get_ref<const std::string&>();
}

}  // namespace gdx::google
