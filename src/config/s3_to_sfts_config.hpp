#pragma once
// The s3-to-sfts config: the original keys (bucket, source/archive client and directory,
// object_prefix, sfts_path, extension) plus gdx's own optional transfer keys
// (docs/config-reference.md, "s3-to-sfts").
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::config {

inline constexpr const char* kDefaultSftsHost = "filetransfer.gov.bc.ca";

struct S3ToSftsConfig {
    std::string source_path;  // the config file, for messages
    std::string bucket;
    std::string source, source_client, source_directory;
    std::string archive, archive_client, archive_directory;
    std::string object_prefix;  // Python regex matched at the start of the file name
    std::string sfts_path;
    std::string extension;  // appended to the remote file name only

    std::string sfts_host = kDefaultSftsHost;
    int sfts_port = 22;
    std::string sfts_host_key_sha256;
    std::string sfts_known_hosts;
    std::string sfts_identity;
    bool sfts_path_is_absolute = true;  // remote folder = "/" + sfts_path
    std::string sfts_temp_suffix = ".part";
    bool sfts_atomic_rename = true;
    // Create missing remote folders (for objects in sub-folders of the source prefix).
    bool sfts_create_folders = false;
    // Compare the MD5 of the bytes sent with the store's ETag when it is a plain MD5. Off for
    // buckets whose ETags are not content MD5s (SSE-KMS).
    bool sfts_verify_md5 = true;
    std::string journal_prefix;  // default "<archive>/inflight/"
    bool retry_bad = false;      // re-send objects that have a bad marker
    int64_t max_attempts = 0;    // failed runs of one object before it is marked bad; 0 = never
    std::string lock_dir;        // where the per-config lock lives; empty = the temp folder

    std::vector<std::string> warnings;

    // "<source>/<source_client>/<source_directory>/"
    std::string source_prefix() const {
        return source + "/" + source_client + "/" + source_directory + "/";
    }
    // The key with its source part replaced by the archive part (the original's rule).
    std::string archive_key(const std::string& key) const;
    // The remote folder as a path for the transfer seam.
    std::string remote_folder() const;
};

S3ToSftsConfig parse_s3_to_sfts_config(const nlohmann::ordered_json& json,
                                       const std::string& source_name);
S3ToSftsConfig load_s3_to_sfts_config(const std::string& path);

}  // namespace gdx::config
