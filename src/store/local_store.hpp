#pragma once
// The embedded object store: a directory where bucket B is the folder DIR/B and a key is a
// relative path under it. Writes are atomic (temp file + rename), so a reader never sees a
// half-written object and a crash leaves either the old object or the new one.
#include <filesystem>

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
    void require_bucket(const std::string& bucket) override;
    std::string describe() const override;

    const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path object_path(const std::string& bucket, const std::string& key) const;

    std::filesystem::path root_;
};

}  // namespace gdx::store
