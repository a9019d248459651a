#pragma once
// The requests around a multipart upload, shared by streamed uploads (S3Writer) and large
// server-side copies (s3_copy): create it, complete it from its parts' ETags, abort it. The
// parts themselves (UploadPart, UploadPartCopy) are each caller's own.
#include <string>
#include <vector>

#include "store/s3/s3_client.hpp"

namespace gdx::store::s3 {

// CreateMultipartUpload with extra request headers (e.g. server-side encryption, which the
// parts inherit); returns the upload id.
std::string create_multipart(S3Client& client, const std::string& bucket, const std::string& key,
                             const std::vector<std::string>& headers = {});

// "partNumber=N&uploadId=…" for part N (1-based) of the upload.
std::string part_query(size_t part_number, const std::string& upload_id);

// CompleteMultipartUpload with parts 1..N (a 200 carrying an <Error> fails too).
void complete_multipart(S3Client& client, const std::string& bucket, const std::string& key,
                        const std::string& upload_id, const std::vector<std::string>& part_etags);

// AbortMultipartUpload; a failure is only logged (the bucket's lifecycle rules reclaim
// abandoned parts, and nothing was made visible).
void abort_multipart(S3Client& client, const std::string& bucket, const std::string& key,
                     const std::string& upload_id) noexcept;

// Aborts the unfinished multipart uploads of exactly `key` (the first page of
// ListMultipartUploads): what a writer killed mid-upload left. Called before a new multipart
// upload of the key, so that a crash leaves nothing once the key is written again. A failure is
// only logged (as for abort_multipart).
void abort_unfinished_uploads(S3Client& client, const std::string& bucket,
                              const std::string& key) noexcept;

// The config of `client` with the credentials it uses now pinned, for a client on another
// thread (a curl handle is never shared between threads).
S3Config config_for_worker(S3Client& client);

}  // namespace gdx::store::s3
