#include "export/dml_template.hpp"

namespace gdx::exports {

std::string date_range_value(std::string_view start, std::string_view end) {
    std::string out = "''";
    out.append(start).append("'' AND ''").append(end).append("''");
    return out;
}

std::string date_list_value(const std::vector<std::string>& dates) {
    std::string out;
    for (const auto& d : dates) {
        out += "((cfms_poc.welcome_time >= (TIMESTAMP ''" + d +
               "'')) AND (cfms_poc.welcome_time < ((DATEADD(day,1, TIMESTAMP ''" + d +
               "''))))) OR ";
    }
    // The original cut everything from the last "OR" on, leaving the space before it.
    const size_t last_or = out.rfind("OR");
    if (last_or != std::string::npos) out.resize(last_or);
    return out;
}

std::string fill_placeholder(std::string_view dml, std::string_view name, std::string_view value,
                             size_t* replaced) {
    const std::string placeholder = "{" + std::string(name) + "}";
    std::string out;
    out.reserve(dml.size() + value.size());
    size_t count = 0, pos = 0;
    while (true) {
        const size_t hit = dml.find(placeholder, pos);
        if (hit == std::string_view::npos) break;
        out.append(dml.substr(pos, hit - pos)).append(value);
        pos = hit + placeholder.size();
        ++count;
    }
    out.append(dml.substr(pos));
    if (replaced) *replaced = count;
    return out;
}

}  // namespace gdx::exports
