// gdx s3-to-sfts end to end: the binary, a real OpenSSH sshd on loopback, and the directory
// store or S3 (moto). What is asserted is what a recipient sees: the files on the server, byte
// for byte, and the markers in the store.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../fakes/server_process.hpp"
#include "../fakes/sshd_server.hpp"
#include "../support/original_configs.hpp"
#include "../support/test_paths.hpp"
#include "harness.hpp"

#include <fmt/format.h>

namespace gdx::test {
namespace {

namespace fs = std::filesystem;
using gdx::testing::SshdServer;

const std::string kSource = "client/pmrp_gdx/pmrp_date_range/";
const std::string kArchive = "client/google-mybusiness-sfts_sbc/pmrp_date_range/";

std::string read_local(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> files_in(const std::string& dir) {
    std::vector<std::string> names;
    for (auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string sample(const std::string& name, size_t size) {
    std::string s;
    while (s.size() < size) s += name + "|" + std::to_string(s.size()) + "\n";
    s.resize(size);
    return s;
}

// Points the config at another test server.
nlohmann::ordered_json on_server(nlohmann::ordered_json cfg, const SshdServer& server,
                                 const std::string& remote) {
    cfg["sfts_port"] = server.port();
    cfg["sfts_host_key_sha256"] = server.fingerprint();
    cfg["sfts_path"] = remote.substr(1);
    return cfg;
}

class SftsTest : public ::testing::TestWithParam<Backend> {
protected:
    Workspace ws{GetParam()};
    SshdServer& sshd = SshdServer::shared();
    std::string remote = sshd.fresh_folder("sfts");
    std::string identity = sshd.client_key();

    nlohmann::ordered_json config() const {
        return {{"bucket", ws.bucket()},
                {"source", "client"},
                {"source_client", "pmrp_gdx"},
                {"source_directory", "pmrp_date_range"},
                {"archive", "processed"},
                {"archive_client", "google-mybusiness-sfts_sbc"},
                {"archive_directory", "pmrp_date_range"},
                {"object_prefix", "pmrp"},
                {"header", false},
                {"sfts_path", remote.substr(1)},
                {"extension", ".csv"},
                {"sfts_host", "127.0.0.1"},
                {"sfts_port", sshd.port()},
                {"sfts_host_key_sha256", sshd.fingerprint()},
                {"lock_dir", (ws.dir() / "locks").string()}};
    }
    // The config for the server that refuses renames, in a folder of its own there.
    nlohmann::ordered_json config_without_rename(const std::string& folder) {
        auto& server = SshdServer::shared_without_rename();
        remote = server.fresh_folder(folder);
        identity = server.client_key();
        return on_server(config(), server, remote);
    }
    fs::path write_config(const nlohmann::ordered_json& cfg) const {
        return ws.write_file("sfts.json", cfg.dump(2));
    }
    RunResult run(const nlohmann::ordered_json& cfg, std::vector<std::string> extra = {},
                  std::map<std::string, std::string> env = {},
                  const WhileRunning& while_running = {}) const {
        extra.insert(extra.begin(), {"--identity", identity});
        env.emplace("sfts_user", "root");
        env.emplace("GDX_RETRY_BASE_MS", "5");
        return ws.run_job("s3-to-sfts", write_config(cfg), extra, env, while_running);
    }
    RunResult run(std::vector<std::string> extra = {},
                  std::map<std::string, std::string> env = {}) const {
        return run(config(), std::move(extra), std::move(env));
    }
    std::string put(const std::string& name, size_t size) {
        std::string data = sample(name, size);
        ws.put(ws.bucket(), kSource + name, data);
        return data;
    }
    bool good(const std::string& name) const {
        return ws.exists(ws.bucket(), "processed/good/" + kArchive + name);
    }
    bool bad(const std::string& name) const {
        return ws.exists(ws.bucket(), "processed/bad/" + kArchive + name);
    }
    bool journal(const std::string& name) const {
        return ws.exists(ws.bucket(), "processed/inflight/" + kArchive + name + ".json");
    }
    std::string log() const { return read_local(ws.dir() / "logs" / "s3-to-sfts.log"); }
};

TEST_P(SftsTest, DeliversEachSelectedFileOnceAndMarksIt) {
    auto a = put("pmrp_20240101_part000", 1000);
    auto b = put("pmrp_20240102_part000", 0);
    put("other_20240101_part000", 10);  // not ^pmrp
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(files_in(remote),
              (std::vector<std::string>{"pmrp_20240101_part000.csv", "pmrp_20240102_part000.csv"}));
    EXPECT_EQ(read_local(remote + "/pmrp_20240101_part000.csv"), a);
    EXPECT_EQ(read_local(remote + "/pmrp_20240102_part000.csv"), b);
    EXPECT_TRUE(good("pmrp_20240101_part000"));
    EXPECT_TRUE(good("pmrp_20240102_part000"));
    EXPECT_FALSE(good("other_20240101_part000"));
    EXPECT_FALSE(bad("pmrp_20240101_part000"));
    EXPECT_FALSE(journal("pmrp_20240101_part000"));
    EXPECT_NE(r.out.find("***The microservice ran successfully***"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Items to process: 2\nObjects successfully processed to sfts: 2\n"
                         "Objects that failed to process to sfts: 0\n"
                         "Objects successfully processed to s3: 2\n"
                         "Objects that failed to process to s3: 0\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("List of objects processed to sfts:\n1: " + kSource +
                         "pmrp_20240101_part000\n2: " + kSource + "pmrp_20240102_part000\n"),
              std::string::npos)
        << r.out;

    // Nothing left: a line on stderr, exit 0 (1 with --fail-when-idle), no report.
    r = run();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("nothing to send"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("Report:"), std::string::npos) << r.out;
    r = run(config(), {"--fail-when-idle"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(files_in(remote).size(), 2u);
}

TEST_P(SftsTest, CrashAtEveryStepIsRepairedWithoutSendingTwice) {
    for (std::string step : {"after_download", "mid_upload", "after_upload", "after_ready_journal",
                             "after_rename", "after_mark"}) {
        SCOPED_TRACE(step);
        remote = sshd.fresh_folder("crash-" + step);
        auto cfg = config();
        cfg["source_directory"] = step;  // each step its own objects and markers
        cfg["archive_directory"] = step;
        std::map<std::string, std::string> data;
        for (const char* n : {"pmrp_1", "pmrp_2", "pmrp_3"}) {
            data[n] = sample(step + n, 3'000'000);  // several reads: mid_upload is mid-file
            ws.put(ws.bucket(), "client/pmrp_gdx/" + step + "/" + n, data[n]);
        }
        auto r = run(cfg, {}, {{"GDX_TEST_CRASH_AT", step}});
        ASSERT_NE(r.exit_code, 0) << r.out << r.err;
        r = run(cfg);
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
        EXPECT_EQ(files_in(remote),
                  (std::vector<std::string>{"pmrp_1.csv", "pmrp_2.csv", "pmrp_3.csv"}));
        const std::string arch = "client/google-mybusiness-sfts_sbc/" + step + "/";
        for (auto& [name, bytes] : data) {
            EXPECT_EQ(read_local(remote + "/" + name + ".csv"), bytes) << name;
            EXPECT_TRUE(ws.exists(ws.bucket(), "processed/good/" + arch + name)) << name;
            EXPECT_FALSE(ws.exists(ws.bucket(), "processed/bad/" + arch + name)) << name;
            EXPECT_FALSE(ws.exists(ws.bucket(), "processed/inflight/" + arch + name + ".json"))
                << name;
        }
        // From a READY journal the complete temp file is renamed, not sent again.
        if (step == "after_ready_journal") {
            EXPECT_NE(log().find("client/pmrp_gdx/" + step + "/pmrp_1: delivery finished as " +
                                 remote + "/pmrp_1.csv"),
                      std::string::npos)
                << log();
        }
    }
}

TEST_P(SftsTest, WrongHostKeyIsRefused) {
    put("pmrp_1", 10);
    auto cfg = config();
    cfg["sfts_host_key_sha256"] = sshd.other_fingerprint();
    auto r = run(cfg);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("host key"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ssh-keyscan"), std::string::npos) << r.err;
    EXPECT_TRUE(files_in(remote).empty());
    EXPECT_FALSE(good("pmrp_1"));
    EXPECT_FALSE(bad("pmrp_1"));

    cfg.erase("sfts_host_key_sha256");
    r = run(cfg);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("sfts_host_key_sha256"), std::string::npos) << r.err;
}

TEST_P(SftsTest, WrongKeyOrPasswordIsAClearErrorAndNothingIsMarked) {
    put("pmrp_1", 10);
    put("pmrp_2", 10);
    auto cfg = config();
    auto r = ws.run_job("s3-to-sfts", write_config(cfg), {"--identity", sshd.unknown_key()},
                        {{"sfts_user", "root"}});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("authentication failed"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("Objects that failed to process to sfts: 2"), std::string::npos) << r.out;

    const std::string secret = "pw-Zq8Secret";
    r = ws.run_job("s3-to-sfts", write_config(cfg), {},
                   {{"sfts_user", "root"}, {"sfts_pass", secret}});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("authentication failed"), std::string::npos) << r.err;
    for (const auto& text : {r.out, r.err, log()}) EXPECT_EQ(text.find(secret), std::string::npos);
    EXPECT_TRUE(files_in(remote).empty());
    EXPECT_FALSE(good("pmrp_1") || good("pmrp_2") || bad("pmrp_1") || bad("pmrp_2"));
}

TEST_P(SftsTest, ReadOnlyServerLeavesFilesUnmarkedUntilFixed) {
    auto data = put("pmrp_1", 100);
    auto& ro = SshdServer::shared_read_only();
    auto cfg = config();
    cfg["sfts_port"] = ro.port();
    cfg["sfts_host_key_sha256"] = ro.fingerprint();
    identity = ro.client_key();
    auto r = run(cfg);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
    EXPECT_FALSE(good("pmrp_1"));
    EXPECT_FALSE(bad("pmrp_1"));
    EXPECT_TRUE(files_in(remote).empty());

    identity = sshd.client_key();
    r = run();  // the same folder, writable now
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), data);
    EXPECT_TRUE(good("pmrp_1"));
}

TEST_P(SftsTest, OneFailingFileDoesNotStopTheOthers) {
    put("pmrp_1", 100);
    put("pmrp_2", 100);
    put("pmrp_3", 100);
    std::ofstream(remote + "/pmrp_2.csv") << "someone else's file";  // a collision
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("name collision"), std::string::npos) << r.err;
    EXPECT_TRUE(good("pmrp_1"));
    EXPECT_FALSE(good("pmrp_2"));
    EXPECT_FALSE(bad("pmrp_2"));
    EXPECT_TRUE(good("pmrp_3"));
    EXPECT_EQ(read_local(remote + "/pmrp_2.csv"), "someone else's file");  // never overwritten
    EXPECT_NE(
        r.out.find("List of objects that failed to process to sfts:\n1: " + kSource + "pmrp_2\n"),
        std::string::npos)
        << r.out;

    fs::remove(remote + "/pmrp_2.csv");
    r = run();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Items to process: 1\n"), std::string::npos) << r.out;
    EXPECT_TRUE(good("pmrp_2"));
    EXPECT_EQ(read_local(remote + "/pmrp_2.csv"), sample("pmrp_2", 100));
}

TEST_P(SftsTest, SameSizeRemoteFileIsTakenAsDelivered) {
    put("pmrp_1", 10);
    std::ofstream(remote + "/pmrp_1.csv") << "0123456789";  // same name and size
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), "0123456789");  // not sent again
    EXPECT_TRUE(good("pmrp_1"));
    EXPECT_NE(log().find("already on the server"), std::string::npos);
}

TEST_P(SftsTest, NamesThatAppearAfterTheListingAreNeverOverwritten) {
    // The remote folder is listed once, before the first upload. A file that appears under a
    // final name later is found when the server refuses the rename: of another size it is a
    // collision (left as it is; the temp file and the journal are dropped), of the same size
    // it counts as delivered (as it would have before the upload).
    put("pmrp_1", 8'000'000);  // long enough to put the other names there meanwhile
    put("pmrp_2", 100);
    put("pmrp_3", 10);
    auto appear = [&](pid_t) {
        for (int i = 0; i < 30'000 && !fs::exists(remote + "/pmrp_1.csv.part"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::ofstream(remote + "/pmrp_2.csv") << "someone else's file";
        std::ofstream(remote + "/pmrp_3.csv") << "0123456789";
    };
    auto r = run(config(), {}, {}, appear);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("name collision: " + remote + "/pmrp_2.csv is already on the server"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(files_in(remote),
              (std::vector<std::string>{"pmrp_1.csv", "pmrp_2.csv", "pmrp_3.csv"}));
    EXPECT_EQ(read_local(remote + "/pmrp_2.csv"), "someone else's file");
    EXPECT_EQ(read_local(remote + "/pmrp_3.csv"), "0123456789");
    EXPECT_TRUE(good("pmrp_1"));
    EXPECT_FALSE(good("pmrp_2"));
    EXPECT_FALSE(bad("pmrp_2"));
    EXPECT_FALSE(journal("pmrp_2"));
    EXPECT_TRUE(good("pmrp_3"));
    EXPECT_FALSE(journal("pmrp_3"));
    EXPECT_NE(log().find("pmrp_3.csv is on the server with the same size; taken as delivered"),
              std::string::npos)
        << log();
}

TEST_P(SftsTest, AFailedGoodCopyIsFinishedByTheNextRunWithoutSendingAgain) {
    if (GetParam() != Backend::Embedded)
        GTEST_SKIP() << "blocks the good archive with a file, which only the directory store can";
    auto data = put("pmrp_1", 1000);
    // A file where the good archive's folder must be: the copy to good fails.
    std::string archive = kArchive.substr(0, kArchive.size() - 1);
    fs::path blocker = ws.dir() / "store" / ws.bucket() / "processed" / "good" / archive;
    fs::create_directories(blocker.parent_path());
    std::ofstream(blocker) << "not a folder";
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), data);
    EXPECT_FALSE(good("pmrp_1"));
    ASSERT_TRUE(journal("pmrp_1"));
    auto j = nlohmann::json::parse(
        ws.read(ws.bucket(), "processed/inflight/" + kArchive + "pmrp_1.json"));
    EXPECT_EQ(j["state"], "RENAMED") << j.dump();
    EXPECT_NE(r.out.find("List of objects that failed to copy to S3 good archives:\n1: " + kSource +
                         "pmrp_1\n"),
              std::string::npos)
        << r.out;

    // The next run marks it without touching the server: a recipient's change stays.
    std::string changed(data.size(), 'r');
    std::ofstream(remote + "/pmrp_1.csv", std::ios::trunc) << changed;
    fs::remove(blocker);
    r = run();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), changed);
    EXPECT_TRUE(good("pmrp_1"));
    EXPECT_FALSE(journal("pmrp_1"));
    EXPECT_EQ(files_in(remote), std::vector<std::string>{"pmrp_1.csv"});
}

TEST_P(SftsTest, MaxAttemptsMarksBadAndRetryBadSendsAgain) {
    put("pmrp_1", 10);
    std::ofstream(remote + "/pmrp_1.csv") << "different size";
    auto cfg = config();
    cfg["max_attempts"] = 2;
    EXPECT_EQ(run(cfg).exit_code, 1);
    EXPECT_FALSE(bad("pmrp_1"));
    EXPECT_TRUE(journal("pmrp_1"));  // the attempt is counted
    auto r = run(cfg);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(bad("pmrp_1"));
    EXPECT_NE(r.out.find("List of objects copied to S3 bad archives:"), std::string::npos) << r.out;
    EXPECT_EQ(run(cfg).exit_code, 0);  // bad = transferred: nothing to send

    fs::remove(remote + "/pmrp_1.csv");
    cfg["retry_bad"] = true;
    r = run(cfg);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(good("pmrp_1"));
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), sample("pmrp_1", 10));
}

TEST_P(SftsTest, ConnectionDroppedMidUploadIsRetried) {
    auto data = put("pmrp_1", 4'000'000);
    int port = gdx::testing::free_port();
    gdx::testing::ServerProcess proxy(
        {"python3", gdx::testing::source_dir() + "/tests/fakes/tcp_cut_proxy.py",
         std::to_string(port), std::to_string(sshd.port()), "1000000", "1"},
        port, (ws.dir() / "proxy.log").string());
    auto cfg = config();
    cfg["sfts_port"] = port;
    auto r = run(cfg);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(read_local(ws.dir() / "proxy.log").find("cut 1"), std::string::npos);
    EXPECT_NE(log().find("retry"), std::string::npos) << log();
    EXPECT_EQ(files_in(remote), std::vector<std::string>{"pmrp_1.csv"});
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), data);
    EXPECT_TRUE(good("pmrp_1"));
}

// A server still unreachable after the retries stops the run: the next object is not tried
// (one "gave up", not one per object) and nothing is marked.
TEST_P(SftsTest, UnreachableServerStopsTheRunAfterTheRetries) {
    put("pmrp_1", 10);
    put("pmrp_2", 10);
    auto cfg = config();
    cfg["sfts_port"] = gdx::testing::free_port();  // nothing listens there
    auto r = run(cfg, {}, {{"GDX_RETRY_MAX_ATTEMPTS", "2"}});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const auto gave_up = r.err.find("gave up after 2 attempts");
    ASSERT_NE(gave_up, std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("gave up", gave_up + 1), std::string::npos)
        << "the second object was tried: " << r.err;
    EXPECT_FALSE(good("pmrp_1") || good("pmrp_2") || bad("pmrp_1") || bad("pmrp_2"));
    EXPECT_FALSE(journal("pmrp_1") || journal("pmrp_2"));
}

TEST_P(SftsTest, SecondRunOfTheSameConfigIsRefusedWhileTheFirstHoldsTheLock) {
    put("pmrp_1", 10);
    fs::create_directories(ws.dir() / "locks");
    std::string path = (ws.dir() / "locks" / "gdx-s3-to-sfts-sfts.lock").string();
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);
    ASSERT_EQ(::pwrite(fd, "4242\n", 5, 0), 5);
    auto r = run();
    ::close(fd);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("process 4242 holds the lock"), std::string::npos) << r.err;
    EXPECT_FALSE(good("pmrp_1"));
    EXPECT_EQ(run().exit_code, 0);
}

TEST_P(SftsTest, XferPathIsIgnoredWithAWarning) {
    put("pmrp_1", 10);
    auto r = run(config(), {}, {{"xfer_path", "/opt/xfer/"}});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(log().find("xfer_path environment variable is ignored"), std::string::npos);
}

// The password server, or nullptr with the reason when this machine cannot run it.
SshdServer* password_server(std::string& why) {
    try {
        return &SshdServer::shared_with_password();
    } catch (const std::exception& e) {
        why = e.what();
        return nullptr;
    }
}

std::string new_log_lines(const std::string& path, size_t from) {
    std::string all = SshdServer::read_file(path);
    return from < all.size() ? all.substr(from) : std::string();
}

TEST_P(SftsTest, PasswordLoginDelivers) {
    std::string why;
    SshdServer* pw = password_server(why);
    if (!pw) GTEST_SKIP() << "sshd with password login cannot run here: " << why;
    remote = pw->fresh_folder("password");
    auto data = put("pmrp_1", 1000);
    size_t mark = SshdServer::read_file(pw->log_path()).size();
    auto r = ws.run_job("s3-to-sfts", write_config(on_server(config(), *pw, remote)), {},
                        {{"sfts_user", "root"}, {"sfts_pass", pw->password()}});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(files_in(remote), std::vector<std::string>{"pmrp_1.csv"});
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), data);
    EXPECT_TRUE(good("pmrp_1"));
    const std::string sshd_log = new_log_lines(pw->log_path(), mark);
    EXPECT_NE(sshd_log.find("Accepted password for root"), std::string::npos) << sshd_log;
    for (const auto& text : {r.out, r.err, log()})
        EXPECT_EQ(text.find(pw->password()), std::string::npos);
}

TEST_P(SftsTest, KeyIsTriedFirstThenThePassword) {
    std::string why;
    SshdServer* pw = password_server(why);
    if (!pw) GTEST_SKIP() << "sshd with password login cannot run here: " << why;
    remote = pw->fresh_folder("key-then-password");
    auto cfg = write_config(on_server(config(), *pw, remote));

    // A key the server does not know, and the right password: the key is refused, then the
    // password logs in.
    put("pmrp_1", 100);
    size_t mark = SshdServer::read_file(pw->log_path()).size();
    auto r = ws.run_job("s3-to-sfts", cfg, {"--identity", pw->unknown_key()},
                        {{"sfts_user", "root"}, {"sfts_pass", pw->password()}});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    std::string sshd_log = new_log_lines(pw->log_path(), mark);
    size_t refused = sshd_log.find("Failed publickey for root");
    size_t accepted = sshd_log.find("Accepted password for root");
    ASSERT_NE(refused, std::string::npos) << sshd_log;
    ASSERT_NE(accepted, std::string::npos) << sshd_log;
    EXPECT_LT(refused, accepted) << sshd_log;
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), sample("pmrp_1", 100));

    // The right key and a wrong password: the key logs in, the password is never tried.
    put("pmrp_2", 100);
    mark = SshdServer::read_file(pw->log_path()).size();
    r = ws.run_job("s3-to-sfts", cfg, {"--identity", pw->client_key()},
                   {{"sfts_user", "root"}, {"sfts_pass", "not-the-password"}});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    sshd_log = new_log_lines(pw->log_path(), mark);
    EXPECT_NE(sshd_log.find("Accepted publickey for root"), std::string::npos) << sshd_log;
    EXPECT_EQ(sshd_log.find("password"), std::string::npos) << sshd_log;
    EXPECT_EQ(files_in(remote), (std::vector<std::string>{"pmrp_1.csv", "pmrp_2.csv"}));
    EXPECT_TRUE(good("pmrp_1"));
    EXPECT_TRUE(good("pmrp_2"));
}

TEST_P(SftsTest, WithoutAtomicRenameAServerThatRefusesRenamesGetsTheFinalNames) {
    auto cfg = config_without_rename("no-rename");
    auto a = put("pmrp_1", 1000);

    // Renames are required by default: the file fails, stays unmarked, and its complete temp
    // file waits on the server under a READY journal.
    auto r = run(cfg);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("rename"), std::string::npos) << r.err;
    EXPECT_FALSE(good("pmrp_1"));
    EXPECT_FALSE(bad("pmrp_1"));
    EXPECT_TRUE(journal("pmrp_1"));
    EXPECT_EQ(files_in(remote), std::vector<std::string>{"pmrp_1.csv.part"});

    // sfts_atomic_rename off: the waiting file and the new ones go straight to their final
    // names, each exactly once, and no temp file is left.
    auto b = put("pmrp_2", 2000);
    auto c = put("pmrp_3", 3000);
    cfg["sfts_atomic_rename"] = false;
    r = run(cfg);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(files_in(remote),
              (std::vector<std::string>{"pmrp_1.csv", "pmrp_2.csv", "pmrp_3.csv"}));
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), a);
    EXPECT_EQ(read_local(remote + "/pmrp_2.csv"), b);
    EXPECT_EQ(read_local(remote + "/pmrp_3.csv"), c);
    for (const char* n : {"pmrp_1", "pmrp_2", "pmrp_3"}) {
        EXPECT_TRUE(good(n)) << n;
        EXPECT_FALSE(journal(n)) << n;
    }
}

TEST_P(SftsTest, StraightToTheFinalNameSurvivesACrash) {
    auto cfg = config_without_rename("no-rename-crash");
    cfg["sfts_atomic_rename"] = false;
    // Killed once pmrp_1 is on the server under its final name (DIRECT journal): the next
    // run finds it complete and marks it without sending it again.
    auto a = put("pmrp_1", 3'000'000);
    auto b = put("pmrp_2", 3'000'000);
    auto r = run(cfg, {}, {{"GDX_TEST_CRASH_AT", "after_rename"}});
    ASSERT_NE(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(journal("pmrp_1"));
    EXPECT_EQ(files_in(remote), std::vector<std::string>{"pmrp_1.csv"});
    r = run(cfg);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(log().find(kSource + "pmrp_1: delivery finished as " + remote + "/pmrp_1.csv"),
              std::string::npos)
        << log();
    EXPECT_EQ(files_in(remote), (std::vector<std::string>{"pmrp_1.csv", "pmrp_2.csv"}));
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), a);
    EXPECT_EQ(read_local(remote + "/pmrp_2.csv"), b);

    // A partial final file under a DIRECT journal (a run killed while it uploaded straight to
    // the final name) is this job's own: sent again, not taken for a name collision.
    auto c = put("pmrp_3", 3'000'000);
    std::ofstream(remote + "/pmrp_3.csv") << c.substr(0, 1000);
    nlohmann::json direct = {{"state", "DIRECT"},
                             {"key", kSource + "pmrp_3"},
                             {"etag", ""},
                             {"size", c.size()},
                             {"temp", remote + "/pmrp_3.csv.part"},
                             {"final", remote + "/pmrp_3.csv"},
                             {"attempts", 0}};
    ws.put(ws.bucket(), "processed/inflight/" + kArchive + "pmrp_3.json", direct.dump());
    r = run(cfg);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(read_local(remote + "/pmrp_3.csv"), c);
    EXPECT_EQ(files_in(remote),
              (std::vector<std::string>{"pmrp_1.csv", "pmrp_2.csv", "pmrp_3.csv"}));
    EXPECT_TRUE(good("pmrp_3"));
    EXPECT_FALSE(journal("pmrp_3"));
}

// The server refuses the rename: the journal must say DIRECT before the complete `.part` file
// goes. Killed right after it went, the next run sends the object straight to its final name;
// a READY journal left there instead would read as "renamed and collected" and lose the file.
TEST_P(SftsTest, ARefusedRenameSurvivesACrashBeforeTheDirectUpload) {
    auto cfg = config_without_rename("no-rename-temp-gone");
    cfg["sfts_atomic_rename"] = false;
    auto a = put("pmrp_1", 3'000'000);
    auto r = run(cfg, {}, {{"GDX_TEST_CRASH_AT", "after_temp_removed"}});
    ASSERT_NE(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(files_in(remote).empty());
    EXPECT_TRUE(journal("pmrp_1"));
    EXPECT_FALSE(good("pmrp_1"));
    r = run(cfg);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(files_in(remote), std::vector<std::string>{"pmrp_1.csv"});
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), a);
    EXPECT_TRUE(good("pmrp_1"));
    EXPECT_FALSE(journal("pmrp_1"));
}

TEST_P(SftsTest, ObjectsInSubFoldersKeepTheirRelativeNames) {
    auto top = put("pmrp_1", 100);
    std::string nested = sample("nested", 200);
    ws.put(ws.bucket(), kSource + "2024/02/pmrp_2", nested);
    ws.put(ws.bucket(), kSource + "2024/other_3", "not ^pmrp");
    ws.put(ws.bucket(), kSource + "2025/pmrp_4", "no such remote folder");
    fs::create_directories(remote + "/2024/02");
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(files_in(remote), (std::vector<std::string>{"2024", "pmrp_1.csv"}));
    EXPECT_EQ(files_in(remote + "/2024/02"), std::vector<std::string>{"pmrp_2.csv"});
    EXPECT_EQ(read_local(remote + "/pmrp_1.csv"), top);
    EXPECT_EQ(read_local(remote + "/2024/02/pmrp_2.csv"), nested);
    EXPECT_TRUE(good("2024/02/pmrp_2"));
    EXPECT_FALSE(good("2024/other_3"));
    EXPECT_FALSE(journal("2024/02/pmrp_2"));
    // A remote folder that does not exist is not created unless the config says so.
    EXPECT_NE(r.err.find("the remote folder " + remote + "/2025/ does not exist"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(good("2025/pmrp_4"));
    EXPECT_FALSE(bad("2025/pmrp_4"));

    auto cfg = config();
    cfg["sfts_create_folders"] = true;
    r = run(cfg);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(read_local(remote + "/2025/pmrp_4.csv"), "no such remote folder");
    EXPECT_EQ(files_in(remote + "/2025"), std::vector<std::string>{"pmrp_4.csv"});
    EXPECT_TRUE(good("2025/pmrp_4"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SftsTest, ::testing::Values(Backend::Embedded, Backend::S3Only),
                         [](const auto& info) { return backend_name(info.param); });

// Large batches on the directory store only (moto would dominate the time).
class SftsVolumeTest : public SftsTest {};

TEST_P(SftsVolumeTest, ThousandSmallFilesInOneRun) {
    for (int i = 0; i < 1000; ++i)
        ws.put(ws.bucket(), kSource + fmt::format("pmrp_{:04}", i),
               sample(std::to_string(i), 100 + i));
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto names = files_in(remote);
    ASSERT_EQ(names.size(), 1000u);
    for (int i = 0; i < 1000; i += 111)
        EXPECT_EQ(read_local(remote + fmt::format("/pmrp_{:04}.csv", i)),
                  sample(std::to_string(i), 100 + i));
    EXPECT_TRUE(good("pmrp_0999"));
    EXPECT_NE(r.out.find("Objects successfully processed to s3: 1000"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Embedded, SftsVolumeTest, ::testing::Values(Backend::Embedded),
                         [](const auto& info) { return backend_name(info.param); });

}  // namespace
}  // namespace gdx::test

namespace gdx::test {
namespace {

fs::path originals_dir() {
    return original_configs_location();
}

nlohmann::ordered_json load_json(const fs::path& p) {
    return nlohmann::ordered_json::parse(read_local(p));
}

// Each original s3_to_sfts config with its redshift_to_s3 partner: the object the export writes
// for the client is delivered under its name plus the extension, added once.
TEST(SftsOriginalConfigs, ExportThenDeliverUnderTheOriginalNames) {
    const fs::path sfts_dir = originals_dir() / "s3_to_sfts" / "config.d";
    const fs::path export_dir = originals_dir() / "redshift_to_s3" / "config.d";
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    auto& sshd = SshdServer::shared();
    Workspace ws(Backend::Embedded);
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(sfts_dir)) {
        SCOPED_TRACE(entry.path().filename().string());
        auto cfg = load_json(entry.path());
        auto partner = load_json(export_dir / entry.path().filename());
        // Where the export puts its client copy is where this job looks.
        ASSERT_EQ(
            partner["storage"].get<std::string>() + "/" + partner["directory"].get<std::string>(),
            cfg["source"].get<std::string>() + "/" + cfg["source_client"].get<std::string>() + "/" +
                cfg["source_directory"].get<std::string>());
        const std::string export_ext = partner.value("extension", "");
        const std::string name = partner["object_prefix"].get<std::string>() +
                                 "_20240201_20240215_20240216T060001_part000";
        const std::string client_key = partner["storage"].get<std::string>() + "/" +
                                       partner["directory"].get<std::string>() + "/" + name +
                                       export_ext;
        const std::string bytes = "20240201|office|42\n";
        ws.put(cfg["bucket"], client_key, bytes);

        std::string remote = sshd.fresh_folder("orig");
        cfg["sfts_path"] = remote.substr(1);
        cfg["sfts_host"] = "127.0.0.1";
        cfg["sfts_port"] = sshd.port();
        cfg["sfts_host_key_sha256"] = sshd.fingerprint();
        cfg["lock_dir"] = (ws.dir() / "locks").string();
        auto path = ws.write_file(entry.path().filename().string(), cfg.dump(2));
        auto r = ws.run_job("s3-to-sfts", path, {"--identity", sshd.client_key()},
                            {{"sfts_user", "root"}});
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
        const std::string ext = cfg.value("extension", "");
        const std::string delivered = name + export_ext + ext;
        EXPECT_EQ(files_in(remote), std::vector<std::string>{delivered});
        EXPECT_EQ(delivered.find(".csv.csv"), std::string::npos);
        EXPECT_EQ(read_local(remote + "/" + delivered), bytes);
        EXPECT_TRUE(ws.exists(cfg["bucket"], "processed/good/client/" +
                                                 cfg["archive_client"].get<std::string>() + "/" +
                                                 cfg["archive_directory"].get<std::string>() + "/" +
                                                 name + export_ext));
        ++checked;
    }
    EXPECT_EQ(checked, 7);
}

}  // namespace
}  // namespace gdx::test

namespace gdx::test {
namespace {

// The real chain, on the original pmrp_date_range pair: redshift-to-s3 exports to the client
// folder (no extension), s3-to-sfts delivers it as <name>.csv and marks it in its own archive.
TEST(SftsOriginalConfigs, RedshiftToS3ThenS3ToSftsDeliverTheExport) {
    const fs::path originals = originals_dir();
    const fs::path export_cfg = originals / "redshift_to_s3" / "config.d" / "pmrp_date_range.json";
    const fs::path export_dml = originals / "redshift_to_s3" / "dml" / "pmrp_date_range.sql";
    const fs::path sfts_cfg = originals / "s3_to_sfts" / "config.d" / "pmrp_date_range.json";
    if (!fs::exists(export_cfg) || !fs::exists(sfts_cfg))
        GTEST_SKIP() << "the originals' configs are not under " << originals
                     << " (set GDX_ORIGINAL_CONFIGS)";
    auto& sshd = SshdServer::shared();
    Workspace ws(Backend::Embedded);
    ws.sql("CREATE SCHEMA IF NOT EXISTS google");
    ws.sql(
        "CREATE TABLE google.google_mybusiness_servicebc_derived (client VARCHAR(255), date DATE, "
        "location VARCHAR(255), office_id INTEGER, office_site VARCHAR(255), area_number INTEGER, "
        "queries_direct INTEGER, queries_indirect INTEGER, views_maps INTEGER, views_search "
        "INTEGER, actions_website INTEGER, actions_phone INTEGER, actions_driving_directions "
        "INTEGER, local_post_views_search INTEGER, photos_count_customers INTEGER, "
        "photos_count_merchant INTEGER, photos_views_customers INTEGER, photos_views_merchant "
        "INTEGER)");
    ws.sql(
        "INSERT INTO google.google_mybusiness_servicebc_derived VALUES "
        "('servicebc', '2024-02-01', 'Victoria', 1, 'V', 3, 1,2,3,4,5,6,7,8,9,10,11,12), "
        "('servicebc', '2024-02-15', 'Nanaimo', 2, 'N', 4, 1,1,1,1,1,1,1,1,1,1,1,1)");
    ws.write_file("dml/pmrp_date_range.sql", read_local(export_dml));
    auto ecfg = load_json(export_cfg);
    const std::string bucket = ecfg["bucket"];
    ws.put(bucket,
           "processed/good/client/pmrp_gdx/pmrp_date_range/"
           "pmrp_20240101_20240131_20240201T060000_part000",
           "earlier export");
    auto r = ws.run_job("redshift-to-s3", export_cfg, {},
                        {{"GDX_NOW", "2024-02-16T06:00:01"}, {"TZ", "America/Vancouver"}});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string name = "pmrp_20240201_20240215_20240216T060001_part000";
    const std::string exported = ws.read(bucket, "client/pmrp_gdx/pmrp_date_range/" + name);
    ASSERT_FALSE(exported.empty());

    auto scfg = load_json(sfts_cfg);
    std::string remote = sshd.fresh_folder("chain");
    scfg["sfts_path"] = remote.substr(1);
    scfg["sfts_host"] = "127.0.0.1";
    scfg["sfts_port"] = sshd.port();
    scfg["sfts_host_key_sha256"] = sshd.fingerprint();
    scfg["lock_dir"] = (ws.dir() / "locks").string();
    r = ws.run_job("s3-to-sfts", ws.write_file("pmrp_date_range.json", scfg.dump(2)),
                   {"--identity", sshd.client_key()}, {{"sfts_user", "root"}});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(files_in(remote), std::vector<std::string>{name + ".csv"});
    EXPECT_EQ(read_local(remote + "/" + name + ".csv"), exported);
    EXPECT_TRUE(ws.exists(
        bucket, "processed/good/client/google-mybusiness-sfts_sbc/pmrp_date_range/" + name));
}

}  // namespace
}  // namespace gdx::test
