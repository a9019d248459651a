#include "util/log.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>

#include "util/error.hpp"
#include "util/redact.hpp"

namespace gdx::util {
namespace {

const char* python_level_name(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace:
        case spdlog::level::debug:
            return "DEBUG";
        case spdlog::level::info:
            return "INFO";
        case spdlog::level::warn:
            return "WARNING";
        case spdlog::level::err:
            return "ERROR";
        case spdlog::level::critical:
            return "CRITICAL";
        default:
            return "NOTSET";
    }
}

// Writes fully formatted, redacted records to a FILE*, flushing each one so that a crash
// loses nothing. base_sink<std::mutex> serialises writers.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    RedactingSink(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
    ~RedactingSink() override {
        if (owned_ && file_) std::fclose(file_);
    }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const std::string text = format_log_record(
            msg.level, msg.time, std::string_view(msg.payload.data(), msg.payload.size()));
        std::fwrite(text.data(), 1, text.size(), file_);
        std::fflush(file_);
    }
    void flush_() override { std::fflush(file_); }

  private:
    std::FILE* file_;
    bool owned_;
};

std::mutex g_state_mutex;
std::filesystem::path g_log_path;

}  // namespace

std::string format_log_record(spdlog::level::level_enum level,
                              std::chrono::system_clock::time_point time,
                              std::string_view message) {
    const auto secs = std::chrono::system_clock::to_time_t(time);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count() %
        1000;
    std::tm local{};
    localtime_r(&secs, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
    const std::string prefix =
        fmt::format("{}:gdx:{},{:03d}:", python_level_name(level), stamp, ms < 0 ? ms + 1000 : ms);

    const std::string clean = redact(message);
    std::string out;
    out.reserve(clean.size() + prefix.size() + 1);
    std::string_view rest(clean);
    while (true) {
        const auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out += prefix;
        out += line;
        out += '\n';
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
        if (rest.empty()) break;  // a trailing newline does not make an empty record
    }
    return out;
}

void init_logging(const std::filesystem::path& log_dir, const std::string& job_name,
                  bool also_stderr) {
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
    if (ec)
        throw ConfigError(
            fmt::format("cannot create log directory {}: {}", log_dir.string(), ec.message()));
    const auto path = log_dir / (job_name + ".log");
    std::FILE* file = std::fopen(path.c_str(), "ab");
    if (!file)
        throw ConfigError(
            fmt::format("cannot open log file {}: {}", path.string(), std::strerror(errno)));

    std::vector<spdlog::sink_ptr> sinks{std::make_shared<RedactingSink>(file, true)};
    if (also_stderr) sinks.push_back(std::make_shared<RedactingSink>(stderr, false));
    auto logger = std::make_shared<spdlog::logger>("gdx", sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::trace);

    std::lock_guard lock(g_state_mutex);
    spdlog::set_default_logger(std::move(logger));
    g_log_path = path;
}

std::filesystem::path log_file_path() {
    std::lock_guard lock(g_state_mutex);
    return g_log_path;
}

void set_log_level(spdlog::level::level_enum level) {
    spdlog::default_logger()->set_level(level);
}

void shutdown_logging() {
    std::lock_guard lock(g_state_mutex);
    // A logger without sinks: later records are dropped, the file is closed.
    auto silent = std::make_shared<spdlog::logger>("gdx");
    spdlog::set_default_logger(std::move(silent));
    g_log_path.clear();
}

}  // namespace gdx::util
