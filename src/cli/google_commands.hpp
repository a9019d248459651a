#pragma once
// The Google subcommands: `gdx google-search`, `gdx google-business` and `gdx google-auth`.
#include <optional>

#include <CLI/CLI.hpp>

#include "google/authorize.hpp"
#include "jobs/google_options.hpp"

namespace gdx::cli {

class GoogleCommands {
public:
    // Registers the subcommands on `app`.
    explicit GoogleCommands(CLI::App& app);
    // After parsing: the exit code of the chosen Google subcommand, nullopt if none was chosen.
    std::optional<int> run();

private:
    CLI::App* search_;
    CLI::App* business_;
    CLI::App* auth_;
    jobs::GoogleJobOptions search_options_;
    jobs::GoogleJobOptions business_options_;
    google::AuthorizeOptions auth_options_;
};

}  // namespace gdx::cli
