#include "jobs/load_while_writing.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include <spdlog/spdlog.h>

#include "store/byte_pipe.hpp"
#include "util/crash_point.hpp"
#include "util/env.hpp"
#include "util/error.hpp"

namespace gdx::jobs {

namespace {

// The writer may run up to GDX_SPOOL_MB (default 256) ahead of the load, in an unlinked file:
// the transform and the upload usually outpace the database, and letting them finish early
// takes the upload's completion (S3 assembling the parts) off the critical path. The file lives
// in $TMPDIR, else /var/tmp (on disk by convention; /tmp is often RAM). GDX_SPOOL_MB=0, or a
// directory that cannot hold it, falls back to a 4 MiB buffer in memory.
constexpr size_t kDefaultSpoolMiB = 256;
constexpr size_t kMemoryPipeBytes = 4u << 20;

std::string spool_dir() {
    if (std::string tmpdir = util::env_string("TMPDIR"); !tmpdir.empty()) return tmpdir;
    std::error_code ec;
    return std::filesystem::is_directory("/var/tmp", ec) ? "/var/tmp" : "/tmp";
}

// A small object's batch fits in a small buffer: no spool file to create and delete (on a
// directory of thousands of objects a file per object costs more than the object).
constexpr uint64_t kSmallSourceBytes = 1u << 20;

std::unique_ptr<store::BytePipe> make_pipe(size_t spool_bytes, uint64_t source_bytes) {
    if (source_bytes <= kSmallSourceBytes)  // the batch rarely exceeds 4x its source
        return std::make_unique<store::BytePipe>(
            std::min<size_t>(kMemoryPipeBytes, std::max<size_t>(64u << 10, 4 * source_bytes)));
    if (spool_bytes > 0) {
        try {
            return std::make_unique<store::BytePipe>(spool_bytes, store::file_ring(spool_dir()));
        } catch (const BackendError& e) {
            spdlog::warn("{}; the load follows the batch through a 4 MiB buffer instead", e.what());
        }
    }
    return std::make_unique<store::BytePipe>(kMemoryPipeBytes);
}

}  // namespace

size_t spool_bytes_from_env() {
    const long mib = util::env_integer("GDX_SPOOL_MB", kDefaultSpoolMiB, 0, 1 << 20);
    return static_cast<size_t>(mib) << 20;
}

uint64_t load_while_writing(store::ObjectStore& store, const std::string& bucket,
                            const std::string& batch_key, const BatchWriteFn& write,
                            const BatchLoadFn& load, size_t spool_bytes, uint64_t source_bytes) {
    auto pipe_owner = make_pipe(spool_bytes, source_bytes);
    store::BytePipe& pipe = *pipe_owner;
    std::exception_ptr write_error;
    std::thread writer([&] {
        try {
            const auto start = std::chrono::steady_clock::now();
            auto object = store.put(bucket, batch_key);
            store::TeeWriter tee(*object, pipe);
            write(tee);
            tee.commit();
            util::crash_point("after_batch");
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
            spdlog::info("wrote {} in {:.2f} s", batch_key, took.count());
        } catch (...) {
            write_error = std::current_exception();
            pipe.fail(write_error);
        }
    });

    uint64_t rows = 0;
    std::exception_ptr load_error;
    try {
        rows = load({&store, bucket, batch_key, &pipe.reader()});
    } catch (...) {
        load_error = std::current_exception();
    }
    pipe.cancel();  // a writer still blocked on a full pipe gives up
    writer.join();

    if (write_error) {
        bool cancelled_by_load = false;
        try {
            std::rethrow_exception(write_error);
        } catch (const store::PipeCancelled&) {
            cancelled_by_load = true;
        } catch (...) {
        }
        if (!cancelled_by_load) std::rethrow_exception(write_error);
    }
    if (load_error) std::rethrow_exception(load_error);
    if (write_error || !pipe.fully_read())  // a load that returned before the end of the batch
        throw BackendError("the load of " + batch_key + " ended before the batch was complete");
    return rows;
}

}  // namespace gdx::jobs
