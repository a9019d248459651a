// Times the Redshift part writer on one thread: a batch file (read in 1 MiB chunks from the page
// cache, as csv::BatchWriter hands its buffer over) -> cut at row ends -> zstd -> parts in a store
// that only counts the bytes. Prints the throughput of input and the parts produced. Used by
// bench/redshift_parts.sh; see bench/README.md.
//
// usage: redshift_parts_throughput BATCH [--slices N] [--repeat N] [--level L]
// Last line: "RESULT mb_per_s=<x> seconds=<s> cpu_seconds=<c> parts=<n> min_mb=<a> max_mb=<b>"
// (MB = 10^6 bytes; part sizes as stored, i.e. compressed).
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "store/object_store.hpp"
#include "warehouse/redshift/batch_parts.hpp"

namespace {

using namespace gdx;

class CountingWriter : public store::ObjectWriter {
public:
    void write(std::string_view bytes) override { bytes_ += bytes.size(); }
    void commit() override {}

private:
    uint64_t bytes_ = 0;
};

// A store whose objects vanish: the figure is the writer's CPU cost, not a disk's or network's.
class DiscardStore : public store::ObjectStore {
public:
    std::vector<store::ObjectInfo> list(const std::string&, const std::string&) override {
        return {};
    }
    std::optional<store::ObjectInfo> head(const std::string&, const std::string&) override {
        return std::nullopt;
    }
    std::unique_ptr<store::ObjectReader> get(const std::string&, const std::string&) override {
        throw std::logic_error("DiscardStore holds nothing");
    }
    std::unique_ptr<store::ObjectWriter> put(const std::string&, const std::string&,
                                             const store::PutOptions&) override {
        return std::make_unique<CountingWriter>();
    }
    void copy(const std::string&, const std::string&, const std::string&,
              const std::string&) override {}
    void remove(const std::string&, const std::string&) override {}
    void require_bucket(const std::string&) override {}
    std::string describe() const override { return "discard"; }
};

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(
            stderr,
            "usage: redshift_parts_throughput BATCH [--slices N] [--repeat N] [--level L]\n");
        return 2;
    }
    const std::string path = argv[1];
    uint64_t slices = 4;
    int repeat = 3;
    int level = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string opt = argv[i];
        if (opt == "--slices")
            slices = std::stoull(argv[i + 1]);
        else if (opt == "--repeat")
            repeat = std::stoi(argv[i + 1]);
        else if (opt == "--level")
            level = std::stoi(argv[i + 1]);
    }
    try {
        const int fd = ::open(path.c_str(), O_RDONLY);
        if (fd < 0) throw std::runtime_error("cannot open " + path);
        const off_t size = ::lseek(fd, 0, SEEK_END);
        const auto plan = warehouse::redshift::plan_parts(static_cast<uint64_t>(size), slices);
        std::printf("batch %s: %.1f MB; %llu slices -> plan %llu parts of %.1f MB input\n",
                    path.c_str(), static_cast<double>(size) / 1e6,
                    static_cast<unsigned long long>(slices),
                    static_cast<unsigned long long>(plan.parts),
                    static_cast<double>(plan.part_bytes) / 1e6);
        std::vector<char> buf(1 << 20);
        double best = 1e30, best_cpu = 0;
        warehouse::redshift::BatchLayout layout;
        for (int r = 0; r < repeat; ++r) {
            DiscardStore store;
            ::lseek(fd, 0, SEEK_SET);
            const double cpu0 = cpu_seconds();
            const auto t0 = std::chrono::steady_clock::now();
            warehouse::redshift::PartedBatchWriter writer(store, "bench", "batch/bench.csv", plan,
                                                          level);
            for (;;) {
                const ssize_t n = ::read(fd, buf.data(), buf.size());
                if (n < 0) throw std::runtime_error("read failed");
                if (n == 0) break;
                writer.write(std::string_view(buf.data(), static_cast<size_t>(n)));
            }
            writer.commit();
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
            const double cpu = cpu_seconds() - cpu0;
            std::printf("pass %d: %.3f s wall, %.3f s CPU\n", r + 1, took.count(), cpu);
            if (took.count() < best) {
                best = took.count();
                best_cpu = cpu;
                layout = writer.layout();
            }
        }
        ::close(fd);
        uint64_t in = 0, out = 0, lo = UINT64_MAX, hi = 0;
        std::printf("%-24s %12s %12s %8s %10s\n", "part", "input MB", "stored MB", "ratio", "rows");
        for (const auto& p : layout.parts) {
            std::printf(
                "%-24s %12.2f %12.2f %8.2f %10llu\n", p.key.substr(p.key.rfind('/') + 1).c_str(),
                static_cast<double>(p.bytes_in) / 1e6, static_cast<double>(p.bytes_out) / 1e6,
                static_cast<double>(p.bytes_in) / static_cast<double>(p.bytes_out),
                static_cast<unsigned long long>(p.rows));
            in += p.bytes_in;
            out += p.bytes_out;
            lo = std::min(lo, p.bytes_out);
            hi = std::max(hi, p.bytes_out);
        }
        const double mbps = static_cast<double>(size) / 1e6 / best;
        std::printf(
            "%zu parts, %.1f MB in, %.1f MB stored (%.2fx); %.0f MB/s wall, %.0f MB/s per "
            "CPU second\n",
            layout.parts.size(), static_cast<double>(in) / 1e6, static_cast<double>(out) / 1e6,
            static_cast<double>(in) / static_cast<double>(out), mbps,
            static_cast<double>(size) / 1e6 / best_cpu);
        std::printf(
            "RESULT mb_per_s=%.1f seconds=%.3f cpu_seconds=%.3f parts=%zu min_mb=%.2f "
            "max_mb=%.2f\n",
            mbps, best, best_cpu, layout.parts.size(), static_cast<double>(lo) / 1e6,
            static_cast<double>(hi) / 1e6);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "redshift_parts_throughput: %s\n", e.what());
        return 1;
    }
    return 0;
}
