#pragma once
// A single self-updating progress line on stderr for interactive runs. Silent (every call a
// no-op) unless stderr is a terminal, TERM is not "dumb", the CI environment variable is unset
// and the command line did not turn it off (--no-progress, -q), so logs, CI output and dumb
// terminals never see its escape codes.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace gdx::util {

class Progress {
public:
    Progress(std::string label, uint64_t total_bytes);
    // For tests: draw to `out` when `enabled`, whatever the terminal says.
    Progress(std::string label, uint64_t total_bytes, std::FILE* out, bool enabled);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // Records the bytes and rows done so far (totals, not increments). Cheap: redraws at most
    // 5 times/s.
    void update(uint64_t bytes_so_far, uint64_t rows_so_far);
    // Draws the final state and ends the line (only if something was drawn). Idempotent.
    void finish();

    bool enabled() const { return enabled_; }
    uint64_t draws() const { return draws_; }

    // True when stderr is a terminal, TERM is not "dumb", CI is unset and progress is allowed.
    static bool interactive();
    // Turns every later progress line of the process off (--no-progress, --quiet).
    static void disable_all();

private:
    void draw();

    std::string label_;
    uint64_t total_bytes_;
    uint64_t bytes_ = 0;
    uint64_t rows_ = 0;
    std::FILE* out_;
    bool enabled_;
    bool finished_ = false;
    uint64_t draws_ = 0;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace gdx::util
