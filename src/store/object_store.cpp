#include "store/object_store.hpp"

namespace gdx::store {

void ObjectStore::put_bytes(const std::string& bucket, const std::string& key, std::string_view bytes) {
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

}  // namespace gdx::store
