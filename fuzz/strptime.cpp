// strptime (the s3-to-redshift dateformat rule), the ISO-8601 reader and strftime (the
// cmslite-metadata dateformat rule). Input: a Python format, '\n', a value. A parsed value
// has every field in its calendar range and renders within format_iso's 40 bytes; the
// %Y%m%d fast path agrees with the full parse.
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "fuzz_input.hpp"
#include "transform/iso8601.hpp"
#include "transform/strftime.hpp"
#include "transform/strptime.hpp"
#include "util/error.hpp"

namespace {

using namespace gdx;
using gdx::fuzz::check;

void check_fields(const transform::ParsedTime& t) {
    check(t.year >= 0 && t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31);
    check(t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60);
    check(t.second >= 0 && t.second <= 61 && t.microsecond >= 0 && t.microsecond < 1000000);
    check(t.offset_seconds > -86400 && t.offset_seconds < 86400);
}

// format_iso into a buffer of exactly the documented size, on the heap so ASan sees overruns.
std::string render_iso(const transform::ParsedTime& t, bool date_only) {
    auto out = std::make_unique<char[]>(40);
    size_t n = transform::format_iso(t, date_only, out.get());
    check(n <= 40);
    return std::string(out.get(), n);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gdx::fuzz::FuzzInput in(data, size);
    const std::string_view format = in.line();
    const std::string_view value = in.rest();

    transform::ParsedTime iso;
    if (transform::parse_iso8601(value, iso)) {
        check_fields(iso);
        render_iso(iso, false);
    }

    try {
        const auto strftime = transform::StrftimeFormat::compile(format);
        std::string rendered;
        if (transform::parse_iso8601(value, iso)) strftime.render(iso, rendered);
    } catch (const ConfigError&) {
    }

    std::optional<transform::StrptimeFormat> format_rule;
    try {
        format_rule = transform::StrptimeFormat::compile(format);
    } catch (const ConfigError&) {
        return 0;
    }
    transform::ParsedTime t;
    const bool parsed = format_rule->parse(value, t);
    if (parsed) {
        check_fields(t);
        render_iso(t, false);
        render_iso(t, true);
        transform::in_pandas_range(t);
    }
    char fast[10];
    if (format_rule->iso_date_fast(value, fast)) {
        check(parsed);
        check(render_iso(t, true) == std::string_view(fast, 10));
    }
    return 0;
}
