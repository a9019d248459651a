#pragma once
// SIGINT as a flag: long jobs check it between steps, stop cleanly, report and exit 130.
namespace gdx::util {

// Installs the handler (idempotent). A second Ctrl-C falls back to the default: kill.
void catch_interrupt();
bool interrupted();

inline constexpr int kInterruptedExit = 130;

}  // namespace gdx::util
