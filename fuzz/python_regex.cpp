// The Python-regex translation onto PCRE2: compile, search, fullmatch and sub with a Python
// template. Input: a pattern, '\n', a template, '\n', the subject. Bad patterns and
// templates must be ConfigErrors; a valid template must expand without failing.
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_input.hpp"
#include "util/error.hpp"
#include "util/python_regex.hpp"

using namespace gdx;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gdx::fuzz::FuzzInput in(data, size);
    const std::string pattern(in.line());
    const std::string_view templ = in.line();
    const std::string_view subject = in.rest();
    std::optional<util::PyRegex> re;
    try {
        re = util::PyRegex::compile(pattern);
    } catch (const ConfigError&) {
        return 0;
    }
    const bool found = re->search(subject);
    if (re->full_match(subject)) gdx::fuzz::check(found);
    try {
        re->check_template(templ);
    } catch (const ConfigError&) {
        return 0;
    }
    std::string out;
    re->sub(subject, templ, out);
    if (!found) gdx::fuzz::check(out == subject);
    return 0;
}
