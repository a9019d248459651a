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

DeliveryRefused collision(const std::string& final_path, uint64_t existing, uint64_t size) {
    return DeliveryRefused(fmt::format(
        "name collision: {} is already on the server with {} bytes, the object has {}; it "
        "is never overwritten (remove or rename the remote file, then re-run)",
        final_path, existing, size));
}

std::pair<std::string, std::string> split_path(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return {"", path};
    return {path.substr(0, slash + 1), path.substr(slash + 1)};
}

}  // namespace

SftsDelivery::SftsDelivery(store::ObjectStore& store, transfer::TransferSession& session,
                           JournalStore& journals, const config::S3ToSftsConfig& cfg,
                           util::RetryPolicy retry)
    : store_(store), session_(session), journals_(journals), cfg_(cfg), retry_(retry) {}

SftsDelivery::~SftsDelivery() {
    drop_good_copy();
    finish_journal_drop();
}

// <archive>/<state>/<archive key>: the object's good or bad marker.
std::string SftsDelivery::marker_key(const SftsCandidate& c, const char* state) const {
    return cfg_.archive + "/" + state + "/" + c.archive_key;
}

std::string SftsDelivery::good_key(const SftsCandidate& c) const {
    return marker_key(c, "good");
}

Journal SftsDelivery::journal_of(const SftsCandidate& c, JournalState state,
                                 int64_t attempts) const {
    const std::string final_path = this->final_path(c);
    return Journal{state,      c.object.key,  c.object.etag, final_path + cfg_.sfts_temp_suffix,
                   final_path, c.object.size, attempts};
}

void SftsDelivery::start_good_copy(const SftsCandidate& c) {
    drop_good_copy();
    if (!store_.copies_ahead()) return;
    good_copy_key_ = c.object.key;
    good_copy_ = std::async(std::launch::async, [this, key = c.object.key, dst = good_key(c)] {
        return store_.prepare_copy(cfg_.bucket, key, cfg_.bucket, dst);
    });
}

void SftsDelivery::drop_good_copy() {
    if (!good_copy_.valid()) return;
    try {
        good_copy_.get();  // waits for it; the unpublished copy's temp file goes with it
    } catch (const std::exception& e) {
        spdlog::debug("the good copy made ahead of {} failed: {}", good_copy_key_, e.what());
    }
    good_copy_key_.clear();
}

std::string SftsDelivery::final_path(const SftsCandidate& c) const {
    std::string folder = cfg_.remote_folder();
    return folder.empty() || folder == "/" ? folder + c.remote_name : folder + "/" + c.remote_name;
}

// Removes a file of ours that is of no use any more; a failure is only logged.
void SftsDelivery::remove_quietly(const std::string& path) {
    try {
        session_.remove(path);
    } catch (const std::exception& e) {
        spdlog::warn("could not remove {}: {}", path, e.what());
    }
}

// Streams the object to `path`; its length and MD5 are checked while it flows.
// `source_verified` runs once they have matched (see TransferSession::upload).
void SftsDelivery::send(const SftsCandidate& c, const std::string& path,
                        const std::function<void()>& source_verified) {
    const transfer::UploadExpectation expect{
        c.object.size, cfg_.sfts_verify_md5 ? md5_of_etag(c.object.etag) : std::string()};
    util::with_retry(retry_, "upload " + path, [&] {
        auto in = store_.get(cfg_.bucket, c.object.key);
        util::crash_point("after_download");
        CrashMidUpload reader(*in);
        session_.upload(path, reader, expect, source_verified);
    });
}

std::optional<uint64_t> SftsDelivery::remote_size(const std::string& path) {
    return util::with_retry(retry_, "stat " + path, [&] { return session_.size_of(path); });
}

// The server must hold the whole object at `path` after the upload; otherwise the file is
// removed and this object fails.
void SftsDelivery::require_size(const SftsCandidate& c, const std::string& path,
                                std::optional<uint64_t> size) {
    if (size == c.object.size) return;
    remove_quietly(path);
    throw BackendError(
        fmt::format("{}: the server holds {} bytes after the upload, {} were sent; removed", path,
                    size ? std::to_string(*size) : "no file", c.object.size));
}

void SftsDelivery::upload_to(const SftsCandidate& c, const std::string& path) {
    send(c, path, {});
    require_size(c, path, remote_size(path));
}

// Uploads to the temp name and journals READY. The journal is written and made durable on
// another thread while the last bytes travel and the server is asked for the temp file's size:
// it starts once the whole object has been read and matched its length and MD5, when the temp
// file exists on the server. A run that dies before the upload ends leaves READY with a temp
// file that is short, which the next run sends again; one that fails here drops the journal.
// Either way a READY journal never outlives its temp file unless that file was renamed, and it
// is durable before the rename.
void SftsDelivery::upload_temp_and_journal(const SftsCandidate& c, const Journal& j) {
    std::future<void> journal;  // its destructor waits for it on every way out
    try {
        send(c, j.temp, [&] {
            if (!journal.valid())
                journal = std::async(std::launch::async,
                                     [this, &c, &j] { journals_.write(c.archive_key, j); });
        });
    } catch (...) {
        drop_journal_of_failed_upload(c, journal);
        throw;
    }
    util::crash_point("after_upload");
    const auto got = remote_size(j.temp);
    journal.get();  // rethrows a failed journal write: the object is not renamed then
    if (got != c.object.size) journals_.remove(c.archive_key);
    require_size(c, j.temp, got);
}

// After an upload that failed: its READY journal, if it was begun, goes again, so that the
// next run starts from what the server holds (it would send again from READY too, since the
// temp file is short, but with a misleading warning).
void SftsDelivery::drop_journal_of_failed_upload(const SftsCandidate& c,
                                                 std::future<void>& journal) {
    if (!journal.valid()) return;
    try {
        journal.get();
        journals_.remove(c.archive_key);
    } catch (const std::exception& e) {
        spdlog::warn("{}: could not drop the journal of the failed upload: {}", c.object.key,
                     e.what());
    }
}

// False when the listing of the file's folder, taken at its first use in this run, did not have
// it: the server is then not asked for its size. A folder that cannot be listed (a server may
// allow writing but not listing) is asked file by file.
bool SftsDelivery::may_exist(const std::string& path) {
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    const auto parts = split_path(path);
    const std::string& dir = parts.first;
    const std::string& name = parts.second;
    auto it = remote_names_.find(dir);
    if (it == remote_names_.end()) {
        std::optional<std::set<std::string>> names;
        try {
            auto listed =
                util::with_retry(retry_, "list " + dir, [&] { return session_.list(dir); });
            names.emplace(listed.begin(), listed.end());
        } catch (const BackendError& e) {
            spdlog::info("cannot list {} ({}); each file's name is checked on its own",
                         dir.empty() ? "the login folder" : dir, e.what());
        }
        it = remote_names_.emplace(dir, std::move(names)).first;
    }
    return !it->second || it->second->count(name) > 0;
}

void SftsDelivery::rename_or_fallback(const SftsCandidate& c, Journal& j) {
    try {
        util::with_retry(retry_, "rename " + j.temp,
                         [&] { session_.rename(j.temp, j.final_path); });
        return;
    } catch (const BackendError& e) {
        // A server that stays unreachable has not refused the rename: the run stops.
        if (e.retries_exhausted()) throw;
        // The final name may have appeared since its folder was listed (or a rename whose
        // answer was lost went through): it is never overwritten.
        if (auto existing = remote_size(j.final_path)) {
            if (*existing == c.object.size) {
                spdlog::info("{}: {} is on the server with the same size; taken as delivered",
                             c.object.key, j.final_path);
                remove_quietly(j.temp);
                return;
            }
            journals_.remove(c.archive_key);
            remove_quietly(j.temp);
            throw collision(j.final_path, *existing, c.object.size);
        }
        if (cfg_.sfts_atomic_rename) throw;
        // The server refuses renames: send straight to the final name instead.
        spdlog::warn(
            "{}: rename refused ({}); sfts_atomic_rename is off, so uploading straight "
            "to {} (and the following files too)",
            c.object.key, e.what(), j.final_path);
        rename_refused_ = true;
    }
    upload_direct(c, j, j.temp);
}

// Straight to the final name. The DIRECT journal comes first, so that a run interrupted
// mid-upload is redone by the next one instead of being taken for a name collision, and
// before a temp file of this object goes (`stale_temp`): a READY journal left without its
// temp file would say that the file was renamed and collected.
void SftsDelivery::upload_direct(const SftsCandidate& c, Journal& j,
                                 const std::string& stale_temp) {
    j.state = JournalState::Direct;
    journals_.write(c.archive_key, j);
    if (!stale_temp.empty()) {
        remove_quietly(stale_temp);
        util::crash_point("after_temp_removed");
    }
    upload_to(c, j.final_path);
}

Delivered SftsDelivery::deliver(const SftsCandidate& c) {
    const std::string final_path = this->final_path(c);
    int64_t attempts = 0;
    if (auto j = journals_.read(c.archive_key)) {
        attempts = j->attempts;
        if (j->state == JournalState::Renamed) return Delivered::Finished;
        if (j->state == JournalState::Direct) {
            if (remote_size(j->final_path) == j->size) return Delivered::Finished;
            spdlog::info("{}: the interrupted upload straight to {} is done again", c.object.key,
                         j->final_path);
            upload_direct(c, *j);
            return Delivered::Finished;
        }
        if (j->state == JournalState::Ready) {
            if (remote_size(j->final_path) == j->size) return Delivered::Finished;
            if (remote_size(j->temp) == j->size) {
                rename_or_fallback(c, *j);
                return Delivered::Finished;
            }
            if (!remote_size(j->final_path) && !remote_size(j->temp)) {
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
    if (auto existing = may_exist(final_path) ? remote_size(final_path) : std::nullopt) {
        if (*existing == c.object.size) {
            spdlog::info("{}: {} is already on the server with the same size; not sent again",
                         c.object.key, final_path);
            return Delivered::AlreadyPresent;
        }
        throw collision(final_path, *existing, c.object.size);
    }

    Journal j = journal_of(c, JournalState::Ready, attempts);
    start_good_copy(c);
    try {
        if (rename_refused_) {
            upload_direct(c, j);
        } else {
            upload_temp_and_journal(c, j);
            util::crash_point("after_ready_journal");
            rename_or_fallback(c, j);
        }
    } catch (...) {
        drop_good_copy();
        throw;
    }
    // No RENAMED journal here: the good copy follows at once, and a run that dies before it
    // leaves READY (or DIRECT), from which the next run finds the final file and marks it.
    util::crash_point("after_rename");
    return Delivered::Sent;
}

void SftsDelivery::mark_good(const SftsCandidate& c) {
    if (good_copy_.valid() && good_copy_key_ == c.object.key) {
        auto copy = good_copy_.get();
        good_copy_key_.clear();
        copy->publish();
    } else {
        drop_good_copy();
        store_.copy_listed(cfg_.bucket, c.object, cfg_.bucket, good_key(c));
    }
    util::crash_point("after_mark");
    drop_journal_later(c.archive_key);
}

// The journal of an object marked good is of no use any more, but nothing waits for its
// removal: a journal left by a run that dies first is dropped by the next (it finds the good
// marker). At most one removal is pending.
void SftsDelivery::drop_journal_later(const std::string& archive_key) {
    finish_journal_drop();
    journal_drop_ =
        std::async(std::launch::async, [this, archive_key] { journals_.remove(archive_key); });
}

void SftsDelivery::finish_journal_drop() {
    if (!journal_drop_.valid()) return;
    try {
        journal_drop_.get();
    } catch (const std::exception& e) {
        spdlog::warn(
            "could not drop the journal of an object marked good ({}); the next run "
            "drops it",
            e.what());
    }
}

void SftsDelivery::keep_as_delivered(const SftsCandidate& c) {
    const auto old = journals_.read(c.archive_key);
    journals_.write(c.archive_key, journal_of(c, JournalState::Renamed, old ? old->attempts : 0));
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
    drop_good_copy();
    store_.copy_listed(cfg_.bucket, c.object, cfg_.bucket, marker_key(c, "bad"));
    journals_.remove(c.archive_key);
}

}  // namespace gdx::jobs
