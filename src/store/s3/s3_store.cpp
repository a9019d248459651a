#include "store/s3/s3_store.hpp"

#include <algorithm>
#include <charconv>

#include "store/s3/s3_codec.hpp"
#include "store/s3/s3_copy.hpp"
#include "store/s3/s3_range_reader.hpp"
#include "store/s3/s3_reader.hpp"
#include "store/s3/s3_time.hpp"
#include "store/s3/s3_writer.hpp"
#include "store/s3/s3_xml.hpp"
#include "util/error.hpp"

namespace gdx::store {

S3Store::S3Store(s3::S3Config config)
    : client_(std::make_unique<s3::S3Client>(std::move(config))) {}

std::vector<ObjectInfo> S3Store::list(const std::string& bucket, const std::string& prefix) {
    std::vector<ObjectInfo> all;
    std::string token;
    do {
        // Canonical query: parameters sorted by name, values SigV4-encoded.
        std::string query;
        if (!token.empty()) query = "continuation-token=" + s3::uri_encode(token, false) + "&";
        query += "list-type=2&";
        if (int n = client_->config().list_page_size; n > 0) {
            query += "max-keys=" + std::to_string(n) + "&";
        }
        query += "prefix=" + s3::uri_encode(prefix, false);
        s3::S3Request req{"ListObjectsV2", "GET", bucket, "", query, {}, {}};
        s3::S3Response res = client_->perform(req, {404});
        if (res.status == 404)  // NoSuchBucket: a mistake in the config, not an empty listing
            throw ConfigError("bucket " + bucket + " does not exist (S3 ListObjectsV2 " +
                              s3::s3_url_for_message(bucket, prefix) + ": 404)");
        s3::ListPage page = s3::parse_list_page(res.body);
        for (auto& o : page.objects) all.push_back(std::move(o));
        if (page.truncated && page.next_token.empty()) {
            throw BackendError("S3 ListObjectsV2 " + s3::s3_url_for_message(bucket, prefix) +
                               " failed: truncated page without a continuation token");
        }
        token = page.truncated ? page.next_token : std::string();
    } while (!token.empty());
    // S3 already lists in UTF-8 byte order; sort anyway so every server behaves alike.
    std::sort(all.begin(), all.end(),
              [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return all;
}

void S3Store::require_bucket(const std::string& bucket) {
    s3::S3Request req{"HeadBucket", "HEAD", bucket, "", "", {}, {}};
    if (client_->perform(req, {404}).status == 404)
        throw ConfigError("bucket " + bucket + " does not exist (S3 HeadBucket " +
                          s3::s3_url_for_message(bucket, "") + ": 404)");
}

std::optional<ObjectInfo> S3Store::head(const std::string& bucket, const std::string& key) {
    s3::S3Request req{"HeadObject", "HEAD", bucket, key, "", {}, {}};
    s3::S3Response res = client_->perform(req, {404});
    if (res.status == 404) return std::nullopt;
    ObjectInfo info;
    info.key = key;
    std::string length = res.header("content-length");
    std::from_chars(length.data(), length.data() + length.size(), info.size);
    info.etag = s3::strip_quotes(res.header("etag"));
    auto modified = s3::parse_http_date(res.header("last-modified"));
    if (!modified) {
        throw BackendError("S3 HeadObject " + s3::s3_url_for_message(bucket, key) +
                           " failed: unreadable Last-Modified header");
    }
    info.last_modified = *modified;
    return info;
}

std::unique_ptr<ObjectReader> S3Store::get(const std::string& bucket, const std::string& key) {
    auto reader = std::make_unique<s3::S3Reader>(*client_, bucket, key);
    // A large object: the first response gave its size and ETag; that GET is dropped (a few
    // hundred KiB in flight at most) and ranged GETs on several connections take over.
    const auto& config = client_->config();
    const uint64_t size = reader->object_size();
    if (config.get_concurrency > 1 && size > 2 * config.get_range_size) {
        std::string etag = reader->etag();
        reader.reset();
        return std::make_unique<s3::S3RangeReader>(*client_, bucket, key, size, std::move(etag));
    }
    return reader;
}

std::unique_ptr<ObjectWriter> S3Store::put(const std::string& bucket, const std::string& key,
                                           const PutOptions& options) {
    return std::make_unique<s3::S3Writer>(*client_, bucket, key, options);
}

void S3Store::copy(const std::string& src_bucket, const std::string& src_key,
                   const std::string& dst_bucket, const std::string& dst_key) {
    // The size decides between one CopyObject and parallel UploadPartCopy parts. A missing
    // source goes to CopyObject, whose NoSuchKey error names it.
    auto source = head(src_bucket, src_key);
    s3::copy_object(*client_, src_bucket, src_key, dst_bucket, dst_key, source ? source->size : 0,
                    source ? source->etag : std::string());
}

void S3Store::copy_listed(const std::string& src_bucket, const ObjectInfo& source,
                          const std::string& dst_bucket, const std::string& dst_key) {
    s3::copy_object(*client_, src_bucket, source.key, dst_bucket, dst_key, source.size,
                    source.etag);
}

void S3Store::remove(const std::string& bucket, const std::string& key) {
    client_->perform({"DeleteObject", "DELETE", bucket, key, "", {}, {}});
}

std::string S3Store::describe() const {
    const auto& c = client_->config();
    return c.endpoint.empty() ? "s3:// (region " + c.region + ")"
                              : "s3:// (endpoint " + c.endpoint + ", region " + c.region + ")";
}

}  // namespace gdx::store
