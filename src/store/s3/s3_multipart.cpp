#include "store/s3/s3_multipart.hpp"

#include "store/s3/s3_codec.hpp"
#include "store/s3/s3_xml.hpp"
#include "util/log.hpp"

namespace gdx::store::s3 {
namespace {

std::string upload_query(const std::string& upload_id) {
    return "uploadId=" + uri_encode(upload_id, false);
}

}  // namespace

std::string create_multipart(S3Client& client, const std::string& bucket, const std::string& key,
                             const std::vector<std::string>& headers) {
    S3Request req{"CreateMultipartUpload", "POST", bucket, key, "uploads=", headers, {}};
    return parse_upload_id(client.perform(req).body);
}

std::string part_query(size_t part_number, const std::string& upload_id) {
    return "partNumber=" + std::to_string(part_number) + "&" + upload_query(upload_id);
}

void complete_multipart(S3Client& client, const std::string& bucket, const std::string& key,
                        const std::string& upload_id, const std::vector<std::string>& part_etags) {
    const std::string body = complete_multipart_xml(part_etags);
    S3Request req{"CompleteMultipartUpload",         "POST", bucket, key, upload_query(upload_id),
                  {"Content-Type: application/xml"}, body};
    client.perform(req, {}, /*error_in_success_body=*/true);
}

void abort_multipart(S3Client& client, const std::string& bucket, const std::string& key,
                     const std::string& upload_id) noexcept {
    try {
        client.perform(
            {"AbortMultipartUpload", "DELETE", bucket, key, upload_query(upload_id), {}, {}},
            {404});
    } catch (const std::exception& e) {
        util::log_warn("{}", e.what());
    }
}

void abort_unfinished_uploads(S3Client& client, const std::string& bucket,
                              const std::string& key) noexcept {
    try {
        // Canonical query: parameters sorted by name.
        S3Request req{"ListMultipartUploads",
                      "GET",
                      bucket,
                      "",
                      "prefix=" + uri_encode(key, false) + "&uploads=",
                      {},
                      {}};
        for (const auto& [upload_key, upload_id] :
             parse_multipart_uploads(client.perform(req).body)) {
            if (upload_key != key) continue;
            util::log_info("aborting the unfinished upload {} of {}/{} (a writer was killed)",
                           upload_id, bucket, key);
            abort_multipart(client, bucket, key, upload_id);
        }
    } catch (const std::exception& e) {
        util::log_warn("{}", e.what());
    }
}

S3Config config_for_worker(S3Client& client) {
    S3Config config = client.config();
    config.credentials = client.credentials();
    return config;
}

}  // namespace gdx::store::s3
