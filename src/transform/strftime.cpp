#include "transform/strftime.hpp"

#include <string_view>

#include "transform/calendar.hpp"
#include "util/error.hpp"

namespace gdx::transform {
namespace {

constexpr std::string_view kDirectives = "YymdHIMSfpbBaAjz";

void put_digits(std::string& out, int value, int width) {
    char buf[12];
    int n = 0;
    for (; n < width || value > 0; ++n, value /= 10) buf[n] = static_cast<char>('0' + value % 10);
    while (n > 0) out.push_back(buf[--n]);
}

// "january" → "January", or its first three letters "Jan".
void put_name(std::string& out, std::string_view lower, bool abbreviated) {
    if (abbreviated) lower = lower.substr(0, 3);
    out.push_back(static_cast<char>(lower[0] - 'a' + 'A'));
    out.append(lower.substr(1));
}

}  // namespace

StrftimeFormat StrftimeFormat::compile(std::string_view fmt) {
    StrftimeFormat f;
    f.source_ = std::string(fmt);
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%' || (i + 1 < fmt.size() && fmt[i + 1] == '%')) {
            if (f.steps_.empty() || f.steps_.back().directive != 0) f.steps_.push_back({0, {}});
            f.steps_.back().literal.push_back(fmt[i]);
            if (fmt[i] == '%') ++i;  // %% is one literal %
            continue;
        }
        if (++i >= fmt.size())
            throw ConfigError("stray % at the end of date format '" + f.source_ + "'");
        if (kDirectives.find(fmt[i]) == std::string_view::npos)
            throw ConfigError(std::string("unsupported strftime directive %") + fmt[i] +
                              " in date format '" + f.source_ + "'");
        f.steps_.push_back({fmt[i], {}});
    }
    return f;
}

void StrftimeFormat::render(const ParsedTime& t, std::string& out) const {
    out.clear();
    for (const Step& s : steps_) {
        switch (s.directive) {
            case 0:
                out += s.literal;
                break;
            case 'Y':
                put_digits(out, t.year, 4);
                break;
            case 'y':
                put_digits(out, t.year % 100, 2);
                break;
            case 'm':
                put_digits(out, t.month, 2);
                break;
            case 'd':
                put_digits(out, t.day, 2);
                break;
            case 'H':
                put_digits(out, t.hour, 2);
                break;
            case 'I':
                put_digits(out, t.hour % 12 == 0 ? 12 : t.hour % 12, 2);
                break;
            case 'M':
                put_digits(out, t.minute, 2);
                break;
            case 'S':
                put_digits(out, t.second, 2);
                break;
            case 'f':
                put_digits(out, t.microsecond, 6);
                break;
            case 'p':
                out += t.hour < 12 ? "AM" : "PM";
                break;
            case 'b':
            case 'B':
                put_name(out, calendar::kMonthFull[static_cast<size_t>(t.month - 1)],
                         s.directive == 'b');
                break;
            case 'a':
            case 'A':
                put_name(out,
                         calendar::kDayFull[static_cast<size_t>(
                             calendar::weekday(t.year, t.month, t.day))],
                         s.directive == 'a');
                break;
            case 'j':
                put_digits(out,
                           static_cast<int>(
                               calendar::days_from_civil(t.year, static_cast<unsigned>(t.month),
                                                         static_cast<unsigned>(t.day)) -
                               calendar::days_from_civil(t.year, 1, 1)) +
                               1,
                           3);
                break;
            case 'z':
                if (t.has_offset) {
                    const int off = t.offset_seconds < 0 ? -t.offset_seconds : t.offset_seconds;
                    out.push_back(t.offset_seconds < 0 ? '-' : '+');
                    put_digits(out, off / 3600, 2);
                    put_digits(out, off / 60 % 60, 2);
                }
                break;
        }
    }
}

}  // namespace gdx::transform
