// Times gdx's data path on one local file: object bytes -> decode -> CSV reader -> column
// pipeline -> batch writer, on one thread, into a writer that discards the batch (or into a
// file with --out, to check the output). Used by bench/run.sh; see bench/README.md.
//
// usage: transform_throughput CONFIG INPUT [--ddl FILE] [--repeat N] [--out FILE]
//   CONFIG  an s3-to-redshift config (its column edits are compiled once)
//   INPUT   the object, as a local file (keep it in the page cache: the figure is CPU cost)
//   --ddl   CREATE TABLE for the config's dbtable: it is created in a temporary SQLite
//           warehouse and its declared types become the pipeline's target, as in a real run
//           (without it every column is loaded as text)
//   --repeat N  time N passes (default 3) and report the best
// Last line: "RESULT mb_per_s=<x> seconds=<s> rows=<n> cpu_seconds=<c>" (MB = 10^6 bytes).
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "config/s3_to_redshift_config.hpp"
#include "jobs/load_spec.hpp"
#include "jobs/transform_object.hpp"
#include "store/object_store.hpp"
#include "util/error.hpp"
#include "warehouse/warehouse.hpp"

namespace {

using namespace gdx;

// Reads a local file with plain read(2) calls: what a file: store costs, without a bucket tree.
class FileReader : public store::ObjectReader {
public:
    explicit FileReader(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY)) {
        if (fd_ < 0) throw BackendError(path + ": " + std::strerror(errno));
    }
    ~FileReader() override { ::close(fd_); }
    size_t read(char* dst, size_t capacity) override {
        for (;;) {
            ssize_t n = ::read(fd_, dst, capacity);
            if (n >= 0) return static_cast<size_t>(n);
            if (errno != EINTR) throw BackendError(std::string("read: ") + std::strerror(errno));
        }
    }

private:
    int fd_;
};

// Counts the batch bytes and drops them, so the figure is the transform, not a disk.
class DiscardWriter : public store::ObjectWriter {
public:
    void write(std::string_view bytes) override { written += bytes.size(); }
    void commit() override {}
    uint64_t written = 0;
};

class FileWriter : public store::ObjectWriter {
public:
    explicit FileWriter(const std::string& path) : out_(path, std::ios::binary) {
        if (!out_) throw BackendError(path + ": cannot open for writing");
    }
    void write(std::string_view bytes) override { out_.write(bytes.data(), bytes.size()); }
    void commit() override { out_.flush(); }

private:
    std::ofstream out_;
};

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Creates the table from DDL in a throw-away SQLite file and reads back its declared types.
std::optional<types::TableSchema> schema_from_ddl(const std::string& ddl_path,
                                                  const std::string& table) {
    std::ifstream in(ddl_path);
    if (!in) throw ConfigError(ddl_path + ": cannot open");
    std::stringstream sql;
    sql << in.rdbuf();
    auto db = std::filesystem::temp_directory_path() /
              ("transform_throughput." + std::to_string(::getpid()) + ".db");
    std::optional<types::TableSchema> schema;
    {
        auto wh = warehouse::open_warehouse("sqlite:" + db.string());
        wh->run_script(sql.str(), {});
        schema = wh->describe_table(table);
    }
    std::error_code ignored;
    std::filesystem::remove(db, ignored);
    if (!schema) throw ConfigError(ddl_path + " does not create " + table);
    return schema;
}

int usage() {
    std::fputs("usage: transform_throughput CONFIG INPUT [--ddl FILE] [--repeat N] [--out FILE]\n",
               stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) return usage();
    std::string config_path = argv[1], input = argv[2], ddl, out_path;
    int repeat = 3;
    for (int i = 3; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) return usage();
        if (a == "--ddl")
            ddl = argv[++i];
        else if (a == "--repeat")
            repeat = std::max(1, std::atoi(argv[++i]));
        else if (a == "--out")
            out_path = argv[++i];
        else
            return usage();
    }
    try {
        auto cfg = config::load_s3_to_redshift_config(config_path);
        std::optional<types::TableSchema> target;
        if (!ddl.empty()) target = schema_from_ddl(ddl, cfg.dbtable);

        // Built exactly as the s3-to-redshift job builds it.
        const jobs::TransformSpec spec = jobs::transform_spec(cfg, target ? &*target : nullptr);

        double best = 0, best_cpu = 0;
        jobs::TransformStats stats;
        for (int pass = 0; pass < repeat; ++pass) {
            FileReader reader(input);
            std::unique_ptr<store::ObjectWriter> writer;
            if (!out_path.empty())
                writer = std::make_unique<FileWriter>(out_path);
            else
                writer = std::make_unique<DiscardWriter>();
            double cpu0 = cpu_seconds();
            auto t0 = std::chrono::steady_clock::now();
            stats = jobs::transform_object(spec, reader, *writer);
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            double cpu = cpu_seconds() - cpu0;
            writer->commit();
            std::printf("pass %d: %.1f MB, %llu rows in %.3f s (cpu %.3f s) = %.1f MB/s\n",
                        pass + 1, stats.bytes_in / 1e6, static_cast<unsigned long long>(stats.rows),
                        s, cpu, stats.bytes_in / 1e6 / s);
            if (pass == 0 || s < best) best = s, best_cpu = cpu;
        }
        std::printf("RESULT mb_per_s=%.2f seconds=%.3f rows=%llu cpu_seconds=%.3f\n",
                    stats.bytes_in / 1e6 / best, best, static_cast<unsigned long long>(stats.rows),
                    best_cpu);
        return 0;
    } catch (const DataError& e) {
        const auto& i = e.info();
        std::fprintf(stderr,
                     "transform_throughput: bad data at line %llu column %u (%s) value '%s': %s\n",
                     static_cast<unsigned long long>(i.line), i.column, i.column_name.c_str(),
                     i.value.c_str(), e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "transform_throughput: %s\n", e.what());
        return 1;
    }
}
