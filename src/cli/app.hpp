#pragma once

namespace gdx::cli {
// Parses the command line, runs the subcommand, maps errors to exit codes
// (docs/semantics.md#commands-and-exit-codes).
int run(int argc, char** argv);
}  // namespace gdx::cli
