#pragma once
// Which objects an s3-to-sfts run sends (the original's rule): every object under
// <source>/<source_client>/<source_directory>/, in key order, whose file name matches
// ^<object_prefix>, unless its archive copy exists under <archive>/good/ or <archive>/bad/
// (bad copies are re-sent with retry_bad). A store error while looking stops the run.
#include <string>
#include <vector>

#include "config/s3_to_sfts_config.hpp"
#include "store/object_store.hpp"

namespace gdx::jobs {

struct SftsCandidate {
    store::ObjectInfo object;
    std::string archive_key;      // <source>/<archive_client>/<archive_directory>/<rest>
    std::string remote_name;      // the key below the source prefix, plus the extension
    bool had_bad_marker = false;  // selected again because of retry_bad
};

struct SftsSelection {
    std::vector<SftsCandidate> selected;           // key order
    std::vector<std::string> already_transferred;  // source keys with a good or bad copy
    std::vector<std::string> done_journals;        // archive keys whose journal is stale
};

SftsSelection select_sfts_objects(store::ObjectStore& store, const config::S3ToSftsConfig& cfg,
                                  const std::vector<std::string>& journal_archive_keys);

}  // namespace gdx::jobs
