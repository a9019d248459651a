#pragma once
// Python `re` patterns on PCRE2 (UTF, Unicode properties, JIT). Used for `doc` key selection
// and `replace` rules with "regex": true. Copies share the compiled code; every call uses
// thread-local match data, so one PyRegex may be used from several threads at once.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace gdx::util {

class PyRegex {
public:
    // Throws gdx::ConfigError naming the pattern, PCRE2's message and the offset.
    // Python-only syntax is translated: \Z (end of string) becomes PCRE2's \z.
    static PyRegex compile(const std::string& pattern);

    // re.search: a match anywhere in `s`.
    bool search(std::string_view s) const;
    // re.fullmatch: the whole of `s` matches.
    bool full_match(std::string_view s) const;

    // re.sub(pattern, template, s): every non-overlapping match replaced by the expanded
    // Python template (\1..\99, \g<1>, \g<name>, \0 and \NNN octal, \n \t \r \f \v \a \b \\;
    // other escapes of non-letters stay as written). Unmatched groups expand to "".
    // Throws gdx::ConfigError for a bad template (unknown group, bad escape).
    std::string sub(std::string_view s, std::string_view python_template) const;
    // Same, writing into `out` (cleared first) so its capacity can be reused.
    void sub(std::string_view s, std::string_view python_template, std::string& out) const;

    // Throws gdx::ConfigError when `python_template` is not valid for this pattern.
    void check_template(std::string_view python_template) const;

    const std::string& pattern() const;
    uint32_t group_count() const;

    struct Compiled;  // PCRE2 code, shared between copies

private:
    std::shared_ptr<const Compiled> code_;
};

}  // namespace gdx::util
