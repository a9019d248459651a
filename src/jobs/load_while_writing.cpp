#include "jobs/load_while_writing.hpp"

#include <filesystem>
#include <memory>
#include <thread>

#include <spdlog/spdlog.h>

#include "store/byte_pipe.hpp"
#include "util/error.hpp"

namespace gdx::jobs {

namespace {

// The writer may run this far ahead of the load. On disk (the page cache, in practice) rather
// than in memory: the transform and the upload usually outpace the database, and letting them
// finish early takes the upload's completion (S3 assembling the parts) off the critical path.
constexpr size_t kSpoolBytes = 256u << 20;
constexpr size_t kMemoryPipeBytes = 4u << 20;

std::unique_ptr<store::BytePipe> make_pipe() {
    std::error_code ec;
    std::string dir = std::filesystem::temp_directory_path(ec).string();
    try {
        if (!ec) return std::make_unique<store::BytePipe>(kSpoolBytes, store::file_ring(dir));
    } catch (const BackendError& e) {
        spdlog::warn("{}; the load follows the batch through a 4 MiB buffer instead", e.what());
    }
    return std::make_unique<store::BytePipe>(kMemoryPipeBytes);
}

}  // namespace

uint64_t load_while_writing(store::ObjectStore& store, const std::string& bucket,
                            const std::string& batch_key, const BatchWriteFn& write,
                            const BatchLoadFn& load) {
    auto pipe_owner = make_pipe();
    store::BytePipe& pipe = *pipe_owner;
    std::exception_ptr write_error;
    std::thread writer([&] {
        try {
            auto object = store.put(bucket, batch_key);
            store::TeeWriter tee(*object, pipe);
            write(tee);
            tee.commit();
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
