#include "store/byte_pipe.hpp"

#include "util/error.hpp"

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

TEST(BytePipe, AFileSpoolLetsTheProducerRunFarAheadWithoutMemory) {
    // 40 MB written before anyone reads: a memory ring that size would show in RSS; the spool
    // keeps it in an unlinked file. The consumer then reads every byte back in order.
    const std::string chunk = random_bytes(1 << 20, 3);
    BytePipe pipe(64u << 20, gdx::store::file_ring(::testing::TempDir()));
    for (int i = 0; i < 40; ++i) pipe.write(chunk);
    pipe.close();
    std::string buf(1 << 20, '\0');
    size_t total = 0;
    bool same = true;
    std::string got;
    while (size_t n = pipe.read(buf.data(), buf.size())) {
        got.append(buf, 0, n);
        while (got.size() >= chunk.size()) {
            same = same && got.compare(0, chunk.size(), chunk) == 0;
            got.erase(0, chunk.size());
        }
        total += n;
    }
    EXPECT_EQ(total, 40u << 20);
    EXPECT_TRUE(same && got.empty());
}

TEST(BytePipe, AFileSpoolWrapsAroundLikeTheMemoryRing) {
    const std::string data = random_bytes(5'000'003, 8);
    BytePipe pipe(65536, gdx::store::file_ring(::testing::TempDir()));
    std::thread producer([&] {
        for (size_t at = 0; at < data.size(); at += 9999)
            pipe.write(std::string_view(data).substr(at, 9999));
        pipe.close();
    });
    std::string got = drain(pipe, 7777);
    producer.join();
    EXPECT_TRUE(got == data);
}

TEST(BytePipe, ASpoolInAMissingDirectoryIsABackendErrorNamingIt) {
    try {
        gdx::store::file_ring("/nonexistent/gdx-spool-dir");
        FAIL();
    } catch (const gdx::BackendError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/gdx-spool-dir"), std::string::npos)
            << e.what();
    }
}
