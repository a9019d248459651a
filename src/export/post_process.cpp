#include "export/post_process.hpp"

#include <set>

#include <spdlog/spdlog.h>

#include "export/object_names.hpp"
#include "util/crash_point.hpp"
#include "util/error.hpp"

namespace gdx::exports {
namespace {

std::set<std::string> keys_under(store::ObjectStore& store, const std::string& bucket,
                                 const std::string& prefix) {
    std::set<std::string> keys;
    for (auto& o : store.list(bucket, prefix + "/")) keys.insert(std::move(o.key));
    return keys;
}

}  // namespace

std::vector<std::string> pending_batch_objects(store::ObjectStore& store,
                                               const config::RedshiftToS3Config& config) {
    // One listing per marker prefix instead of two HEADs per batch object: the same answer.
    const std::set<std::string> good = keys_under(store, config.bucket, config.good_prefix());
    const std::set<std::string> bad = keys_under(store, config.bucket, config.bad_prefix());
    std::vector<std::string> pending;
    for (const auto& o : store.list(config.bucket, config.batch_prefix() + "/")) {
        const ExportKeys keys = export_keys(config, o.key);
        if (good.count(keys.good) || bad.count(keys.bad)) {
            spdlog::info("{} was processed as {} already", o.key,
                         good.count(keys.good) ? "good" : "bad");
            continue;
        }
        const std::string name = o.key.substr(o.key.rfind('/') + 1);
        if (name.rfind(config.object_prefix, 0) != 0) continue;
        pending.push_back(o.key);
    }
    return pending;
}

void store_batch_objects(store::ObjectStore& store, const config::RedshiftToS3Config& config,
                         const std::vector<std::string>& pending, ExportReport& report) {
    report.to_store = pending.size();
    for (const auto& batch : pending) {
        const ExportKeys keys = export_keys(config, batch);
        try {
            store.copy(config.bucket, batch, config.bucket, keys.client);
        } catch (const BackendError& e) {
            spdlog::error("copy of {}/{} to {}/{} failed: {}", config.bucket, batch, config.bucket,
                          keys.client, e.what());
            report.not_stored.push_back(batch);
            store.copy(config.bucket, batch, config.bucket, keys.bad);
            report.bad.push_back(keys.bad);
            continue;
        }
        report.stored.push_back(keys.client);
        util::crash_point("after_client_copy");  // the next run marks it (no second copy)
        store.copy(config.bucket, batch, config.bucket, keys.good);
        util::crash_point("after_good_marker");
        report.good.push_back(keys.good);
        spdlog::info("{} stored as {} and marked good", batch, keys.client);
    }
}

}  // namespace gdx::exports
