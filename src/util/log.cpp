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

// Opens <dir>/<file>, creating the directory. Throws ConfigError.
std::FILE* open_log(const std::filesystem::path& log_dir, const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
    if (ec)
        throw ConfigError(
            fmt::format("cannot create log directory {}: {}", log_dir.string(), ec.message()));
    std::FILE* file = std::fopen(path.c_str(), "ab");
    if (!file)
        throw ConfigError(
            fmt::format("cannot open log file {}: {}", path.string(), std::strerror(errno)));
    return file;
}

// A log file that comes into being later (see LogStart): records wait in memory until then.
class DeferredFileSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    DeferredFileSink(std::filesystem::path dir, std::filesystem::path path, LogStart start)
        : dir_(std::move(dir)), path_(std::move(path)), start_(start) {}
    ~DeferredFileSink() override {
        if (file_) std::fclose(file_);
    }

    void start() {
        std::lock_guard lock(mutex_);
        open_locked();
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const std::string text = format_log_record(
            msg.level, msg.time, std::string_view(msg.payload.data(), msg.payload.size()));
        if (!file_ && start_ == LogStart::OnFirstRecord && !unwritable_) {
            try {
                open_locked();
            } catch (const ConfigError& e) {
                unwritable_ = true;
                std::fprintf(stderr, "gdx: %s; log records go to stderr\n", e.what());
            }
        }
        if (file_) {
            std::fwrite(text.data(), 1, text.size(), file_);
            std::fflush(file_);
        } else if (unwritable_) {
            std::fwrite(text.data(), 1, text.size(), stderr);
        } else {
            pending_ += text;
        }
    }
    void flush_() override {
        if (file_) std::fflush(file_);
    }

private:
    void open_locked() {
        if (file_) return;
        file_ = open_log(dir_, path_);
        std::fwrite(pending_.data(), 1, pending_.size(), file_);
        std::fflush(file_);
        pending_.clear();
        pending_.shrink_to_fit();
    }

    std::filesystem::path dir_;
    std::filesystem::path path_;
    LogStart start_;
    std::FILE* file_ = nullptr;
    std::string pending_;
    bool unwritable_ = false;
};

std::mutex g_state_mutex;
std::filesystem::path g_log_path;
std::shared_ptr<DeferredFileSink> g_deferred;

void install_logger(std::vector<spdlog::sink_ptr> sinks, const std::filesystem::path& path,
                    std::shared_ptr<DeferredFileSink> deferred) {
    auto logger = std::make_shared<spdlog::logger>("gdx", sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::trace);
    std::lock_guard lock(g_state_mutex);
    spdlog::set_default_logger(std::move(logger));
    g_log_path = path;
    g_deferred = std::move(deferred);
}

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
    const auto path = log_dir / (job_name + ".log");
    std::vector<spdlog::sink_ptr> sinks{
        std::make_shared<RedactingSink>(open_log(log_dir, path), true)};
    if (also_stderr) sinks.push_back(std::make_shared<RedactingSink>(stderr, false));
    install_logger(std::move(sinks), path, nullptr);
}

void init_deferred_logging(const std::filesystem::path& log_dir, const std::string& job_name,
                           LogStart start) {
    const auto path = log_dir / (job_name + ".log");
    auto sink = std::make_shared<DeferredFileSink>(log_dir, path, start);
    install_logger({sink}, path, sink);
}

void start_log_file() {
    std::shared_ptr<DeferredFileSink> sink;
    {
        std::lock_guard lock(g_state_mutex);
        sink = g_deferred;
    }
    if (sink) sink->start();
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
    g_deferred.reset();
}

}  // namespace gdx::util
