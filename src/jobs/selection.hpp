#pragma once
// Which objects a run takes (docs/semantics.md#selection): list, filter by the `doc` regex and the
// /archive rule, drop what is processed, order by last-modified then key, cap.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "config/object_location.hpp"
#include "store/object_store.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::jobs {

struct SelectionRules {
    std::string bucket;
    std::string prefix;        // "<source>/<directory>/"
    std::string doc;           // Python regex; "$" is appended and it is searched in the key
    std::string destination;   // "<destination>": processed copies live in <destination>/good|bad/
    int64_t file_limit = 0;    // <= 0: no cap
    bool newest_only = false;  // truncate mode: only the newest matching object, if unprocessed

    static SelectionRules at(const config::ObjectLocation& where, int64_t file_limit,
                             bool newest_only) {
        return {where.bucket,      where.prefix(), where.doc,
                where.destination, file_limit,     newest_only};
    }
};

struct Candidate {
    store::ObjectInfo object;
    // True when the ledger says it is loaded but the copy to good never happened (a crash
    // between COMMIT and the copy): the run finishes the copy without reloading.
    bool repair = false;
};

struct Selection {
    std::vector<Candidate> selected;             // in processing order
    std::vector<std::string> already_processed;  // matching keys skipped (good/bad copy exists)
    std::vector<std::string> matching;           // every key that passed doc + archive filters
    std::set<std::string> in_bad;                // of already_processed: with a copy in bad
    SelectionRules rules;                        // what was selected by
};

// One line for stderr on every run, e.g. "0 new objects under client/x/ matching x-.* (2
// already processed, 1 in bad)": a run that selects nothing prints no report, as the original.
std::string selection_summary(const Selection& selection);

// The dry run's line for a key the selection skipped: "skip (processed): KEY", or for a key
// with a copy in bad "skip (bad, see <sidecar key>): KEY" (docs/semantics.md#retrying-a-bad-object
// says how to retry it).
std::string skip_line(const Selection& selection, const std::string& key);

Selection select_objects(store::ObjectStore& store, warehouse::Warehouse& warehouse,
                         const SelectionRules& rules);

// Destination keys of one source object.
struct ObjectKeys {
    std::string batch, good, bad, sidecar;
};
ObjectKeys object_keys(const std::string& destination, const std::string& key);

}  // namespace gdx::jobs
