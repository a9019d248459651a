#pragma once
// Names of an export's objects (docs/config-reference.md, redshift-to-s3):
//   batch  <archive>/batch/<storage>/<directory>/<object_key>_part000
//   client <storage>/<directory>/<object_key>_part000<extension>
//   good   <archive>/good/<storage>/<directory>/<object_key>_part000   (bad: /bad/)
#include <optional>
#include <string>
#include <vector>

#include "config/redshift_to_s3_config.hpp"

namespace gdx::exports {

inline constexpr size_t kMaxObjectKey = 255;

// <prefix>_<start>_<end>_<timestamp> with a date range, <prefix>_<d1>_…_<dn>_<timestamp> with a
// date list (the dates cut so that the whole stays within 255 characters, the timestamp kept),
// else <prefix>_<timestamp>.
std::string object_key(const std::string& object_prefix,
                       const std::optional<std::pair<std::string, std::string>>& range,
                       const std::vector<std::string>& date_list, const std::string& timestamp);

// "_part000", "_part001", …: the suffix UNLOAD gives each file of one export.
std::string part_suffix(unsigned index);

struct ExportKeys {
    std::string batch, client, good, bad;
};
// The client copy and markers of a batch object (any key under the batch prefix, sub-folders
// kept).
ExportKeys export_keys(const config::RedshiftToS3Config& config, const std::string& batch_key);

}  // namespace gdx::exports
