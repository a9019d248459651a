#pragma once
// Server-side copy of one object. Up to the copy part size it is one CopyObject; above it, a
// multipart upload whose parts are UploadPartCopy ranges of the source, several in flight at
// once on their own connections. CopyObject cannot copy more than 5 GiB, and parallel parts
// copy a large object faster. A server without UploadPartCopy (501 NotImplemented, e.g.
// s3rver) gets a single CopyObject instead when the object allows it.
#include <cstdint>
#include <string>

#include "store/s3/s3_client.hpp"

namespace gdx::store::s3 {

struct CopyPlan {
    uint64_t part_size = 0;  // 0: a single CopyObject
    uint64_t parts = 0;
};

// Part size and count for an object of `size` bytes: parts of at least `part_size` (and of
// at least 5 MiB), at most 10,000 of them; a single CopyObject when one part would do.
CopyPlan plan_copy(uint64_t size, uint64_t part_size);

// `size` and `etag` are the source's (HeadObject): every part copy is conditional on that ETag
// (x-amz-copy-source-if-match), so an object replaced meanwhile fails the copy (412) instead of
// yielding a mix of two versions.
void copy_object(S3Client& client, const std::string& src_bucket, const std::string& src_key,
                 const std::string& dst_bucket, const std::string& dst_key, uint64_t size,
                 const std::string& etag);

}  // namespace gdx::store::s3
