#pragma once
// The object-store seam (docs/semantics.md#backends): a directory (file:DIR) or S3 (s3://).
// Jobs only ever talk to this interface.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gdx::store {

struct ObjectInfo {
    std::string key;
    uint64_t size = 0;
    std::string etag;  // opaque; for the local store a hash of size+mtime
    std::chrono::system_clock::time_point last_modified;
};

// Streamed download. read() returns 0 at end of object; throws BackendError on failure.
class ObjectReader {
public:
    virtual ~ObjectReader() = default;
    virtual size_t read(char* dst, size_t capacity) = 0;
};

// Streamed upload. Nothing is visible under the key until commit() returns;
// destroying an uncommitted writer abandons the upload.
class ObjectWriter {
public:
    virtual ~ObjectWriter() = default;
    virtual void write(std::string_view bytes) = 0;
    virtual void commit() = 0;
};

// A copy made ahead of time that appears under its key only when published; dropping it
// unpublished leaves nothing behind.
class PendingCopy {
public:
    virtual ~PendingCopy() = default;
    virtual void publish() = 0;
};

// How a new object is written.
struct PutOptions {
    // S3 server-side encryption with S3-managed keys (x-amz-server-side-encryption: AES256),
    // as Redshift's UNLOAD writes its objects. A directory store has nothing to encrypt.
    bool sse_s3 = false;
};

class ObjectStore {
public:
    virtual ~ObjectStore() = default;
    // Every object under prefix (recursive, all pages), in key order.
    virtual std::vector<ObjectInfo> list(const std::string& bucket, const std::string& prefix) = 0;
    // nullopt when the object does not exist.
    virtual std::optional<ObjectInfo> head(const std::string& bucket, const std::string& key) = 0;
    virtual std::unique_ptr<ObjectReader> get(const std::string& bucket,
                                              const std::string& key) = 0;
    virtual std::unique_ptr<ObjectWriter> put(const std::string& bucket, const std::string& key,
                                              const PutOptions& options = {}) = 0;
    // Server-side copy.
    virtual void copy(const std::string& src_bucket, const std::string& src_key,
                      const std::string& dst_bucket, const std::string& dst_key) = 0;
    // The same copy of an object the caller has described from a listing (or a HEAD): S3 plans
    // it from the listed size and ETag instead of asking the server first (one request less
    // per object), and its part copies are conditional on that ETag. Other stores copy().
    virtual void copy_listed(const std::string& src_bucket, const ObjectInfo& source,
                             const std::string& dst_bucket, const std::string& dst_key) {
        copy(src_bucket, source.key, dst_bucket, dst_key);
    }
    virtual void remove(const std::string& bucket, const std::string& key) = 0;
    // True when prepare_copy does the copy's work at once, and may run on another thread while
    // the store is used (the directory store: copying is the local disk's work). False: it only
    // records the copy, which publish() makes (S3's copy is the server's, and visible at once).
    virtual bool copies_ahead() const { return false; }
    // A copy of src to dst that becomes visible at publish(): the directory store writes and
    // syncs the bytes now, so that publishing is a rename.
    virtual std::unique_ptr<PendingCopy> prepare_copy(const std::string& src_bucket,
                                                      const std::string& src_key,
                                                      const std::string& dst_bucket,
                                                      const std::string& dst_key);
    // Throws ConfigError naming the bucket (and the store directory) when `bucket` does not
    // exist: a job that reads its input from it stops on a mistaken setting instead of finding
    // nothing. Writers need not call it (a directory store creates a bucket on first write).
    virtual void require_bucket(const std::string& bucket) = 0;
    // Human description for logs (never contains a secret), e.g. "file:/data" or "s3://".
    virtual std::string describe() const = 0;

    // Reads an object as the listing (or a HEAD) described it: at its end, a byte count other
    // than `object.size` fails the read with a transient BackendError naming both counts. An
    // HTTP body cut short under a too small Content-Length, or an object replaced since it was
    // listed, would otherwise load silently as a shorter object under the listed size and ETag.
    std::unique_ptr<ObjectReader> get_listed(const std::string& bucket, const ObjectInfo& object);
    // Convenience: upload a small object in one call.
    void put_bytes(const std::string& bucket, const std::string& key, std::string_view bytes);
    // Convenience: read a whole (small) object.
    std::string get_bytes(const std::string& bucket, const std::string& key);
};

// The URI the store options default to (GDX_STORE, then this).
inline constexpr const char* kDefaultStoreUri = "file:data";

// "file:DIR" -> LocalStore; exactly "s3://" -> S3Store. Anything else (FILE:x, file://x,
// s3:/b, s3://bucket/prefix, a bare path) throws ConfigError.
std::unique_ptr<ObjectStore> open_store(const std::string& uri);

}  // namespace gdx::store
