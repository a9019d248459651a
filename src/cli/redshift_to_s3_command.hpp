#pragma once
// `gdx redshift-to-s3`: its options and how it runs.
#include <CLI/CLI.hpp>
#include <functional>

namespace gdx::cli {

// Adds the subcommand to `app`; the returned function runs it (call it when it was chosen).
std::function<int()> add_redshift_to_s3_command(CLI::App& app, CLI::App** command);

}  // namespace gdx::cli
