#include "export/object_names.hpp"

#include <fmt/format.h>

namespace gdx::exports {

std::string object_key(const std::string& object_prefix,
                       const std::optional<std::pair<std::string, std::string>>& range,
                       const std::vector<std::string>& date_list, const std::string& timestamp) {
    if (range) return object_prefix + "_" + range->first + "_" + range->second + "_" + timestamp;
    if (date_list.empty()) return object_prefix + "_" + timestamp;
    std::string head = object_prefix;
    for (const auto& d : date_list) head += "_" + d;
    const std::string tail = "_" + timestamp;
    if (head.size() + tail.size() > kMaxObjectKey)
        head.resize(kMaxObjectKey > tail.size() ? kMaxObjectKey - tail.size() : 0);
    return head + tail;
}

std::string part_suffix(unsigned index) {
    return fmt::format("_part{:03d}", index);
}

ExportKeys export_keys(const config::RedshiftToS3Config& config, const std::string& batch_key) {
    const std::string batch_root = config.archive + "/batch/";
    std::string rest =
        batch_key.rfind(batch_root, 0) == 0 ? batch_key.substr(batch_root.size()) : batch_key;
    return {batch_key, rest + config.extension, config.archive + "/good/" + rest,
            config.archive + "/bad/" + rest};
}

}  // namespace gdx::exports
