#include "util/log.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "file_text.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace fs = std::filesystem;
using namespace gdx::util;

namespace {

fs::path fresh_dir(const std::string& name) {
    const fs::path dir =
        fs::temp_directory_path() / ("gdx_log_test_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    return dir / "logs";
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

TEST(Log, RecordFormatMatchesPythonLogging) {
    // 2024-01-05 21:45:10.123 UTC.
    const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1704491110123));
    const std::string rec = format_log_record(spdlog::level::warn, t, "hello");
    std::smatch m;
    ASSERT_TRUE(std::regex_match(
        rec, m, std::regex(R"(WARNING:gdx:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),123:hello\n)")))
        << rec;
    // Local time, as Python's logging uses.
    std::time_t secs = 1704491110;
    std::tm local{};
    localtime_r(&secs, &local);
    char want[32];
    std::strftime(want, sizeof want, "%Y-%m-%d %H:%M:%S", &local);
    EXPECT_EQ(m[1].str(), want);
    EXPECT_EQ(format_log_record(spdlog::level::info, t, "x").substr(0, 9), "INFO:gdx:");
    EXPECT_EQ(format_log_record(spdlog::level::err, t, "x").substr(0, 10), "ERROR:gdx:");
}

TEST(Log, MultiLineMessagesGetOnePrefixPerLine) {
    const auto t = std::chrono::system_clock::now();
    const auto lines = lines_of(format_log_record(spdlog::level::info, t, "one\ntwo\r\nthree\n"));
    ASSERT_EQ(lines.size(), 3u);
    const std::regex prefix(R"(INFO:gdx:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}:.*)");
    for (const auto& l : lines) EXPECT_TRUE(std::regex_match(l, prefix)) << l;
    EXPECT_TRUE(lines[1].ends_with(":two"));
    EXPECT_TRUE(lines[2].ends_with(":three"));
}

TEST(Log, FileCreatedAppendedAndSecretsNeverWritten) {
    const fs::path dir = fresh_dir("file");
    add_secret("Sup3rS3cret!");
    init_logging(dir, "s3-to-redshift", false);
    EXPECT_EQ(log_file_path(), dir / "s3-to-redshift.log");
    log_info("loading {} with key {}", "client/x.csv", "Sup3rS3cret!");
    spdlog::warn("dsn host=h password=pgPW123 dbname=d");
    log_error("uri postgresql://u:UriPass9@h:5432/db failed\nsecond line");
    spdlog::debug("not written at INFO");
    shutdown_logging();
    spdlog::info("after shutdown: dropped");

    init_logging(dir, "s3-to-redshift", false);  // append, not truncate
    log_info("second run");
    shutdown_logging();

    const std::string text = gdx::test::file_text(dir / "s3-to-redshift.log");
    EXPECT_EQ(text.find("Sup3rS3cret!"), std::string::npos) << text;
    EXPECT_EQ(text.find("pgPW123"), std::string::npos) << text;
    EXPECT_EQ(text.find("UriPass9"), std::string::npos) << text;
    EXPECT_EQ(text.find("not written"), std::string::npos);
    EXPECT_EQ(text.find("dropped"), std::string::npos);
    const auto lines = lines_of(text);
    ASSERT_EQ(lines.size(), 5u) << text;
    EXPECT_TRUE(lines[0].starts_with("INFO:gdx:"));
    EXPECT_TRUE(lines[0].ends_with(":loading client/x.csv with key ********"));
    EXPECT_TRUE(lines[1].starts_with("WARNING:gdx:"));
    EXPECT_TRUE(lines[1].ends_with(":dsn host=h password=******** dbname=d"));
    EXPECT_TRUE(lines[2].ends_with(":uri postgresql://u:********@h:5432/db failed"));
    EXPECT_TRUE(lines[3].starts_with("ERROR:gdx:"));
    EXPECT_TRUE(lines[3].ends_with(":second line"));
    EXPECT_TRUE(lines[4].ends_with(":second run"));
    fs::remove_all(dir.parent_path());
}

TEST(Log, ConcurrentWritersProduceWholeLines) {
    const fs::path dir = fresh_dir("threads");
    init_logging(dir, "job", false);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t] {
            for (int i = 0; i < 200; ++i) log_info("thread {} line {}\ncontinued {}", t, i, i);
        });
    for (auto& th : threads) th.join();
    shutdown_logging();
    const auto lines = lines_of(gdx::test::file_text(dir / "job.log"));
    ASSERT_EQ(lines.size(), 1600u);
    const std::regex ok(
        R"(INFO:gdx:[-0-9]{10} [:0-9]{8},\d{3}:(thread \d line \d+|continued \d+))");
    for (const auto& l : lines) ASSERT_TRUE(std::regex_match(l, ok)) << l;
    fs::remove_all(dir.parent_path());
}

TEST(Log, UncreatableDirectoryIsAConfigError) {
    EXPECT_THROW(init_logging("/proc/gdx-cannot-exist/logs", "job", false), gdx::ConfigError);
}
