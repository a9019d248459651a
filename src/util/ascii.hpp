#pragma once
// Locale-free ASCII character classes for the parsers (std::isdigit & co. depend on the locale
// and take int).

namespace gdx::ascii {

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
// The C locale's isspace: space, \t, \n, \v, \f, \r (pandas' isspace_ascii too).
constexpr bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
constexpr char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

}  // namespace gdx::ascii
