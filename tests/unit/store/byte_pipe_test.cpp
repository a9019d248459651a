#include "store/byte_pipe.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>

using gdx::store::BytePipe;
using gdx::store::PipeCancelled;

namespace {
std::string random_bytes(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    return s;
}

std::string drain(BytePipe& pipe, size_t chunk) {
    std::string out;
    std::string buf(chunk, '\0');
    while (size_t n = pipe.read(buf.data(), buf.size())) out.append(buf, 0, n);
    return out;
}
}  // namespace

TEST(BytePipe, CarriesEveryByteInOrderThroughASmallRing) {
    // 3 MB through a 4 KiB ring in odd-sized writes and reads: wrap-around on both sides.
    const std::string data = random_bytes(3'000'017, 7);
    BytePipe pipe(4096);
    std::thread producer([&] {
        std::string_view rest = data;
        for (size_t step = 1; !rest.empty(); step = step * 7 % 10007 + 1) {
            size_t n = std::min(step, rest.size());
            pipe.write(rest.substr(0, n));
            rest.remove_prefix(n);
        }
        pipe.close();
    });
    std::string got = drain(pipe, 1531);
    producer.join();
    EXPECT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data);
    char c;
    EXPECT_EQ(pipe.read(&c, 1), 0u) << "end of stream stays the end";
}

TEST(BytePipe, AFailureReachesTheReaderInsteadOfTheRest) {
    BytePipe pipe(1 << 16);
    pipe.write("some bytes that will never be read");
    pipe.fail(std::make_exception_ptr(std::runtime_error("line 7: bad value")));
    char buf[8];
    try {
        pipe.read(buf, sizeof buf);
        FAIL() << "read() must rethrow the producer's error";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "line 7: bad value");
    }
}

TEST(BytePipe, CancelUnblocksAWriterWaitingOnAFullPipe) {
    BytePipe pipe(16);
    bool threw = false;
    std::thread producer([&] {
        try {
            pipe.write(std::string(1000, 'x'));  // blocks after 16 bytes: nobody reads
        } catch (const PipeCancelled&) {
            threw = true;
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    pipe.cancel();
    producer.join();
    EXPECT_TRUE(threw);
    EXPECT_THROW(pipe.write("more"), PipeCancelled);
}

TEST(BytePipe, ReaderAdaptorReadsTheSameStream) {
    BytePipe pipe(64);
    std::thread producer([&] {
        for (int i = 0; i < 100; ++i) pipe.write("0123456789");
        pipe.close();
    });
    std::string out;
    char buf[13];
    while (size_t n = pipe.reader().read(buf, sizeof buf)) out.append(buf, n);
    producer.join();
    EXPECT_EQ(out.size(), 1000u);
    EXPECT_EQ(out.substr(990), "0123456789");
}
