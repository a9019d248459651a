#pragma once
// Python strftime (C locale) for rendering a parsed date with a configured format: the
// cmslite-metadata `dateformat` rule (ISO-8601 in, the format out). Compiled once per column.
#include <string>
#include <string_view>
#include <vector>

#include "transform/strptime.hpp"

namespace gdx::transform {

class StrftimeFormat {
public:
    // Throws gdx::ConfigError naming the directive when the format uses one not supported.
    // Supported: %Y %y %m %d %H %I %M %S %f %p %b %B %a %A %j %z %%. %z is +HHMM, or nothing
    // for a value without an offset (as Python renders a naive datetime).
    static StrftimeFormat compile(std::string_view python_format);

    // Replaces `out` with `t` rendered (`out` is reused: no allocation once it is large enough).
    void render(const ParsedTime& t, std::string& out) const;

    const std::string& source() const { return source_; }

private:
    struct Step {
        char directive;       // 0: literal text
        std::string literal;  // directive == 0
    };
    std::vector<Step> steps_;
    std::string source_;
};

}  // namespace gdx::transform
