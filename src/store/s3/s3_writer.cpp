#include "store/s3/s3_writer.hpp"

#include "store/s3/s3_codec.hpp"
#include "store/s3/s3_multipart.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace gdx::store::s3 {

S3Writer::S3Writer(S3Client& client, std::string bucket, std::string key)
    : client_(client),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      part_size_(client.config().part_size) {
    buffer_.reserve(std::min<size_t>(part_size_, 1024 * 1024));
}

S3Writer::~S3Writer() {
    if (in_flight_.valid()) in_flight_.wait();  // its thread uses sending_ and part_client_
    if (!committed_ && !upload_id_.empty()) abort_upload();
}

void S3Writer::write(std::string_view bytes) {
    if (committed_) throw std::logic_error("S3Writer::write after commit");
    while (!bytes.empty()) {
        // A full buffer becomes a part only once more data arrives: an object of exactly
        // one part size still goes up as a single PutObject.
        if (buffer_.size() == part_size_) upload_part();
        size_t take = std::min(bytes.size(), part_size_ - buffer_.size());
        buffer_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
    }
}

void S3Writer::upload_part() {
    if (upload_id_.empty()) {
        upload_id_ = create_multipart(client_, bucket_, key_);
        part_client_ = std::make_unique<S3Client>(config_for_worker(client_));
    }
    finish_part_in_flight();
    sending_.swap(buffer_);
    buffer_.clear();
    // Exactly one part: grown by doubling from its first write, the second buffer would end
    // at up to twice the part size.
    buffer_.reserve(part_size_);
    std::string query = part_query(part_etags_.size() + 1, upload_id_);
    in_flight_ = std::async(std::launch::async, [this, query = std::move(query)] {
        S3Request part{"UploadPart", "PUT", bucket_, key_, query, {}, sending_};
        S3Response res = part_client_->perform(part);
        std::string etag = res.header("etag");
        if (etag.empty()) {
            throw BackendError("S3 UploadPart " + s3_url_for_message(bucket_, key_) +
                               " failed: no ETag in the response");
        }
        return etag;
    });
}

void S3Writer::finish_part_in_flight() {
    if (!in_flight_.valid()) return;
    part_etags_.push_back(in_flight_.get());
}

void S3Writer::commit() {
    if (committed_) return;
    if (upload_id_.empty()) {
        client_.perform({"PutObject", "PUT", bucket_, key_, "", {}, buffer_});
    } else {
        if (!buffer_.empty()) upload_part();
        finish_part_in_flight();
        complete_multipart(client_, bucket_, key_, upload_id_, part_etags_);
    }
    committed_ = true;
    buffer_.clear();
    buffer_.shrink_to_fit();
    sending_.clear();
    sending_.shrink_to_fit();
}

void S3Writer::abort_upload() noexcept {
    abort_multipart(client_, bucket_, key_, upload_id_);
}

}  // namespace gdx::store::s3
