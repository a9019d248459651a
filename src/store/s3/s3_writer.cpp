#include "store/s3/s3_writer.hpp"

#include "store/s3/s3_codec.hpp"
#include "store/s3/s3_multipart.hpp"
#include "util/crash_point.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace gdx::store::s3 {

S3Writer::S3Writer(S3Client& client, std::string bucket, std::string key, const PutOptions& options)
    : client_(client),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      part_size_(client.config().part_size) {
    if (options.sse_s3) headers_.push_back("x-amz-server-side-encryption: AES256");
    buffer_.reserve(std::min<size_t>(part_size_, 1024 * 1024));
}

S3Writer::~S3Writer() {
    for (auto& part : in_flight_)  // their threads use the parts' bytes and clients
        if (part.etag.valid()) part.etag.wait();
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
        abort_unfinished_uploads(client_, bucket_, key_);
        upload_id_ = create_multipart(client_, bucket_, key_, headers_);
    }
    const size_t slots = static_cast<size_t>(std::max(client_.config().upload_concurrency, 1));
    while (in_flight_.size() >= slots) finish_oldest_part();

    PartInFlight part;
    part.number = ++parts_started_;
    part.bytes.swap(buffer_);
    if (!spare_buffers_.empty()) {
        buffer_.swap(spare_buffers_.back());
        spare_buffers_.pop_back();
        buffer_.clear();
    }
    // Exactly one part: grown by doubling from its first write, it would end at up to twice
    // the part size.
    buffer_.reserve(part_size_);
    if (idle_clients_.empty()) {
        part.client = std::make_unique<S3Client>(config_for_worker(client_));
    } else {
        part.client = std::move(idle_clients_.back());
        idle_clients_.pop_back();
    }
    in_flight_.push_back(std::move(part));
    PartInFlight& p = in_flight_.back();
    // The thread uses the element's bytes and client: std::deque keeps them in place while
    // elements are added at the back, and finish_oldest_part waits for it before moving them.
    S3Client* client = p.client.get();
    std::string_view bytes = p.bytes;
    p.etag = std::async(
        std::launch::async, [this, client, bytes, query = part_query(p.number, upload_id_)] {
            S3Request request{"UploadPart", "PUT", bucket_, key_, query, {}, bytes};
            S3Response res = client->perform(request);
            std::string etag = res.header("etag");
            if (etag.empty()) {
                throw BackendError("S3 UploadPart " + s3_url_for_message(bucket_, key_) +
                                   " failed: no ETag in the response");
            }
            return etag;
        });
}

void S3Writer::finish_oldest_part() {
    in_flight_.front().etag.wait();
    PartInFlight part = std::move(in_flight_.front());
    in_flight_.pop_front();
    std::string etag;
    try {
        etag = part.etag.get();
    } catch (...) {
        // The others are still sending: wait for them before the upload is aborted.
        for (auto& other : in_flight_)
            if (other.etag.valid()) other.etag.wait();
        in_flight_.clear();
        throw;
    }
    if (part_etags_.size() < part.number) part_etags_.resize(part.number);
    part_etags_[part.number - 1] = std::move(etag);
    util::crash_point("mid_multipart");  // a part is stored, the upload is not complete
    idle_clients_.push_back(std::move(part.client));
    spare_buffers_.push_back(std::move(part.bytes));
}

void S3Writer::commit() {
    if (committed_) return;
    if (upload_id_.empty()) {
        client_.perform({"PutObject", "PUT", bucket_, key_, "", headers_, buffer_});
    } else {
        if (!buffer_.empty()) upload_part();
        while (!in_flight_.empty()) finish_oldest_part();
        complete_multipart(client_, bucket_, key_, upload_id_, part_etags_);
    }
    committed_ = true;
    buffer_.clear();
    buffer_.shrink_to_fit();
    idle_clients_.clear();
    spare_buffers_.clear();
}

void S3Writer::abort_upload() noexcept {
    abort_multipart(client_, bucket_, key_, upload_id_);
}

}  // namespace gdx::store::s3
