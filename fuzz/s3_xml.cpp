// The S3 response documents gdx reads (error bodies, ListObjectsV2 pages, multipart answers and
// upload listings) and the timestamps inside them. A document S3 did not send must end in
// nullopt, an empty value or a BackendError, never anything else.
#include <cstdint>
#include <string>

#include "store/s3/s3_time.hpp"
#include "store/s3/s3_xml.hpp"
#include "util/error.hpp"

using namespace gdx;
using namespace gdx::store::s3;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    parse_error(body);
    try {
        parse_list_page(body);
    } catch (const BackendError&) {
    }
    try {
        parse_upload_id(body);
    } catch (const BackendError&) {
    }
    parse_copy_part_etag(body);
    parse_multipart_uploads(body);
    strip_quotes(body);
    parse_iso8601(body);
    parse_http_date(body);
    return 0;
}
