#pragma once
// The embedded object store: a directory where bucket B is the folder DIR/B and a key is a
// relative path under it. Writes are atomic (temp file + rename), so a reader never sees a
// half-written object and a crash leaves either the old object or the new one (and a temp
// file, which the next write into that directory removes).
#include <filesystem>
#include <mutex>
#include <set>

#include "store/object_store.hpp"

namespace gdx::store {

class LocalStore : public ObjectStore {
public:
    explicit LocalStore(std::filesystem::path root);

    std::vector<ObjectInfo> list(const std::string& bucket, const std::string& prefix) override;
    std::optional<ObjectInfo> head(const std::string& bucket, const std::string& key) override;
    std::unique_ptr<ObjectReader> get(const std::string& bucket, const std::string& key) override;
    std::unique_ptr<ObjectWriter> put(const std::string& bucket, const std::string& key,
                                      const PutOptions& options = {}) override;
    void copy(const std::string& src_bucket, const std::string& src_key,
              const std::string& dst_bucket, const std::string& dst_key) override;
    void remove(const std::string& bucket, const std::string& key) override;
    bool copies_ahead() const override { return true; }
    std::unique_ptr<PendingCopy> prepare_copy(const std::string& src_bucket,
                                              const std::string& src_key,
                                              const std::string& dst_bucket,
                                              const std::string& dst_key) override;
    void require_bucket(const std::string& bucket) override;
    std::string describe() const override;

    const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path object_path(const std::string& bucket, const std::string& key) const;
    // object_path, for writing: the killed writers' temp files of its directory are removed
    // first.
    std::filesystem::path write_target(const std::string& bucket, const std::string& key);
    // Deletes the temp files a killed writer left in `dir` (once per directory and run), so
    // that a crash leaves nothing behind once the next run writes there again.
    void remove_stale_temps(const std::filesystem::path& dir);

    std::filesystem::path root_;
    std::mutex swept_mutex_;
    std::set<std::filesystem::path> swept_;
};

}  // namespace gdx::store
