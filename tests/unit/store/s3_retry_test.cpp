// Retries: the generic backoff helper, and S3 requests through a fault-injecting proxy in
// front of moto (500s, SlowDown, dropped connections, truncated bodies, stalls). Permanent
// errors (403, 404) must not be retried.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../../fakes/fault_proxy.hpp"
#include "s3_test_support.hpp"
#include "store/s3/s3_codec.hpp"
#include "util/error.hpp"
#include "util/retry.hpp"

namespace gdx::testing {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, FullJitterStaysUnderTheDoublingCeilingAndTheCap) {
    util::RetryPolicy p;
    p.base = 100ms;
    p.cap = 1000ms;
    std::set<long long> seen;
    for (int retry = 0; retry < 8; ++retry) {
        long long ceiling = std::min<long long>(100LL << retry, 1000);
        for (int i = 0; i < 200; ++i) {
            auto d = util::backoff_delay(p, retry).count();
            ASSERT_GE(d, 0);
            ASSERT_LE(d, ceiling);
            seen.insert(d);
        }
    }
    EXPECT_GT(seen.size(), 100u);  // jittered, not a fixed schedule
}

TEST(WithRetry, RetriesOnlyTransientBackendErrors) {
    util::RetryPolicy p;
    p.base = 1ms;
    p.max_attempts = 4;
    int calls = 0;
    EXPECT_EQ(util::with_retry(p, "t",
                               [&] {
                                   if (++calls < 3) throw BackendError("flaky", true);
                                   return 42;
                               }),
              42);
    EXPECT_EQ(calls, 3);

    calls = 0;
    EXPECT_THROW(util::with_retry(p, "t",
                                  [&] {
                                      ++calls;
                                      throw BackendError("denied", false);
                                  }),
                 BackendError);
    EXPECT_EQ(calls, 1);

    calls = 0;
    EXPECT_THROW(util::with_retry(p, "t",
                                  [&] {
                                      ++calls;
                                      throw std::runtime_error("bug");
                                  }),
                 std::runtime_error);
    EXPECT_EQ(calls, 1);

    calls = 0;
    try {
        util::with_retry(p, "t", [&] {
            ++calls;
            throw BackendError("down", true);
        });
        FAIL();
    } catch (const BackendError& e) {
        EXPECT_TRUE(e.transient()) << "what it was does not change";
        EXPECT_TRUE(e.retries_exhausted());
        EXPECT_EQ(e.retry_attempts(), 4);
        EXPECT_FALSE(e.retryable()) << "given up: a caller further up must not retry it again";
        EXPECT_STREQ(e.what(), "down (gave up after 4 attempts)");
    }
    EXPECT_EQ(calls, 4);
}

// A retry loop around another one (a job's per-object retry around a store call) does not try a
// given-up error again: 4 calls, not 4 x 4. The error keeps its type for the caller.
TEST(WithRetry, AGivenUpErrorIsNotRetriedByAnOuterLoop) {
    util::RetryPolicy p;
    p.max_attempts = 4;
    p.base = std::chrono::milliseconds(0);
    int calls = 0;
    try {
        util::with_retry(p, "outer", [&] {
            return util::with_retry(p, "inner", [&]() -> int {
                ++calls;
                throw store::s3::S3HttpError("slow down", true, 503, "SlowDown");
            });
        });
        FAIL();
    } catch (const store::s3::S3HttpError& e) {
        EXPECT_TRUE(e.retries_exhausted());
        EXPECT_EQ(e.status, 503);
        EXPECT_STREQ(e.what(), "slow down (gave up after 4 attempts)");
    }
    EXPECT_EQ(calls, 4);
}

class S3RetryTest : public ::testing::Test {
protected:
    static FaultProxy& proxy() {
        static FaultProxy p(moto_server().url());
        return p;
    }
    void SetUp() override {
        proxy().reset();
        bucket_ = make_bucket(moto_server().url(), "retry");
        auto cfg = s3_test_config(proxy().url());
        cfg.retry.max_attempts = 4;
        cfg.stall_timeout_s = 1;
        store_ = std::make_unique<store::S3Store>(cfg);
        direct_ = std::make_unique<store::S3Store>(s3_test_config(moto_server().url()));
    }
    void faults(const std::string& rules_json) { proxy().faults(rules_json); }
    // Requests the proxy saw with this method: (path, injected fault or "").
    std::vector<std::pair<std::string, std::string>> seen(const std::string& method) {
        std::vector<std::pair<std::string, std::string>> out;
        for (auto& r : proxy().seen())
            if (r.method == method) out.emplace_back(r.path, r.fault);
        return out;
    }

    std::string bucket_;
    std::unique_ptr<store::S3Store> store_;   // through the proxy
    std::unique_ptr<store::S3Store> direct_;  // straight to moto, for checking
};

TEST_F(S3RetryTest, PutSurvivesServerErrorsAndDroppedConnections) {
    faults(R"([{"method": "PUT", "action": "status", "status": 500, "count": 1},
               {"method": "PUT", "action": "drop", "count": 1},
               {"method": "PUT", "action": "status", "status": 503, "code": "SlowDown", "count": 1}])");
    std::string data = random_bytes(200 * 1024, 5);
    store_->put_bytes(bucket_, "put/obj.bin", data);
    EXPECT_EQ(direct_->get_bytes(bucket_, "put/obj.bin"), data);
    auto puts = seen("PUT");
    ASSERT_EQ(puts.size(), 4u);
    EXPECT_EQ(puts[3].second, "");
}

TEST_F(S3RetryTest, MultipartUploadResendsAFailedPart) {
    auto cfg = s3_test_config(proxy().url(), 5 * 1024 * 1024);
    store::S3Store s(cfg);
    faults(
        R"([{"method": "POST", "path_contains": "uploads", "action": "status", "status": 500, "count": 1},
               {"method": "PUT", "path_contains": "partNumber=2", "action": "drop", "count": 1},
               {"method": "POST", "path_contains": "uploadId", "action": "status", "status": 503, "count": 1}])");
    std::string data = random_bytes(6 * 1024 * 1024, 9);
    s.put_bytes(bucket_, "multi/obj.bin", data);
    EXPECT_EQ(boto(moto_server().url(), "sha256 " + bucket_ + " multi/obj.bin"),
              store::s3::sha256_hex(data) + " " + std::to_string(data.size()) + "\n");
    EXPECT_EQ(seen("PUT").size(), 3u);   // part 1, part 2 dropped, part 2 again
    EXPECT_EQ(seen("POST").size(), 4u);  // create x2, complete x2
}

TEST_F(S3RetryTest, GetResumesAfterATruncatedBodyAndAStall) {
    std::string data = random_bytes(1024 * 1024, 13);
    direct_->put_bytes(bucket_, "get/obj.bin", data);
    faults(R"([{"method": "GET", "action": "status", "status": 500, "count": 1},
               {"method": "GET", "action": "truncate", "count": 1},
               {"method": "GET", "action": "delay", "seconds": 3, "count": 1}])");
    auto reader = store_->get(bucket_, "get/obj.bin");
    EXPECT_EQ(read_all(*reader, 4096), data);
    auto gets = seen("GET");
    ASSERT_EQ(gets.size(), 4u);
    EXPECT_EQ(gets[1].second, "truncate");
    EXPECT_EQ(gets[3].second, "");
}

// A Content-Length above the body's, then the connection closes: the resume asks for the bytes
// from the object's end and S3 answers 416; the object (same ETag) is complete.
TEST_F(S3RetryTest, GetEndsAtTheObjectsEndAfterAContentLengthAboveTheBody) {
    std::string data = random_bytes(100 * 1024, 17);
    direct_->put_bytes(bucket_, "get/long.bin", data);
    faults(R"([{"method": "GET", "action": "long_length", "count": 1}])");
    auto reader = store_->get(bucket_, "get/long.bin");
    EXPECT_EQ(read_all(*reader, 4096), data);
    auto gets = seen("GET");
    ASSERT_EQ(gets.size(), 2u);
    EXPECT_EQ(gets[0].second, "long_length");
}

TEST_F(S3RetryTest, ListAndHeadAndCopySurviveThrottling) {
    for (int i = 0; i < 3; ++i) direct_->put_bytes(bucket_, "l/" + std::to_string(i), "x");
    faults(R"([{"method": "GET", "action": "status", "status": 503, "code": "SlowDown", "count": 1},
               {"method": "GET", "action": "status", "status": 429, "count": 1},
               {"method": "HEAD", "action": "drop", "count": 1},
               {"method": "PUT", "action": "status", "status": 500, "count": 1}])");
    EXPECT_EQ(store_->list(bucket_, "l/").size(), 3u);
    EXPECT_TRUE(store_->head(bucket_, "l/1"));
    store_->copy(bucket_, "l/1", bucket_, "l/copy");
    EXPECT_EQ(direct_->get_bytes(bucket_, "l/copy"), "x");
    EXPECT_EQ(seen("GET").size(), 3u);
}

TEST_F(S3RetryTest, AFailedPartInFlightFailsTheUploadAndAbortsIt) {
    // Parts upload in the background: the failure of part 2 must still reach the writer, and
    // nothing may become visible or stay open on the server.
    auto cfg = s3_test_config(proxy().url(), 5 * 1024 * 1024);
    store::S3Store s(cfg);
    faults(R"([{"method": "PUT", "path_contains": "partNumber=2", "action": "status", "status": 403,
                "code": "AccessDenied", "count": 9}])");
    std::string data = random_bytes(16 * 1024 * 1024, 10);
    try {
        s.put_bytes(bucket_, "multi/failed.bin", data);
        FAIL() << "a failed part did not fail the upload";
    } catch (const BackendError& e) {
        EXPECT_NE(std::string(e.what()).find("UploadPart"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("403 AccessDenied"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(direct_->head(bucket_, "multi/failed.bin"));
    bool aborted = false;
    for (const auto& [path, fault] : seen("DELETE"))
        aborted |= path.find("uploadId=") != std::string::npos;
    EXPECT_TRUE(aborted) << "the multipart upload was not aborted";
    EXPECT_EQ(boto(moto_server().url(), "uploads " + bucket_), "0\n");
}

TEST_F(S3RetryTest, PartCopiesAreConditionalOnTheSourceETag) {
    // S3 answers 412 to a part copy whose x-amz-copy-source-if-match no longer matches (the
    // source was replaced after the HEAD). moto ignores the header, so the proxy plays S3: it
    // fails exactly the requests that carry the source's ETag in that header. Without the
    // header the copy would succeed and this test fail.
    auto cfg = s3_test_config(proxy().url());
    cfg.copy_part_size = 5 * 1024 * 1024;
    store::S3Store s(cfg);
    direct_->put_bytes(bucket_, "in/v.csv", random_bytes(2 * cfg.copy_part_size + 1, 23));
    const std::string etag = direct_->head(bucket_, "in/v.csv")->etag;
    faults(
        R"([{"method": "PUT", "path_contains": "partNumber=", "header": "x-amz-copy-source-if-match",
                "header_value": "\")" +
        etag + R"(\"", "action": "status", "status": 412,
                "code": "PreconditionFailed", "count": 99}])");
    try {
        s.copy(bucket_, "in/v.csv", bucket_, "processed/good/in/v.csv");
        FAIL() << "the conditional part copies were not sent";
    } catch (const store::s3::S3HttpError& e) {
        EXPECT_EQ(e.status, 412) << e.what();
        EXPECT_FALSE(e.transient()) << "a replaced source is not worth retrying";
    }
    EXPECT_FALSE(direct_->head(bucket_, "processed/good/in/v.csv"));
    EXPECT_EQ(boto(moto_server().url(), "uploads " + bucket_), "0\n") << "not aborted";
}

TEST_F(S3RetryTest, PermanentErrorsAreNotRetried) {
    direct_->put_bytes(bucket_, "p/obj", "x");
    faults(
        R"([{"method": "GET", "action": "status", "status": 403, "code": "AccessDenied", "count": 9}])");
    try {
        store_->get(bucket_, "p/obj");
        FAIL() << "403 did not throw";
    } catch (const BackendError& e) {
        EXPECT_FALSE(e.transient());
        EXPECT_EQ(std::string(e.what()),
                  "S3 GetObject s3://" + bucket_ +
                      "/p/obj failed: HTTP 403 AccessDenied: injected by fault_proxy");
    }
    EXPECT_EQ(seen("GET").size(), 1u);

    faults(
        R"([{"method": "PUT", "action": "status", "status": 404, "code": "NoSuchBucket", "count": 9}])");
    EXPECT_THROW(store_->put_bytes(bucket_, "p/new", "y"), BackendError);
    EXPECT_EQ(seen("PUT").size(), 1u);
    EXPECT_FALSE(store_->head(bucket_, "p/absent"));
    EXPECT_EQ(seen("HEAD").size(), 1u);
}

TEST_F(S3RetryTest, PersistentServerErrorGivesUpAfterMaxAttempts) {
    faults(R"([{"method": "DELETE", "action": "status", "status": 500, "count": 99}])");
    try {
        store_->remove(bucket_, "k");
        FAIL();
    } catch (const BackendError& e) {
        EXPECT_TRUE(e.retries_exhausted());
        EXPECT_EQ(e.retry_attempts(), 4);
        EXPECT_NE(std::string(e.what()).find("HTTP 500 InternalError"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("gave up after 4 attempts"), std::string::npos);
    }
    EXPECT_EQ(seen("DELETE").size(), 4u);
}

}  // namespace
}  // namespace gdx::testing

namespace gdx::testing {
namespace {

// Which HTTP answers are worth retrying: the server's word, not a guess from the status class.
TEST(S3HttpErrorClass, FiveHundredsRetryExceptNotImplemented) {
    store::s3::S3Request req{"UploadPartCopy", "PUT", "bkt", "k", "", {}, {}};
    auto classify = [&](long status, std::string_view body) {
        try {
            store::s3::throw_http_error(req, status, body);
        } catch (const store::s3::S3HttpError& e) {
            return std::make_tuple(e.transient(), e.status, e.code);
        }
        return std::make_tuple(false, 0L, std::string("not thrown"));
    };
    const char* not_impl =
        "<Error><Code>NotImplemented</Code><Message>A header you provided implies "
        "functionality that is not implemented</Message></Error>";
    EXPECT_EQ(classify(501, not_impl), std::make_tuple(false, 501L, std::string("NotImplemented")));
    EXPECT_EQ(std::get<0>(classify(500, "")), true);
    EXPECT_EQ(std::get<0>(classify(503, "<Error><Code>SlowDown</Code></Error>")), true);
    EXPECT_EQ(std::get<0>(classify(403, "<Error><Code>AccessDenied</Code></Error>")), false);
}

}  // namespace
}  // namespace gdx::testing
