#include "jobs/sfts_journal.hpp"

#include <chrono>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "util/time_format.hpp"

namespace gdx::jobs {
namespace {

const char* state_name(JournalState s) {
    switch (s) {
        case JournalState::Ready:
            return "READY";
        case JournalState::Renamed:
            return "RENAMED";
        case JournalState::Direct:
            return "DIRECT";
        case JournalState::Failed:
            break;
    }
    return "FAILED";
}

}  // namespace

bool JournalStore::known_absent(const std::string& archive_key) {
    std::lock_guard lock(state_mutex_);
    return listed_root_ && archive_key.compare(0, listed_root_->size(), *listed_root_) == 0 &&
           !listed_.count(archive_key);
}

std::optional<Journal> JournalStore::read(const std::string& archive_key) {
    if (known_absent(archive_key)) return std::nullopt;
    const std::string key = key_of(archive_key);
    std::string text;
    {
        std::lock_guard lock(store_mutex_);
        if (!store_.head(bucket_, key)) return std::nullopt;
        text = store_.get_bytes(bucket_, key);
    }
    try {
        auto j = nlohmann::json::parse(text);
        Journal out;
        std::string state = j.at("state").get<std::string>();
        if (state == "READY")
            out.state = JournalState::Ready;
        else if (state == "RENAMED")
            out.state = JournalState::Renamed;
        else if (state == "DIRECT")
            out.state = JournalState::Direct;
        else if (state == "FAILED")
            out.state = JournalState::Failed;
        else
            throw std::runtime_error("unknown state " + state);
        out.key = j.value("key", "");
        out.etag = j.value("etag", "");
        out.size = j.value("size", uint64_t{0});
        out.temp = j.value("temp", "");
        out.final_path = j.value("final", "");
        out.attempts = j.value("attempts", int64_t{0});
        return out;
    } catch (const std::exception& e) {
        spdlog::warn("journal {} is unreadable ({}); treated as absent", key, e.what());
        return std::nullopt;
    }
}

void JournalStore::write(const std::string& archive_key, const Journal& journal) {
    nlohmann::json j = {{"state", state_name(journal.state)},
                        {"key", journal.key},
                        {"etag", journal.etag},
                        {"size", journal.size},
                        {"temp", journal.temp},
                        {"final", journal.final_path},
                        {"attempts", journal.attempts},
                        {"time", util::format_vancouver(std::chrono::system_clock::now())}};
    {
        std::lock_guard lock(state_mutex_);
        listed_.insert(archive_key);  // before the write: a failed write may have left it
    }
    std::lock_guard lock(store_mutex_);
    store_.put_bytes(bucket_, key_of(archive_key), j.dump(2) + "\n");
}

void JournalStore::remove(const std::string& archive_key) {
    {
        std::lock_guard lock(store_mutex_);
        store_.remove(bucket_, key_of(archive_key));
    }
    std::lock_guard lock(state_mutex_);
    listed_.erase(archive_key);
}

std::vector<std::string> JournalStore::list(const std::string& archive_root) {
    std::vector<std::string> out;
    std::unique_lock store_lock(store_mutex_);
    const auto objects = store_.list(bucket_, prefix_ + archive_root);
    store_lock.unlock();
    for (const auto& o : objects) {
        const std::string suffix = ".json";
        if (o.key.size() < prefix_.size() + suffix.size() ||
            o.key.compare(o.key.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        out.push_back(o.key.substr(prefix_.size(), o.key.size() - prefix_.size() - suffix.size()));
    }
    std::lock_guard lock(state_mutex_);
    listed_root_ = archive_root;
    listed_ = {out.begin(), out.end()};
    return out;
}

}  // namespace gdx::jobs
