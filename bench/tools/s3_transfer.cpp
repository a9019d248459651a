// gdx's S3 client on one object, for bench/s3_large.sh: GET an object into a file, or PUT a file
// as an object, through store::S3Store configured from the environment exactly as gdx is
// (AWS_ENDPOINT_URL, credentials, GDX_S3_*). Prints "RESULT seconds=<s> bytes=<n>".
//
// usage: s3_transfer get BUCKET KEY FILE | s3_transfer put FILE BUCKET KEY
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "store/s3/s3_client.hpp"
#include "store/s3/s3_store.hpp"

int main(int argc, char** argv) {
    using namespace gdx;
    if (argc != 5) {
        std::fprintf(stderr, "usage: s3_transfer get BUCKET KEY FILE | put FILE BUCKET KEY\n");
        return 2;
    }
    try {
        const std::string cmd = argv[1];
        store::S3Store store(store::s3::S3Config::from_env());
        std::vector<char> buf(1 << 20);
        uint64_t bytes = 0;
        const auto t0 = std::chrono::steady_clock::now();
        if (cmd == "get") {
            const int fd = ::open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0) throw std::runtime_error(std::string("cannot create ") + argv[4]);
            auto reader = store.get(argv[2], argv[3]);
            while (size_t n = reader->read(buf.data(), buf.size())) {
                for (size_t done = 0; done < n;) {
                    const ssize_t w = ::write(fd, buf.data() + done, n - done);
                    if (w <= 0) throw std::runtime_error("write failed");
                    done += static_cast<size_t>(w);
                }
                bytes += n;
            }
            ::close(fd);
        } else if (cmd == "put") {
            const int fd = ::open(argv[2], O_RDONLY);
            if (fd < 0) throw std::runtime_error(std::string("cannot open ") + argv[2]);
            auto writer = store.put(argv[3], argv[4]);
            for (;;) {
                const ssize_t n = ::read(fd, buf.data(), buf.size());
                if (n < 0) throw std::runtime_error("read failed");
                if (n == 0) break;
                writer->write(std::string_view(buf.data(), static_cast<size_t>(n)));
                bytes += static_cast<uint64_t>(n);
            }
            writer->commit();
            ::close(fd);
        } else {
            throw std::runtime_error("unknown command " + cmd);
        }
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
        std::printf("RESULT seconds=%.3f bytes=%llu\n", took.count(),
                    static_cast<unsigned long long>(bytes));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "s3_transfer: %s\n", e.what());
        return 1;
    }
    return 0;
}
