// S3 timestamps and documents from servers gdx does not control (regressions found by
// fuzz/s3_xml.cpp: docs/reliability.md).
#include <gtest/gtest.h>

#include "store/s3/s3_time.hpp"
#include "store/s3/s3_xml.hpp"
#include "util/error.hpp"

namespace gdx::store::s3 {
namespace {

TEST(S3Time, ReadsIso8601WithFraction) {
    auto t = parse_iso8601("2024-01-05T07:50:33.123Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count(),
              1704441033123);
}

// Years system_clock cannot hold used to overflow (signed overflow, undefined behaviour).
TEST(S3Time, RefusesYearsOutsideTheClockRange) {
    EXPECT_FALSE(parse_iso8601("9652-01-05T10:11:12.000Z"));
    EXPECT_FALSE(parse_iso8601("-999-01-05T10:11:12Z"));
    EXPECT_FALSE(parse_iso8601("1600-01-05T10:11:12Z"));
    EXPECT_TRUE(parse_iso8601("2261-12-31T23:59:59Z"));
    EXPECT_FALSE(parse_http_date("Fri, 05 Jan 9652 07:50:33 GMT"));
}

TEST(S3Time, RefusesNegativeTimeFields) {
    EXPECT_FALSE(parse_iso8601("2024-01-05T-1:11:12Z"));
    EXPECT_FALSE(parse_iso8601("2024-01-05T10:-1:12Z"));
}

TEST(S3Xml, MultipartUploadsListingGivesKeysAndUploadIds) {
    const auto uploads = gdx::store::s3::parse_multipart_uploads(
        "<?xml version=\"1.0\"?><ListMultipartUploadsResult><Bucket>b</Bucket>"
        "<Upload><Key>k/a.csv</Key><UploadId>u1</UploadId></Upload>"
        "<Upload><Key>k/b &amp; c.csv</Key><UploadId>u2</UploadId></Upload>"
        "</ListMultipartUploadsResult>");
    ASSERT_EQ(uploads.size(), 2u);
    EXPECT_EQ(uploads[0], std::make_pair(std::string("k/a.csv"), std::string("u1")));
    EXPECT_EQ(uploads[1], std::make_pair(std::string("k/b & c.csv"), std::string("u2")));
    EXPECT_TRUE(gdx::store::s3::parse_multipart_uploads("<Error><Code>X</Code></Error>").empty());
    EXPECT_TRUE(gdx::store::s3::parse_multipart_uploads("not xml").empty());
}

TEST(S3Xml, ListPageWithAnOutOfRangeDateIsABackendError) {
    EXPECT_THROW(parse_list_page("<ListBucketResult><Contents><Key>k</Key><LastModified>"
                                 "9652-01-05T10:11:12.000Z</LastModified></Contents>"
                                 "</ListBucketResult>"),
                 BackendError);
}

}  // namespace
}  // namespace gdx::store::s3
