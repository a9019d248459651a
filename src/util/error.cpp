#include "util/error.hpp"

#include <fmt/format.h>

namespace gdx {

const char* stage_name(FailureStage stage) {
    static constexpr const char* kNames[] = {"empty",     "decode", "parse",
                                             "transform", "load",   "post-load"};
    return kNames[static_cast<size_t>(stage)];
}

const char* kind_name(ErrorKind kind) {
    static constexpr const char* kNames[] = {"data", "target", "transient", "infrastructure"};
    return kNames[static_cast<size_t>(kind)];
}

void BackendError::give_up(int attempts) {
    if (attempts_ == 0) message_ += fmt::format(" (gave up after {} attempts)", attempts);
    attempts_ = attempts;
}

std::string shown_value(std::string_view value) {
    if (value.size() <= kShownValueBytes) return std::string(value);
    size_t cut = kShownValueBytes;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    return std::string(value.substr(0, cut)) + "…";
}

std::string format_error(const ErrorText& t) {
    std::string s(t.what);
    if (!t.server_message.empty()) s += fmt::format(": {}", t.server_message);
    if (t.line) {
        s += fmt::format(" (line {}", t.line);
        if (t.column) s += fmt::format(", column {}", t.column);
        if (!t.column_name.empty())
            s += fmt::format("{} '{}'", t.column ? "" : ", column", t.column_name);
        s += ")";
    } else if (t.batch_line) {
        s += fmt::format(" (batch line {}", t.batch_line);
        if (!t.column_name.empty()) s += fmt::format(", column '{}'", t.column_name);
        s += ")";
    }
    if (!t.value.empty() || (t.line && t.column)) s += fmt::format(": value '{}'", t.value);
    return s;
}

DataError::DataError(DataErrorInfo info, FailureStage stage)
    : std::runtime_error(format_error({.what = info.what,
                                       .server_message = {},
                                       .line = info.line,
                                       .column = info.column,
                                       .column_name = info.column_name,
                                       .value = info.value,
                                       .batch_line = 0})),
      info_(std::move(info)),
      stage_(stage) {}

}  // namespace gdx
