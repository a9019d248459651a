#pragma once
// The s3-to-sfts subcommand: its options and how it runs.
#include <functional>

#include <CLI/CLI.hpp>

namespace gdx::cli {

struct Subcommand {
    CLI::App* command = nullptr;
    std::function<int()> run;  // after parsing, when *command was chosen
};

Subcommand add_s3_to_sfts_command(CLI::App& app);

}  // namespace gdx::cli
