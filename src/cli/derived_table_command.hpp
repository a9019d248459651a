#pragma once
// `gdx derived-table CONFIG`: rebuild a derived table from dml/<dml> (jobs/derived_table.hpp).
#include <functional>
#include <optional>

#include <CLI/CLI.hpp>

namespace gdx::cli {

// Registers the subcommand on `app`. The returned function, called after parsing, runs the
// job and returns its exit code when the subcommand was given, nullopt otherwise.
std::function<std::optional<int>()> add_derived_table_command(CLI::App& app);

}  // namespace gdx::cli
