#include "jobs/selection.hpp"

#include <algorithm>
#include <set>

#include "util/python_regex.hpp"

namespace gdx::jobs {
namespace {

// Keys with a copy under <destination>/<state>/, relative to it (one listing, not a HEAD per
// object as the original did).
std::set<std::string> processed_keys(store::ObjectStore& store, const SelectionRules& r,
                                     const std::string& state) {
    std::string root = r.destination + "/" + state + "/";
    std::set<std::string> keys;
    for (auto& o : store.list(r.bucket, root + r.prefix)) keys.insert(o.key.substr(root.size()));
    return keys;
}

bool older(const store::ObjectInfo& a, const store::ObjectInfo& b) {
    if (a.last_modified != b.last_modified) return a.last_modified < b.last_modified;
    return a.key < b.key;
}

}  // namespace

ObjectKeys object_keys(const std::string& destination, const std::string& key) {
    return {destination + "/batch/" + key, destination + "/good/" + key,
            destination + "/bad/" + key, destination + "/bad/" + key + ".error.json"};
}

Selection select_objects(store::ObjectStore& store, warehouse::Warehouse& warehouse,
                         const SelectionRules& rules) {
    const auto doc = util::PyRegex::compile(rules.doc + "$");
    std::vector<store::ObjectInfo> matching;
    for (auto& o : store.list(rules.bucket, rules.prefix)) {
        if (!doc.search(o.key)) continue;
        if (o.key.find("/archive") != std::string::npos) continue;  // the original rule
        matching.push_back(std::move(o));
    }
    std::sort(matching.begin(), matching.end(), older);

    Selection sel;
    sel.rules = rules;
    for (auto& o : matching) sel.matching.push_back(o.key);
    const auto good = processed_keys(store, rules, "good");
    const auto bad = processed_keys(store, rules, "bad");
    auto processed = [&](const std::string& key) { return good.count(key) || bad.count(key); };

    auto skip_processed = [&](const std::string& key) {
        sel.already_processed.push_back(key);
        if (!good.count(key)) sel.in_bad.insert(key);
    };
    // One query for the prefix, not one per object.
    const auto in_ledger = warehouse.ledger_keys(rules.bucket, rules.prefix);
    auto consider = [&](store::ObjectInfo& o) {
        if (processed(o.key)) {
            skip_processed(o.key);
            return;
        }
        bool loaded = in_ledger.count(o.key) > 0;
        sel.selected.push_back({std::move(o), loaded});
    };

    if (rules.newest_only) {
        // The newest object wins; ties go to the smallest key (the original's strict '>').
        if (matching.empty()) return sel;
        auto newest = matching.end() - 1;
        while (newest != matching.begin() && (newest - 1)->last_modified == newest->last_modified)
            --newest;
        for (auto& o : matching)
            if (&o != &*newest && processed(o.key)) skip_processed(o.key);
        consider(*newest);
        return sel;
    }
    for (auto& o : matching) {
        if (rules.file_limit > 0 && static_cast<int64_t>(sel.selected.size()) == rules.file_limit)
            break;
        consider(o);
    }
    return sel;
}

std::string skip_line(const Selection& s, const std::string& key) {
    if (!s.in_bad.count(key)) return "skip (processed): " + key;
    return "skip (bad, see " + object_keys(s.rules.destination, key).sidecar + "): " + key;
}

std::string selection_summary(const Selection& s) {
    const size_t n = s.selected.size();
    const size_t done = s.already_processed.size() - s.in_bad.size();
    return std::to_string(n) + (n == 1 ? " new object" : " new objects") + " under " +
           s.rules.prefix + " matching " + s.rules.doc + " (" + std::to_string(done) +
           " already processed, " + std::to_string(s.in_bad.size()) + " in bad)";
}

}  // namespace gdx::jobs
