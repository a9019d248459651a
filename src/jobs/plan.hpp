#pragma once
// `--dry-run`: what a run would do, printed instead of doing it (docs/semantics.md).
#include <ostream>
#include <string>
#include <vector>

#include "jobs/selection.hpp"

namespace gdx::jobs {

struct PlanText {
    std::string config_path;
    std::string destination;           // <destination>: where batch, good and bad copies go
    std::vector<std::string> targets;  // lines saying what is loaded, e.g. "Table: t (append)"
    std::string load_to;               // shown per object between its batch and its good copy
};

// Prints the plan: the targets, then every skipped, repaired and loaded object in order.
void print_plan(std::ostream& out, const PlanText& plan, const Selection& selection);

}  // namespace gdx::jobs
