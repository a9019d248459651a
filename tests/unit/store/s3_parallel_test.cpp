// The S3 client's parallel paths: a large object read with ranged GETs on several connections
// (reassembled in order, memory bounded by the ranges in the window, a short or failed range
// fetched again), and multipart uploads with several parts in flight, against moto and s3rver,
// and through the fault proxy.
#include <gtest/gtest.h>

#include "../../fakes/fault_proxy.hpp"
#include "s3_test_support.hpp"
#include "store/s3/s3_codec.hpp"
#include "store/s3/s3_range_reader.hpp"
#include "util/error.hpp"

namespace gdx::testing {
namespace {

constexpr size_t kRange = 64 * 1024;

store::s3::S3Config parallel_config(const std::string& endpoint) {
    auto c = s3_test_config(endpoint);
    c.get_range_size = kRange;
    c.get_concurrency = 4;
    c.upload_concurrency = 3;
    return c;
}

std::string range_header(size_t index, size_t size) {
    const size_t first = index * kRange;
    return "bytes=" + std::to_string(first) + "-" +
           std::to_string(std::min(first + kRange, size) - 1);
}

class S3ParallelTest : public ::testing::TestWithParam<std::string> {
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
        bucket_ = make_bucket(endpoint_, "par" + GetParam());
    }
    std::string endpoint_;
    std::string bucket_;
};

TEST_P(S3ParallelTest, LargeObjectIsReadInRangesInOrderWithBoundedMemory) {
    store::S3Store s(parallel_config(endpoint_));
    const std::string data = random_bytes(50 * kRange + 1234, 21);  // a short last range
    s.put_bytes(bucket_, "big/obj.bin", data);

    auto reader = s.get(bucket_, "big/obj.bin");
    auto* ranged = dynamic_cast<store::s3::S3RangeReader*>(reader.get());
    ASSERT_NE(ranged, nullptr) << "an object of 51 ranges is read in ranges";
    EXPECT_EQ(read_all(*reader, 10000), data);
    EXPECT_EQ(reader->read(nullptr, 0), 0u);
    EXPECT_LE(ranged->peak_buffered(), 4 * kRange);
    EXPECT_GT(ranged->peak_buffered(), kRange);  // the ranges did overlap

    // Two ranges or less: one plain streamed GET.
    s.put_bytes(bucket_, "small/obj.bin", data.substr(0, 2 * kRange));
    auto plain = s.get(bucket_, "small/obj.bin");
    EXPECT_EQ(dynamic_cast<store::s3::S3RangeReader*>(plain.get()), nullptr);
    EXPECT_EQ(read_all(*plain, 10000), data.substr(0, 2 * kRange));
}

TEST(S3RangeWindow, BigObjectsGetEveryRangeSmallerOnesAtMostFour) {
    using store::s3::kWideObjectBytes;
    using store::s3::range_window;
    store::s3::S3Config c;
    EXPECT_EQ(c.get_concurrency, 8);
    EXPECT_EQ(range_window(c, kWideObjectBytes), 8u);
    EXPECT_EQ(range_window(c, 10ull << 30), 8u);
    EXPECT_EQ(range_window(c, kWideObjectBytes - 1), 4u) << "a job on it stays under 64 MiB";
    EXPECT_EQ(range_window(c, 1'000'000'000), 4u) << "a 1 GB object";
    c.get_concurrency = 2;  // fewer never becomes more
    EXPECT_EQ(range_window(c, kWideObjectBytes), 2u);
    EXPECT_EQ(range_window(c, 104'000'000), 2u);
    c.get_concurrency = 0;
    EXPECT_EQ(range_window(c, kWideObjectBytes), 1u);
}

TEST_P(S3ParallelTest, ManyPartsInFlightCompleteInPartOrder) {
    auto cfg = parallel_config(endpoint_);
    cfg.part_size = 5 * 1024 * 1024;
    store::S3Store s(cfg);
    const std::string data = random_bytes(4 * cfg.part_size + 4321, 23);
    auto w = s.put(bucket_, "up/obj.bin");
    for (size_t i = 0; i < data.size(); i += 100000)
        w->write(std::string_view(data).substr(i, 100000));
    w->commit();
    EXPECT_EQ(boto(endpoint_, "sha256 " + bucket_ + " up/obj.bin"),
              store::s3::sha256_hex(data) + " " + std::to_string(data.size()) + "\n");
}

INSTANTIATE_TEST_SUITE_P(Servers, S3ParallelTest, ::testing::Values("moto", "s3rver"),
                         [](const auto& info) { return info.param; });

class S3ParallelFaultTest : public ::testing::Test {
protected:
    static FaultProxy& proxy() {
        static FaultProxy p(moto_server().url());
        return p;
    }
    void SetUp() override {
        proxy().reset();
        bucket_ = make_bucket(moto_server().url(), "parfault");
        direct_ = std::make_unique<store::S3Store>(s3_test_config(moto_server().url()));
    }
    std::unique_ptr<store::S3Store> through_proxy() {
        auto cfg = parallel_config(proxy().url());
        cfg.retry.max_attempts = 4;
        cfg.stall_timeout_s = 1;
        return std::make_unique<store::S3Store>(cfg);
    }
    std::vector<FaultProxy::Seen> seen(const std::string& method) {
        std::vector<FaultProxy::Seen> out;
        for (auto& r : proxy().seen())
            if (r.method == method) out.push_back(r);
        return out;
    }
    std::string bucket_;
    std::unique_ptr<store::S3Store> direct_;
};

TEST_F(S3ParallelFaultTest, ATruncatedFailedOrDroppedRangeIsFetchedAgain) {
    const std::string data = random_bytes(20 * kRange, 31);
    direct_->put_bytes(bucket_, "r/obj.bin", data);
    proxy().faults(R"([{"method": "GET", "header": "Range", "header_value": ")" +
                   range_header(3, data.size()) + R"(", "action": "truncate", "count": 1},
        {"method": "GET", "header": "Range", "header_value": ")" +
                   range_header(7, data.size()) + R"(", "action": "status", "status": 503,
         "code": "SlowDown", "count": 1},
        {"method": "GET", "header": "Range", "header_value": ")" +
                   range_header(12, data.size()) + R"(", "action": "drop", "count": 1},
        {"method": "GET", "header": "Range", "header_value": ")" +
                   range_header(19, data.size()) + R"(", "action": "delay", "seconds": 2,
         "count": 1}])");
    auto store = through_proxy();
    auto reader = store->get(bucket_, "r/obj.bin");
    ASSERT_NE(dynamic_cast<store::s3::S3RangeReader*>(reader.get()), nullptr);
    EXPECT_EQ(read_all(*reader, 3000), data);
    std::map<std::string, int> faults;
    for (const auto& r : seen("GET")) faults[r.fault]++;
    EXPECT_EQ(faults["truncate"], 1);
    EXPECT_EQ(faults["status"], 1);
    EXPECT_EQ(faults["drop"], 1);
    EXPECT_EQ(faults["delay"], 1);
    // The first plain GET, 20 ranges, and one more for each fault.
    EXPECT_EQ(faults[""], 1 + 20);
}

TEST_F(S3ParallelFaultTest, APermanentRangeFailureFailsTheReadNamingTheRange) {
    const std::string data = random_bytes(20 * kRange, 37);
    direct_->put_bytes(bucket_, "r/denied.bin", data);
    proxy().faults(R"([{"method": "GET", "header": "Range", "header_value": ")" +
                   range_header(5, data.size()) +
                   R"(", "action": "status", "status": 403, "code": "AccessDenied"}])");
    auto store = through_proxy();
    auto reader = store->get(bucket_, "r/denied.bin");
    try {
        read_all(*reader, 100000);
        FAIL() << "the read went through";
    } catch (const BackendError& e) {
        EXPECT_FALSE(e.transient());
        EXPECT_NE(std::string(e.what()).find("range 6 of 20"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("403 AccessDenied"), std::string::npos) << e.what();
    }
}

TEST_F(S3ParallelFaultTest, PartsInFlightSurviveFaultsAndASlowFirstPart) {
    auto store = through_proxy();
    // Part 1 is slow, so later parts finish first; part 3 fails once, part 4 is dropped once.
    proxy().faults(R"([{"method": "PUT", "path_contains": "partNumber=1&", "action": "delay",
                        "seconds": 0.5, "count": 1},
                       {"method": "PUT", "path_contains": "partNumber=3&", "action": "status",
                        "status": 500, "count": 1},
                       {"method": "PUT", "path_contains": "partNumber=4&", "action": "drop",
                        "count": 1}])");
    const size_t part = 5 * 1024 * 1024;
    const std::string data = random_bytes(4 * part + 99, 41);
    store->put_bytes(bucket_, "w/obj.bin", data);
    EXPECT_EQ(direct_->get_bytes(bucket_, "w/obj.bin"), data);
    EXPECT_EQ(seen("PUT").size(), 5u + 2u);
}

}  // namespace
}  // namespace gdx::testing
