#include "warehouse/postgres/sqlstate.hpp"

#include <array>
#include <utility>

namespace gdx::warehouse::pg {

ErrorKind classify_sqlstate(std::string_view state) {
    // Exact codes first, then the two-character class.
    static constexpr std::array<std::pair<std::string_view, ErrorKind>, 1> kCodes = {{
        {"42703", ErrorKind::Data},  // undefined_column: the batch does not fit the table
    }};
    static constexpr std::array<std::pair<std::string_view, ErrorKind>, 14> kClasses = {{
        {"22", ErrorKind::Data},            // data exception
        {"23", ErrorKind::Data},            // integrity constraint violation
        {"54", ErrorKind::Data},            // program limit exceeded (e.g. row too big)
        {"P0", ErrorKind::Data},            // a trigger or function raised an exception
        {"42", ErrorKind::Target},          // syntax error or access rule violation
        {"0A", ErrorKind::Target},          // feature not supported
        {"3F", ErrorKind::Target},          // invalid schema name
        {"40", ErrorKind::Transient},       // serialization failure, deadlock
        {"08", ErrorKind::Infrastructure},  // connection exception
        {"53", ErrorKind::Infrastructure},  // insufficient resources
        {"55", ErrorKind::Infrastructure},  // object not in prerequisite state (lock timeout)
        {"57", ErrorKind::Infrastructure},  // operator intervention (shutdown)
        {"58", ErrorKind::Infrastructure},  // system error (I/O)
        {"XX", ErrorKind::Infrastructure},  // internal error
    }};
    for (const auto& [code, kind] : kCodes)
        if (state == code) return kind;
    for (const auto& [cls, kind] : kClasses)
        if (state.substr(0, 2) == cls) return kind;
    return ErrorKind::Infrastructure;  // unknown: never blame the object for it
}

bool is_absent_object(std::string_view state) {
    return state == "42P01" || state == "42704";
}

bool is_concurrent_create(std::string_view state) {
    return state == "42P07" || state == "42710" || state == "23505";
}

bool is_redshift_copy_rejection(std::string_view state) {
    return state == "XX000";
}

}  // namespace gdx::warehouse::pg
