// SigV4 signatures of S3Store checked by servers that verify them. Plain moto and s3rver
// 3.7.1 accept any signature, so two verifiers run on loopback:
//  - "strict": tests/fakes/fault_proxy.py --verify in front of moto. It recomputes every
//    signature with botocore's S3SigV4Auth from the decoded path and query, re-encoded the
//    way S3 does, and checks x-amz-content-sha256 against the body.
//  - "moto_iam": moto_server with IAM authentication (INITIAL_NO_AUTH_ACTION_COUNT) and a
//    key pair created through IAM. moto mis-canonicalises keys with + ' = % ( ) or non-ASCII
//    bytes (it rejects botocore itself for them), so it gets the keys it handles correctly.
#include <gtest/gtest.h>

#include "../../fakes/fault_proxy.hpp"
#include "s3_test_support.hpp"
#include "store/s3/s3_codec.hpp"
#include "util/error.hpp"

namespace gdx::testing {
namespace {

using store::S3Store;

constexpr const char* kStrictKey = "AKIDGDXSTRICT";
constexpr const char* kStrictSecret = "strict/Secret+With=Chars";

FaultProxy& strict_proxy() {
    static FaultProxy p(moto_server().url(),
                        {"--verify", std::string(kStrictKey) + ":" + kStrictSecret});
    return p;
}

// Keys with every character class S3 encodes differently from a naive client.
const std::vector<std::string> kAllKeys = {
    "plain/key.csv",          "client/dir with space/Service Navigator Training (1).csv",
    "plus+sign.csv",          "percent%25%.csv",
    "quote'it.csv",           "eq=a&b;c,d.csv",
    "unicodé/ñandú/日本.csv", "tilde~star*bang!@$:.csv",
    "dots..name/./x.csv",
};
// The subset moto's own verification canonicalises correctly: it also rejects botocore's
// signature of a ListObjectsV2 whose prefix holds '/' (%2F in the query), so no '/' here.
const std::vector<std::string> kMotoKeys = {
    "plain-key.csv",
    "dir with space Service Navigator Training.csv",
    "tilde~under_dash-.csv",
};

class S3Signature : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "strict") {
            endpoint_ = strict_proxy().url();
            key_id_ = kStrictKey;
            secret_ = kStrictSecret;
            keys_ = kAllKeys;
            prefix_ = "processed/good/";
            strict_proxy().reset();
        } else {
            auto& moto = verifying_moto_server();
            endpoint_ = moto.process->url();
            key_id_ = moto.access_key;
            secret_ = moto.secret_key;
            keys_ = kMotoKeys;
            prefix_ = "processed-good-";
        }
        // CreateBucket is signed too.
        static int n = 0;
        bucket_ =
            "gdx-sig-" + GetParam() + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
        for (auto& c : bucket_)
            if (c == '_') c = '-';
        store::s3::S3Client(config()).perform({"CreateBucket", "PUT", bucket_, "", "", {}, {}});
    }
    store::s3::S3Config config(size_t part_size = 5 * 1024 * 1024) {
        auto c = s3_test_config(endpoint_, part_size);
        c.credentials = store::s3::AwsCredentials{key_id_, secret_, "", std::nullopt, "test"};
        return c;
    }

    std::string endpoint_, key_id_, secret_, bucket_;
    std::vector<std::string> keys_;
    std::string prefix_;  // of copies and listings
};

TEST_P(S3Signature, EveryOperationIsAcceptedForAwkwardKeys) {
    S3Store s(config());
    for (const auto& key : keys_) {
        SCOPED_TRACE(key);
        std::string body = "body of " + key;
        ASSERT_NO_THROW(s.put_bytes(bucket_, key, body));
        auto info = s.head(bucket_, key);
        ASSERT_TRUE(info);
        EXPECT_EQ(info->size, body.size());
        EXPECT_EQ(s.get_bytes(bucket_, key), body);
        auto listed = s.list(bucket_, key);  // the key as a query parameter (prefix=)
        ASSERT_EQ(listed.size(), 1u);
        EXPECT_EQ(listed[0].key, key);
        s.copy(bucket_, key, bucket_, prefix_ + key);  // key in x-amz-copy-source
        EXPECT_EQ(s.get_bytes(bucket_, prefix_ + key), body);
        s.remove(bucket_, key);
        EXPECT_FALSE(s.head(bucket_, key));
    }
    EXPECT_EQ(s.list(bucket_, prefix_).size(), keys_.size());
}

TEST_P(S3Signature, PaginatedListingSignsContinuationTokens) {
    auto cfg = config();
    cfg.list_page_size = 2;
    S3Store s(cfg);
    for (size_t i = 0; i < keys_.size(); ++i) s.put_bytes(bucket_, prefix_ + keys_[i], "x");
    auto listed = s.list(bucket_, prefix_);
    ASSERT_EQ(listed.size(), keys_.size());
    std::vector<std::string> sorted = keys_;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(listed[i].key, prefix_ + sorted[i]);
}

TEST_P(S3Signature, MultipartUploadToAnAwkwardKey) {
    S3Store s(config(5 * 1024 * 1024));
    const std::string key = keys_[1] + ".parts";  // has a space (and more on "strict")
    std::string data = random_bytes(11 * 1024 * 1024 + 17, 21);  // 3 parts
    auto w = s.put(bucket_, key);
    for (size_t i = 0; i < data.size(); i += 1 << 20)
        w->write(std::string_view(data).substr(i, 1 << 20));
    w->commit();
    auto reader = s.get(bucket_, key);
    EXPECT_EQ(store::s3::sha256_hex(read_all(*reader, 65536)), store::s3::sha256_hex(data));
    auto info = s.head(bucket_, key);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->size, data.size());
    EXPECT_NE(info->etag.find('-'), std::string::npos) << "not a multipart ETag: " << info->etag;
}

TEST_P(S3Signature, WrongSecretIsAPermanent403WithoutTheSecret) {
    auto cfg = config();
    const std::string wrong = "Wrong/Secret+Value=123";
    cfg.credentials->secret_access_key = wrong;
    S3Store s(cfg);
    if (GetParam() == "strict") strict_proxy().reset();
    try {
        s.put_bytes(bucket_, keys_[0], "v");
        FAIL() << "a wrong secret was accepted";
    } catch (const BackendError& e) {
        std::string msg = e.what();
        EXPECT_FALSE(e.transient()) << msg;
        EXPECT_NE(msg.find("S3 PutObject s3://" + bucket_ + "/" + keys_[0] + " failed: HTTP 403"),
                  std::string::npos)
            << msg;
        EXPECT_NE(msg.find("SignatureDoesNotMatch"), std::string::npos) << msg;
        EXPECT_EQ(msg.find(wrong), std::string::npos) << msg;
        EXPECT_EQ(msg.find("gave up"), std::string::npos) << "a 403 was retried: " << msg;
    }
    if (GetParam() == "strict") {
        auto seen = strict_proxy().seen();
        EXPECT_EQ(seen.size(), 1u) << "a 403 was retried";
    }
    EXPECT_THROW(s.list(bucket_, ""), BackendError);
    EXPECT_THROW(s.head(bucket_, keys_[0]), BackendError);  // 403, not "absent"
}

TEST_P(S3Signature, UnknownAccessKeyIsRejected) {
    auto cfg = config();
    cfg.credentials->access_key_id = "AKIDNOSUCHKEY0000000";
    S3Store s(cfg);
    try {
        s.put_bytes(bucket_, "k", "v");
        FAIL() << "an unknown access key was accepted";
    } catch (const BackendError& e) {
        EXPECT_FALSE(e.transient());
        EXPECT_NE(std::string(e.what()).find("HTTP 403"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find(secret_), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(Verifiers, S3Signature, ::testing::Values("strict", "moto_iam"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace gdx::testing
