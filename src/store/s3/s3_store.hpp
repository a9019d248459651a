#pragma once
// ObjectStore over the S3 REST API (docs/semantics.md#backends): real S3 or any S3-compatible
// endpoint.
#include <memory>

#include "store/object_store.hpp"
#include "store/s3/s3_client.hpp"

namespace gdx::store {

// Readers and writers borrow the store: they must not outlive it. Not thread-safe.
class S3Store : public ObjectStore {
public:
    explicit S3Store(s3::S3Config config = s3::S3Config::from_env());

    std::vector<ObjectInfo> list(const std::string& bucket, const std::string& prefix) override;
    std::optional<ObjectInfo> head(const std::string& bucket, const std::string& key) override;
    std::unique_ptr<ObjectReader> get(const std::string& bucket, const std::string& key) override;
    std::unique_ptr<ObjectWriter> put(const std::string& bucket, const std::string& key,
                                      const PutOptions& options = {}) override;
    void copy(const std::string& src_bucket, const std::string& src_key,
              const std::string& dst_bucket, const std::string& dst_key) override;
    void copy_listed(const std::string& src_bucket, const ObjectInfo& source,
                     const std::string& dst_bucket, const std::string& dst_key) override;
    void remove(const std::string& bucket, const std::string& key) override;
    void require_bucket(const std::string& bucket) override;
    std::string describe() const override;

private:
    std::unique_ptr<s3::S3Client> client_;
};

}  // namespace gdx::store
