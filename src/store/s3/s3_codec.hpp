#pragma once
// Encodings S3 requests need: SigV4 URI encoding and the hex SHA-256 payload hash.
#include <string>
#include <string_view>

namespace gdx::store::s3 {

// SigV4 URI encoding: A-Z a-z 0-9 - . _ ~ stay, every other byte becomes %XX (upper-case
// hex); '/' stays when keep_slash (object key paths), else becomes %2F (query values).
std::string uri_encode(std::string_view bytes, bool keep_slash);

// Lower-case hex SHA-256 of bytes (the x-amz-content-sha256 header value).
std::string sha256_hex(std::string_view bytes);

}  // namespace gdx::store::s3
