#include "util/progress.hpp"

#include <unistd.h>

#include <atomic>

#include <fmt/format.h>

#include "util/env.hpp"

namespace gdx::util {
namespace {
constexpr auto kInterval = std::chrono::milliseconds(200);
constexpr double kMiB = 1024.0 * 1024.0;
std::atomic<bool> g_allowed{true};
}  // namespace

bool Progress::interactive() {
    return g_allowed && ::isatty(STDERR_FILENO) == 1 && env_string("CI").empty() &&
           env_string("TERM") != "dumb";
}

void Progress::disable_all() {
    g_allowed = false;
}

Progress::Progress(std::string label, uint64_t total_bytes)
    : Progress(std::move(label), total_bytes, stderr, interactive()) {}

Progress::Progress(std::string label, uint64_t total_bytes, std::FILE* out, bool enabled)
    : label_(std::move(label)),
      total_bytes_(total_bytes),
      out_(out),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
    finish();
}

void Progress::update(uint64_t bytes_so_far, uint64_t rows_so_far) {
    if (!enabled_ || finished_) return;
    bytes_ = bytes_so_far;
    rows_ = rows_so_far;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < kInterval) return;
    last_draw_ = now;
    draw();
}

void Progress::finish() {
    if (!enabled_ || finished_) return;
    finished_ = true;
    if (draws_ == 0) return;  // a quick object: no line to close
    draw();
    std::fputc('\n', out_);
    std::fflush(out_);
}

void Progress::draw() {
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = secs > 0 ? static_cast<double>(bytes_) / kMiB / secs : 0.0;
    std::string pct;
    if (total_bytes_ > 0)
        pct = fmt::format(" ({:.0f}%)",
                          100.0 * static_cast<double>(bytes_) / static_cast<double>(total_bytes_));
    // \r returns to the line start, \x1b[K clears what a longer previous line left.
    fmt::print(out_, "\r{}: {:.1f}/{:.1f} MiB{}, {} rows, {:.1f} MiB/s\x1b[K", label_,
               static_cast<double>(bytes_) / kMiB, static_cast<double>(total_bytes_) / kMiB, pct,
               rows_, rate);
    std::fflush(out_);
    ++draws_;
}

}  // namespace gdx::util
