#pragma once

namespace gdx::cli {
// Parses the command line, runs the subcommand, maps errors to exit codes (DESIGN.md §1).
int run(int argc, char** argv);
}  // namespace gdx::cli
