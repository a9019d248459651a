#include "jobs/sfts_selection.hpp"

#include <set>

#include "util/python_regex.hpp"

namespace gdx::jobs {
namespace {

// Archive keys with a copy under <archive>/<state>/ (one listing instead of the original's HEAD
// per object; the answer is the same, and an error stops the run as a non-404 HEAD must).
std::set<std::string> marked(store::ObjectStore& store, const config::S3ToSftsConfig& cfg,
                             const std::string& state) {
    const std::string root = cfg.archive + "/" + state + "/";
    std::set<std::string> keys;
    const std::string archive_prefix =
        cfg.source + "/" + cfg.archive_client + "/" + cfg.archive_directory + "/";
    for (auto& o : store.list(cfg.bucket, root + archive_prefix))
        keys.insert(o.key.substr(root.size()));
    return keys;
}

}  // namespace

SftsSelection select_sfts_objects(store::ObjectStore& store, const config::S3ToSftsConfig& cfg,
                                  const std::vector<std::string>& journal_archive_keys) {
    const auto name_rule = util::PyRegex::compile("^" + cfg.object_prefix);
    const std::string prefix = cfg.source_prefix();
    const auto good = marked(store, cfg, "good");
    const auto bad = marked(store, cfg, "bad");

    SftsSelection sel;
    for (auto& o : store.list(cfg.bucket, prefix)) {
        std::string archive_key = cfg.archive_key(o.key);
        bool has_bad = bad.count(archive_key) > 0;
        if (good.count(archive_key) || (has_bad && !cfg.retry_bad)) {
            sel.already_transferred.push_back(o.key);
            continue;
        }
        std::string rest = o.key.substr(prefix.size());
        std::string file_name = rest.substr(rest.rfind('/') + 1);
        if (file_name.empty() || !name_rule.search(file_name)) continue;
        sel.selected.push_back(
            {std::move(o), std::move(archive_key), rest + cfg.extension, has_bad});
    }
    for (const auto& k : journal_archive_keys)
        if (good.count(k)) sel.done_journals.push_back(k);
    return sel;
}

}  // namespace gdx::jobs
