#pragma once
// Shared setup of the S3 unit tests: configs pointing at loopback servers, buckets.
#include <atomic>
#include <chrono>
#include <random>
#include <string>

#include "../../fakes/s3_servers.hpp"
#include "store/s3/s3_client.hpp"
#include "store/s3/s3_store.hpp"

namespace gdx::testing {

inline store::s3::S3Config s3_test_config(const std::string& endpoint,
                                          size_t part_size = 5 * 1024 * 1024) {
    store::s3::S3Config c;
    c.endpoint = endpoint;
    c.region = "us-east-1";
    c.part_size = part_size;
    c.stall_timeout_s = 2;
    c.retry.base = std::chrono::milliseconds(1);
    c.retry.cap = std::chrono::milliseconds(20);
    c.credentials = store::s3::AwsCredentials{kS3AccessKey, kS3SecretKey, "", std::nullopt, "test"};
    return c;
}

// A fresh bucket (valid S3 name) created through the API.
inline std::string make_bucket(const std::string& endpoint, const std::string& tag) {
    static std::atomic<int> counter{0};
    std::string name =
        "gdx-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    store::s3::S3Client client(s3_test_config(endpoint));
    client.perform({"CreateBucket", "PUT", name, "", "", {}, {}});
    return name;
}

inline std::string random_bytes(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
    return s;
}

inline std::string read_all(store::ObjectReader& r, size_t chunk) {
    std::string out, buf(chunk, '\0');
    while (size_t n = r.read(buf.data(), buf.size())) out.append(buf.data(), n);
    return out;
}

}  // namespace gdx::testing
