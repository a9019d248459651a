#include "jobs/plan.hpp"

namespace gdx::jobs {

void print_plan(std::ostream& out, const PlanText& plan, const Selection& selection) {
    out << "Plan for " << plan.config_path << " (dry run: nothing is changed)\n";
    for (const auto& line : plan.targets) out << line << "\n";
    for (const auto& key : selection.already_processed)
        out << "  " << skip_line(selection, key) << "\n";
    for (const auto& c : selection.selected) {
        const auto keys = object_keys(plan.destination, c.object.key);
        if (c.repair)
            out << "  repair: " << c.object.key << " (already loaded) -> copy to " << keys.good
                << "\n";
        else
            out << "  load: " << c.object.key << " (" << c.object.size << " bytes) -> batch "
                << keys.batch << " -> " << plan.load_to << " -> " << keys.good << "\n";
    }
    if (selection.selected.empty()) out << "  nothing to load\n";
}

}  // namespace gdx::jobs
