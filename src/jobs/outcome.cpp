#include "jobs/outcome.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <chrono>
#include <nlohmann/json.hpp>

#include "util/redact.hpp"

namespace gdx::jobs {

Failure Failure::simple(std::string stage, std::string error) {
    Failure f;
    f.stage = std::move(stage);
    f.error = std::move(error);
    return f;
}

Failure Failure::from(const DataError& e, std::string stage) {
    const auto& i = e.info();
    Failure f;
    f.stage = std::move(stage);
    f.error = i.what;
    f.line = i.line;
    f.column = i.column;
    f.column_name = i.column_name;
    f.value = i.value;
    return f;
}

Failure Failure::from_data_path(const DataError& e) {
    return from(e, e.info().what.rfind("cannot decode", 0) == 0 ? "decode" : "transform");
}

Failure Failure::from(const warehouse::LoadError& e, std::string stage) {
    Failure f;
    f.stage = std::move(stage);
    f.error = "the warehouse rejected the load";
    f.server_message = e.what();
    f.batch_line = e.batch_line;
    f.column_name = e.column;
    f.value = e.value;
    return f;
}

std::optional<Rejection> rejection_of(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const warehouse::LoadError& e) {
        return Rejection{Failure::from(e, "load")};
    } catch (const DataError& e) {
        return Rejection{Failure::from_data_path(e)};
    } catch (const ObjectRejected& e) {
        return Rejection{e.failure, e.empty};
    } catch (...) {
        return std::nullopt;
    }
}

std::string Failure::summary() const {
    std::string s = error;
    if (!server_message.empty()) s += ": " + server_message;
    if (line) s += fmt::format(" (line {}", line);
    if (line && column) s += fmt::format(", column {}", column);
    if (line && !column_name.empty()) s += fmt::format(" '{}'", column_name);
    if (line) s += ")";
    if (!line && batch_line)
        s += fmt::format(" (batch line {}{})", batch_line,
                         column_name.empty() ? "" : ", column '" + column_name + "'");
    if (!value.empty()) s += fmt::format(": value '{}'", value);
    return util::redact(s);
}

void move_to_bad(store::ObjectStore& store, const ObjectRef& object, const Failure& f) {
    nlohmann::ordered_json j;
    j["bucket"] = object.bucket;
    j["key"] = object.key;
    j["job"] = object.job;
    j["config"] = object.config;
    j["stage"] = f.stage;
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
    store.copy(object.bucket, object.key, object.bucket, object.keys.bad);
}

void copy_to_good(store::ObjectStore& store, const ObjectRef& object) {
    store.copy(object.bucket, object.key, object.bucket, object.keys.good);
}

}  // namespace gdx::jobs
