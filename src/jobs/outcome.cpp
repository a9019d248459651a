#include "jobs/outcome.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <chrono>
#include <nlohmann/json.hpp>

#include "util/crash_point.hpp"
#include "util/redact.hpp"

namespace gdx::jobs {

Failure Failure::simple(FailureStage stage, std::string error) {
    Failure f;
    f.stage = stage;
    f.error = std::move(error);
    return f;
}

Failure Failure::from(const DataError& e) {
    const auto& i = e.info();
    return {.stage = e.stage(),
            .error = i.what,
            .line = i.line,
            .column = i.column,
            .column_name = i.column_name,
            .value = i.value,
            .server_message = {},
            .batch_line = 0};
}

Failure Failure::from(const warehouse::LoadError& e) {
    return {.stage = e.stage,
            .error = "the warehouse rejected the load",
            .line = e.source_line,
            .column = 0,
            .column_name = e.column,
            .value = e.value,
            .server_message = e.what(),
            .batch_line = e.batch_line};
}

std::optional<Rejection> rejection_of(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const warehouse::LoadError& e) {
        return Rejection{Failure::from(e)};
    } catch (const DataError& e) {
        return Rejection{Failure::from(e)};
    } catch (const ObjectRejected& e) {
        return Rejection{e.failure, e.empty};
    } catch (...) {
        return std::nullopt;
    }
}

std::string Failure::summary() const {
    return util::redact(format_error({.what = error,
                                      .server_message = server_message,
                                      .line = line,
                                      .column = column,
                                      .column_name = column_name,
                                      .value = value,
                                      .batch_line = batch_line}));
}

void move_to_bad(store::ObjectStore& store, const ObjectRef& object,
                 const store::ObjectInfo& listed, const Failure& f) {
    nlohmann::ordered_json j;
    j["bucket"] = object.bucket;
    j["key"] = object.key;
    j["job"] = object.job;
    j["config"] = object.config;
    j["stage"] = stage_name(f.stage);
    j["error"] = util::redact(f.error);
    if (f.line) j["line"] = f.line;
    if (f.column) j["column"] = f.column;
    if (!f.column_name.empty()) j["column_name"] = f.column_name;
    if (f.line || f.column || !f.value.empty()) j["value"] = util::redact(f.value);
    if (!f.server_message.empty()) j["server_message"] = util::redact(f.server_message);
    if (f.batch_line) {
        j["batch_key"] = object.keys.batch;
        j["batch_line"] = f.batch_line;
    }
    j["time"] =
        date::format("%FT%TZ", date::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    // Invalid UTF-8 in a value must not make the sidecar unwritable.
    store.put_bytes(object.bucket, object.keys.sidecar,
                    j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    util::crash_point("after_sidecar");  // the sidecar is written, the copy to bad is not
    store.copy_listed(object.bucket, listed, object.bucket, object.keys.bad);
}

void copy_to_good(store::ObjectStore& store, const ObjectRef& object,
                  const store::ObjectInfo& listed) {
    store.copy_listed(object.bucket, listed, object.bucket, object.keys.good);
}

}  // namespace gdx::jobs
