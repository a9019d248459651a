#pragma once
// The S3 XML documents gdx reads and writes (pugixml).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/object_store.hpp"

namespace gdx::store::s3 {

struct S3ErrorBody {
    std::string code;     // e.g. "AccessDenied", "NoSuchKey", "SlowDown"
    std::string message;  // S3's human text
};

// An <Error> document (also sent inside a 200 by CopyObject/CompleteMultipartUpload).
std::optional<S3ErrorBody> parse_error(std::string_view body);

struct ListPage {
    std::vector<ObjectInfo> objects;
    bool truncated = false;
    std::string next_token;  // NextContinuationToken
};

// One ListObjectsV2 page. Throws BackendError when the document is not a ListBucketResult.
ListPage parse_list_page(std::string_view body);

// The UploadId of an InitiateMultipartUploadResult; throws BackendError when absent.
std::string parse_upload_id(std::string_view body);

// The (Key, UploadId) of each <Upload> of a ListMultipartUploadsResult; empty for any other
// document.
std::vector<std::pair<std::string, std::string>> parse_multipart_uploads(std::string_view body);

// The ETag of a CopyPartResult (UploadPartCopy); empty when the document has none.
std::string parse_copy_part_etag(std::string_view body);

// The CompleteMultipartUpload request body for parts 1..N with these ETags.
std::string complete_multipart_xml(const std::vector<std::string>& part_etags);

// ETags arrive quoted ("abc"); ObjectInfo carries them without the quotes.
std::string strip_quotes(std::string_view etag);

}  // namespace gdx::store::s3
