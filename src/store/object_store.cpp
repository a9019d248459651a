#include "store/object_store.hpp"

#include "util/error.hpp"

namespace gdx::store {
namespace {

class SizeCheckedReader : public ObjectReader {
public:
    SizeCheckedReader(std::unique_ptr<ObjectReader> in, std::string what, uint64_t expected)
        : in_(std::move(in)), what_(std::move(what)), expected_(expected) {}

    size_t read(char* dst, size_t capacity) override {
        const size_t n = in_->read(dst, capacity);
        read_ += n;
        if ((n == 0 && capacity > 0 && read_ != expected_) || read_ > expected_) {
            throw BackendError(what_ + ": read " + std::to_string(read_) +
                                   " bytes, the listing said " + std::to_string(expected_) +
                                   " (the body was cut short or the object changed since it was "
                                   "listed)",
                               /*transient=*/true);
        }
        return n;
    }

private:
    std::unique_ptr<ObjectReader> in_;
    std::string what_;
    uint64_t expected_;
    uint64_t read_ = 0;
};

}  // namespace

std::unique_ptr<ObjectReader> ObjectStore::get_listed(const std::string& bucket,
                                                      const ObjectInfo& object) {
    return std::make_unique<SizeCheckedReader>(
        get(bucket, object.key), "reading object " + bucket + "/" + object.key, object.size);
}

void ObjectStore::put_bytes(const std::string& bucket, const std::string& key,
                            std::string_view bytes) {
    auto writer = put(bucket, key);
    writer->write(bytes);
    writer->commit();
}

std::string ObjectStore::get_bytes(const std::string& bucket, const std::string& key) {
    auto reader = get(bucket, key);
    std::string out;
    char buf[1 << 16];
    while (size_t n = reader->read(buf, sizeof buf)) out.append(buf, n);
    return out;
}

namespace {

class CopyOnPublish : public PendingCopy {
public:
    CopyOnPublish(ObjectStore& store, std::string src_bucket, std::string src_key,
                  std::string dst_bucket, std::string dst_key)
        : store_(store),
          src_bucket_(std::move(src_bucket)),
          src_key_(std::move(src_key)),
          dst_bucket_(std::move(dst_bucket)),
          dst_key_(std::move(dst_key)) {}
    void publish() override { store_.copy(src_bucket_, src_key_, dst_bucket_, dst_key_); }

private:
    ObjectStore& store_;
    std::string src_bucket_, src_key_, dst_bucket_, dst_key_;
};

}  // namespace

std::unique_ptr<PendingCopy> ObjectStore::prepare_copy(const std::string& src_bucket,
                                                       const std::string& src_key,
                                                       const std::string& dst_bucket,
                                                       const std::string& dst_key) {
    return std::make_unique<CopyOnPublish>(*this, src_bucket, src_key, dst_bucket, dst_key);
}

}  // namespace gdx::store
