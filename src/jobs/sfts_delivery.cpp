#include "jobs/sfts_delivery.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "util/crash_point.hpp"

namespace gdx::jobs {
namespace {

// The ETag of a single-part S3 upload is the MD5 of the content; a multipart ETag has a '-'
// and the directory store's is not a digest at all: those are checked by length only.
std::string md5_of_etag(const std::string& etag) {
    if (etag.size() != 32) return "";
    std::string out;
    for (char c : etag) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// Passes reads through; the second read of an upload is a point where the server holds a
// partial temp file (the crash test of "mid_upload").
class CrashMidUpload : public store::ObjectReader {
public:
    explicit CrashMidUpload(store::ObjectReader& in) : in_(in) {}
    size_t read(char* dst, size_t capacity) override {
        if (++reads_ == 2) util::crash_point("mid_upload");
        return in_.read(dst, capacity);
    }

private:
    store::ObjectReader& in_;
    int reads_ = 0;
};

}  // namespace

SftsDelivery::SftsDelivery(store::ObjectStore& store, transfer::TransferSession& session,
                           JournalStore& journals, const config::S3ToSftsConfig& cfg,
                           util::RetryPolicy retry)
    : store_(store), session_(session), journals_(journals), cfg_(cfg), retry_(retry) {}

std::string SftsDelivery::final_path(const SftsCandidate& c) const {
    std::string folder = cfg_.remote_folder();
    return folder.empty() || folder == "/" ? folder + c.remote_name : folder + "/" + c.remote_name;
}

void SftsDelivery::upload_to(const SftsCandidate& c, const std::string& path) {
    const transfer::UploadExpectation expect{
        c.object.size, cfg_.sfts_verify_md5 ? md5_of_etag(c.object.etag) : std::string()};
    util::with_retry(retry_, "upload " + path, [&] {
        auto in = store_.get(cfg_.bucket, c.object.key);
        util::crash_point("after_download");
        CrashMidUpload reader(*in);
        session_.upload(path, reader, expect);
    });
    auto size = util::with_retry(retry_, "stat " + path, [&] { return session_.size_of(path); });
    if (size != c.object.size) {
        try {
            session_.remove(path);
        } catch (const std::exception& e) {
            spdlog::warn("could not remove {}: {}", path, e.what());
        }
        throw BackendError(
            fmt::format("{}: the server holds {} bytes after the upload, {} were "
                        "sent; removed",
                        path, size ? std::to_string(*size) : "no file", c.object.size));
    }
}

void SftsDelivery::rename_or_fallback(const SftsCandidate& c, Journal& j) {
    try {
        util::with_retry(retry_, "rename " + j.temp,
                         [&] { session_.rename(j.temp, j.final_path); });
        return;
    } catch (const BackendError& e) {
        // A server that stays unreachable has not refused the rename: the run stops.
        if (cfg_.sfts_atomic_rename || e.retries_exhausted()) throw;
        // The server refuses renames: send straight to the final name instead.
        spdlog::warn(
            "{}: rename refused ({}); sfts_atomic_rename is off, so uploading straight "
            "to {} (and the following files too)",
            c.object.key, e.what(), j.final_path);
        rename_refused_ = true;
    }
    try {
        session_.remove(j.temp);
    } catch (const std::exception& e) {
        spdlog::warn("could not remove {}: {}", j.temp, e.what());
    }
    upload_direct(c, j);
}

// Straight to the final name. The DIRECT journal comes first, so that a run interrupted
// mid-upload is redone by the next one instead of being taken for a name collision.
void SftsDelivery::upload_direct(const SftsCandidate& c, Journal& j) {
    j.state = JournalState::Direct;
    journals_.write(c.archive_key, j);
    upload_to(c, j.final_path);
}

Delivered SftsDelivery::deliver(const SftsCandidate& c) {
    const std::string final_path = this->final_path(c);
    const std::string temp = final_path + cfg_.sfts_temp_suffix;
    auto stat = [&](const std::string& p) {
        return util::with_retry(retry_, "stat " + p, [&] { return session_.size_of(p); });
    };
    int64_t attempts = 0;
    if (auto j = journals_.read(c.archive_key)) {
        attempts = j->attempts;
        if (j->state == JournalState::Renamed) return Delivered::Finished;
        if (j->state == JournalState::Direct) {
            if (stat(j->final_path) == j->size) return Delivered::Finished;
            spdlog::info("{}: the interrupted upload straight to {} is done again", c.object.key,
                         j->final_path);
            upload_direct(c, *j);
            return Delivered::Finished;
        }
        if (j->state == JournalState::Ready) {
            if (stat(j->final_path) == j->size) return Delivered::Finished;
            if (stat(j->temp) == j->size) {
                rename_or_fallback(c, *j);
                return Delivered::Finished;
            }
            if (!stat(j->final_path) && !stat(j->temp)) {
                spdlog::warn(
                    "{}: {} was complete on the server but neither it nor {} is there "
                    "now; taken as renamed and then collected by the recipient",
                    c.object.key, j->temp, j->final_path);
                return Delivered::Finished;
            }
            spdlog::warn("{}: the server does not match its journal; sending it again",
                         c.object.key);
            journals_.remove(c.archive_key);
        }
    }
    if (auto existing = stat(final_path)) {
        if (*existing == c.object.size) {
            spdlog::info("{}: {} is already on the server with the same size; not sent again",
                         c.object.key, final_path);
            return Delivered::AlreadyPresent;
        }
        throw DeliveryRefused(fmt::format(
            "name collision: {} is already on the server with {} bytes, the object has {}; it "
            "is never overwritten (remove or rename the remote file, then re-run)",
            final_path, *existing, c.object.size));
    }

    Journal j{JournalState::Ready, c.object.key,  c.object.etag, temp,
              final_path,          c.object.size, attempts};
    if (rename_refused_) {
        upload_direct(c, j);
    } else {
        upload_to(c, temp);
        util::crash_point("after_upload");
        journals_.write(c.archive_key, j);
        util::crash_point("after_ready_journal");
        rename_or_fallback(c, j);
    }
    util::crash_point("after_rename");
    j.state = JournalState::Renamed;
    journals_.write(c.archive_key, j);
    return Delivered::Sent;
}

void SftsDelivery::mark_good(const SftsCandidate& c) {
    store_.copy(cfg_.bucket, c.object.key, cfg_.bucket, cfg_.archive + "/good/" + c.archive_key);
    util::crash_point("after_mark");
    journals_.remove(c.archive_key);
}

int64_t SftsDelivery::count_failure(const SftsCandidate& c) {
    Journal j;
    if (auto old = journals_.read(c.archive_key)) j = *old;
    j.key = c.object.key;
    j.etag = c.object.etag;
    j.size = c.object.size;
    j.attempts++;
    journals_.write(c.archive_key, j);
    return j.attempts;
}

void SftsDelivery::mark_bad(const SftsCandidate& c) {
    store_.copy(cfg_.bucket, c.object.key, cfg_.bucket, cfg_.archive + "/bad/" + c.archive_key);
    journals_.remove(c.archive_key);
}

}  // namespace gdx::jobs
