#include "jobs/load_while_writing.hpp"

#include <thread>

#include "store/byte_pipe.hpp"
#include "util/error.hpp"

namespace gdx::jobs {

uint64_t load_while_writing(store::ObjectStore& store, const std::string& bucket,
                            const std::string& batch_key, const BatchWriteFn& write,
                            const BatchLoadFn& load) {
    store::BytePipe pipe;
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
    if (write_error)  // the load returned without reading the whole batch
        throw BackendError("the load of " + batch_key + " ended before the batch was complete");
    return rows;
}

}  // namespace gdx::jobs
