// S3Store against two independent S3-compatible servers on loopback (moto_server and the
// signature-checking s3rver); boto3 is the independent client that checks what landed.
#include <gtest/gtest.h>

#include "s3_test_support.hpp"
#include "store/s3/s3_codec.hpp"
#include "store/s3/s3_copy.hpp"
#include "store/s3/s3_multipart.hpp"
#include "util/error.hpp"

namespace gdx::testing {
namespace {

using store::S3Store;

class S3StoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "moto") {
            endpoint_ = moto_server().url();
        } else {
            std::string why;
            ServerProcess* s = s3rver_server(&why);
            if (!s) GTEST_SKIP() << "!!! s3rver tests SKIPPED: " << why << " !!!";
            endpoint_ = s->url();
        }
        bucket_ = make_bucket(endpoint_, GetParam());
    }
    S3Store store(size_t part_size = 5 * 1024 * 1024) {
        return S3Store(s3_test_config(endpoint_, part_size));
    }
    void put(S3Store& s, const std::string& key, const std::string& bytes, size_t chunk) {
        auto w = s.put(bucket_, key);
        for (size_t i = 0; i < bytes.size(); i += chunk) {
            w->write(std::string_view(bytes).substr(i, chunk));
        }
        w->commit();
    }
    std::string boto_sha(const std::string& key) {
        return boto(endpoint_, "sha256 " + bucket_ + " '" + key + "'");
    }

    std::string endpoint_;
    std::string bucket_;
};

TEST_P(S3StoreTest, BinaryRoundTripIsStreamedAndMatchesBoto3) {
    S3Store s = store();
    std::string data;
    for (int i = 0; i < 1000; ++i)
        for (int b = 0; b < 256; ++b) data.push_back(static_cast<char>(b));
    data += random_bytes(1024 * 1024, 7);  // well past the reader's pause threshold
    put(s, "bin/data.bin", data, 7777);

    auto reader = s.get(bucket_, "bin/data.bin");
    EXPECT_EQ(read_all(*reader, 1000), data);
    EXPECT_EQ(reader->read(nullptr, 0), 0u);
    EXPECT_EQ(boto_sha("bin/data.bin"),
              store::s3::sha256_hex(data) + " " + std::to_string(data.size()) + "\n");

    auto info = s.head(bucket_, "bin/data.bin");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->size, data.size());
    EXPECT_FALSE(info->etag.empty());
    EXPECT_NE(info->etag.front(), '"');
    auto age = std::chrono::system_clock::now() - info->last_modified;
    EXPECT_LT(std::chrono::abs(age), std::chrono::minutes(10));

    put(s, "empty", "", 1);
    EXPECT_EQ(s.get_bytes(bucket_, "empty"), "");
    EXPECT_EQ(s.head(bucket_, "empty")->size, 0u);
}

TEST_P(S3StoreTest, LargeObjectGoesUpInPartsAndSmallOneInOnePut) {
    const size_t part = 5 * 1024 * 1024;  // the S3 minimum part size
    S3Store s = store(part);
    std::string big = random_bytes(2 * part + 12345, 11);
    put(s, "multi/big.bin", big, 64 * 1024 + 3);
    EXPECT_EQ(boto_sha("multi/big.bin"),
              store::s3::sha256_hex(big) + " " + std::to_string(big.size()) + "\n");
    auto info = s.head(bucket_, "multi/big.bin");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->size, big.size());
    if (GetParam() == "moto") {  // s3rver does not give multipart uploads "-N" ETags
        EXPECT_TRUE(info->etag.ends_with("-3")) << info->etag;
    }

    std::string exact = random_bytes(part, 12);  // exactly one part: still a single PutObject
    put(s, "multi/exact.bin", exact, part);
    EXPECT_EQ(s.head(bucket_, "multi/exact.bin")->etag.find('-'), std::string::npos);
    EXPECT_EQ(s.get_bytes(bucket_, "multi/exact.bin"), exact);
}

TEST_P(S3StoreTest, EncryptedPutsCarryTheSseHeaderInOnePutAndInParts) {
    if (GetParam() != "moto")
        GTEST_SKIP() << "checked on moto, which keeps and reports server-side encryption";
    const size_t part = 5 * 1024 * 1024;
    S3Store s = store(part);
    store::PutOptions sse;
    sse.sse_s3 = true;
    auto write = [&](const std::string& key, const std::string& bytes,
                     const store::PutOptions& options) {
        auto w = s.put(bucket_, key, options);
        w->write(bytes);
        w->commit();
    };
    write("sse/small", "abc", sse);
    write("sse/big", random_bytes(part + 100, 5), sse);  // CreateMultipartUpload + 2 parts
    write("sse/plain", "abc", {});
    EXPECT_EQ(boto(endpoint_, "sse " + bucket_ + " sse/small"), "AES256\n");
    EXPECT_EQ(boto(endpoint_, "sse " + bucket_ + " sse/big"), "AES256\n");
    EXPECT_TRUE(s.head(bucket_, "sse/big")->etag.ends_with("-2"));
    EXPECT_EQ(boto(endpoint_, "sse " + bucket_ + " sse/plain"), "none\n");
}

TEST_P(S3StoreTest, UncommittedWriterLeavesNothing) {
    S3Store s = store(5 * 1024 * 1024);
    {
        auto w = s.put(bucket_, "abandoned.bin");
        w->write(random_bytes(11 * 1024 * 1024, 3));  // two parts uploaded already
    }
    {
        auto w = s.put(bucket_, "abandoned-small.bin");
        w->write("never committed");
    }
    EXPECT_FALSE(s.head(bucket_, "abandoned.bin"));
    EXPECT_FALSE(s.head(bucket_, "abandoned-small.bin"));
    if (GetParam() == "moto") {
        EXPECT_EQ(boto(endpoint_, "uploads " + bucket_), "0\n");
    }
}

// A writer killed mid-upload (SIGKILL: no abort) leaves an unfinished multipart upload; the next
// multipart upload of the same key aborts it. Another key's upload is not touched.
TEST_P(S3StoreTest, NextMultipartUploadOfAKeyAbortsTheOneAKilledWriterLeft) {
    if (GetParam() != "moto") GTEST_SKIP() << "checked on moto, which lists multipart uploads";
    store::s3::S3Client client(s3_test_config(endpoint_));
    store::s3::create_multipart(client, bucket_, "killed/big.bin");
    store::s3::create_multipart(client, bucket_, "killed/big.bin.other");
    EXPECT_EQ(boto(endpoint_, "uploads " + bucket_), "2\n");
    S3Store s = store(5 * 1024 * 1024);
    const std::string big = random_bytes(5 * 1024 * 1024 + 10, 8);
    put(s, "killed/big.bin", big, 1 << 20);
    EXPECT_EQ(s.get_bytes(bucket_, "killed/big.bin"), big);
    EXPECT_EQ(boto(endpoint_, "uploads " + bucket_), "1\n");  // the other key's is kept
}

TEST_P(S3StoreTest, ListReadsAllPagesInKeyOrder) {
    // moto: more keys than S3's 1000 per page. s3rver writes three files per object, so
    // there the pages are made small instead (max-keys) to keep the suite fast.
    const size_t n = GetParam() == "moto" ? 1005 : 25;
    boto(endpoint_, "put-many " + bucket_ + " many/k " + std::to_string(n));
    boto(endpoint_, "put " + bucket_ + " other/x 1");
    boto(endpoint_, "put " + bucket_ + " manyx 1");
    auto cfg = s3_test_config(endpoint_);
    if (GetParam() != "moto") cfg.list_page_size = 10;
    S3Store s(cfg);
    auto all = s.list(bucket_, "many/");
    ASSERT_EQ(all.size(), n);
    for (size_t i = 0; i < all.size(); ++i) {
        char expected[32];
        std::snprintf(expected, sizeof(expected), "many/k%05zu", i);
        ASSERT_EQ(all[i].key, expected);
        EXPECT_EQ(all[i].size, all[i].key.size());  // body = key
        EXPECT_FALSE(all[i].etag.empty());
        EXPECT_NE(all[i].etag.front(), '"');
    }
    auto age = std::chrono::system_clock::now() - all[0].last_modified;
    EXPECT_LT(std::chrono::abs(age), std::chrono::minutes(10));
    EXPECT_EQ(s.list(bucket_, "").size(), n + 2);
    EXPECT_TRUE(s.list(bucket_, "nothing/").empty());
}

TEST_P(S3StoreTest, SpecialCharacterKeysWorkForEveryOperation) {
    S3Store s = store();
    const std::vector<std::string> keys = {
        "client/dir with space/Service Navigator Training (1).csv",
        "plus+sign.csv",
        "percent%25%.csv",
        "unicodé/ñandú/日本.csv",
        "quote'it.csv",
        "eq=a&b;c,d.csv",
        "tilde~star*bang!.csv",
        "dots..name.csv",
    };
    for (const auto& key : keys) s.put_bytes(bucket_, key, "body of " + key);
    for (const auto& key : keys) {
        SCOPED_TRACE(key);
        auto info = s.head(bucket_, key);
        ASSERT_TRUE(info);
        EXPECT_EQ(info->size, ("body of " + key).size());
        EXPECT_EQ(s.get_bytes(bucket_, key), "body of " + key);
        // s3rver decodes x-amz-copy-source with JavaScript's decodeURI, which leaves %2B,
        // %26, %3D, %3B, %2C undecoded (an s3rver bug; S3 and moto decode them). There the
        // copy is made from a plain key holding the same bytes instead.
        bool s3rver_copy_bug =
            GetParam() == "s3rver" && key.find_first_of("+&=;,") != std::string::npos;
        if (s3rver_copy_bug) {
            s.put_bytes(bucket_, "processed/good/" + key, "body of " + key);
        } else {
            s.copy(bucket_, key, bucket_, "processed/good/" + key);
        }
        EXPECT_EQ(s.get_bytes(bucket_, "processed/good/" + key), "body of " + key);
        s.remove(bucket_, key);
        EXPECT_FALSE(s.head(bucket_, key));
    }
    auto copied = s.list(bucket_, "processed/good/");
    ASSERT_EQ(copied.size(), keys.size());
    std::vector<std::string> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i)
        EXPECT_EQ(copied[i].key, "processed/good/" + sorted[i]);
    auto prefixed = s.list(bucket_, "processed/good/client/dir with space/");
    ASSERT_EQ(prefixed.size(), 1u);
    // boto3 sees the same key names we wrote.
    EXPECT_EQ(boto_sha("processed/good/plus+sign.csv"),
              store::s3::sha256_hex("body of plus+sign.csv") + " 21\n");
}

TEST_P(S3StoreTest, CopyAcrossBucketsAndRemoveMissingIsFine) {
    S3Store s = store();
    std::string other = make_bucket(endpoint_, GetParam() + "-dst");
    s.put_bytes(bucket_, "a/b.csv", "x,y\n1,2\n");
    s.copy(bucket_, "a/b.csv", other, "c/d.csv");
    EXPECT_EQ(s.get_bytes(other, "c/d.csv"), "x,y\n1,2\n");
    EXPECT_TRUE(s.head(bucket_, "a/b.csv"));  // copy leaves the source
    s.remove(bucket_, "a/b.csv");
    EXPECT_NO_THROW(s.remove(bucket_, "a/b.csv"));  // S3 DeleteObject is idempotent
}

TEST_P(S3StoreTest, LargeCopyRunsAsParallelPartCopiesOrFallsBackToOneCopy) {
    auto config = s3_test_config(endpoint_);
    config.copy_part_size = 5 * 1024 * 1024;  // the S3 minimum part size
    config.copy_concurrency = 3;
    S3Store s(config);
    std::string big = random_bytes(2 * config.copy_part_size + 4321, 21);
    put(s, "in/big.csv", big, 1 << 20);
    s.copy(bucket_, "in/big.csv", bucket_, "processed/good/in/big.csv");

    EXPECT_EQ(boto_sha("processed/good/in/big.csv"),
              store::s3::sha256_hex(big) + " " + std::to_string(big.size()) + "\n");
    auto info = s.head(bucket_, "processed/good/in/big.csv");
    ASSERT_TRUE(info);
    if (GetParam() == "moto") {
        EXPECT_TRUE(info->etag.ends_with("-3")) << "three UploadPartCopy parts: " << info->etag;
        EXPECT_EQ(boto(endpoint_, "uploads " + bucket_), "0\n") << "no multipart upload left open";
    }  // s3rver has no UploadPartCopy (501): the copy falls back to one CopyObject

    std::string small = random_bytes(config.copy_part_size, 22);  // one part: one CopyObject
    put(s, "in/small.csv", small, 1 << 20);
    s.copy(bucket_, "in/small.csv", bucket_, "processed/good/in/small.csv");
    EXPECT_EQ(s.head(bucket_, "processed/good/in/small.csv")->etag.find('-'), std::string::npos);
    EXPECT_EQ(s.get_bytes(bucket_, "processed/good/in/small.csv"), small);
}

TEST(S3CopyPlan, PartsAreAtLeastFiveMiBAndAtMostTenThousand) {
    using store::s3::plan_copy;
    const uint64_t mib = 1 << 20;
    EXPECT_EQ(plan_copy(200'000'000, 256 * mib).parts, 0u) << "fits one CopyObject";
    EXPECT_EQ(plan_copy(64 * mib, 64 * mib).parts, 0u);
    EXPECT_EQ(plan_copy(200'000'000, 64 * mib).parts, 3u);
    EXPECT_EQ(plan_copy(200'000'000, 64 * mib).part_size, 64 * mib);
    EXPECT_EQ(plan_copy(12 * mib, 1).part_size, 5 * mib) << "S3's minimum part";
    auto huge = plan_copy(5'000'000 * mib, 64 * mib);  // ~4.8 TiB: parts must grow
    EXPECT_LE(huge.parts, 10000u);
    EXPECT_GE(huge.part_size * huge.parts, 5'000'000 * mib);
}

TEST_P(S3StoreTest, MissingObjectIsAPermanentErrorNamingTheObject) {
    S3Store s = store();
    EXPECT_FALSE(s.head(bucket_, "no/such key"));
    try {
        s.get(bucket_, "no/such key");
        FAIL() << "get of a missing object did not throw";
    } catch (const BackendError& e) {
        std::string msg = e.what();
        EXPECT_FALSE(e.transient());
        EXPECT_NE(msg.find("S3 GetObject s3://" + bucket_ + "/no/such key failed: HTTP 404"),
                  std::string::npos)
            << msg;
        EXPECT_NE(msg.find("NoSuchKey"), std::string::npos) << msg;
    }
    EXPECT_THROW(s.copy(bucket_, "no/such key", bucket_, "x"), BackendError);
    // A missing bucket is a mistaken setting (exit 2), named in the message.
    EXPECT_THROW(s.list("gdx-no-such-bucket-here", ""), ConfigError);
    EXPECT_THROW(s.require_bucket("gdx-no-such-bucket-here"), ConfigError);
    EXPECT_NO_THROW(s.require_bucket(bucket_));
}

TEST_P(S3StoreTest, UnknownAccessKeyIsRejectedWithoutLeakingTheSecret) {
    if (GetParam() != "s3rver") GTEST_SKIP() << "moto accepts any access key";
    auto cfg = s3_test_config(endpoint_);
    cfg.credentials->access_key_id = "NOSUCHKEY";
    cfg.credentials->secret_access_key = "TopSecretValue123";
    S3Store s(cfg);
    try {
        s.put_bytes(bucket_, "k", "v");
        FAIL() << "a wrong secret was accepted";
    } catch (const BackendError& e) {
        std::string msg = e.what();
        EXPECT_FALSE(e.transient());
        EXPECT_NE(msg.find("S3 PutObject s3://" + bucket_ + "/k failed: HTTP 403"),
                  std::string::npos)
            << msg;
        EXPECT_NE(msg.find("InvalidAccessKeyId"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("TopSecretValue123"), std::string::npos) << msg;
    }
}

INSTANTIATE_TEST_SUITE_P(Servers, S3StoreTest, ::testing::Values("moto", "s3rver"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace gdx::testing
