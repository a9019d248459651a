// SftpSession against a real OpenSSH sshd (internal-sftp) on loopback.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "../../fakes/sshd_server.hpp"
#include "transfer/sftp_session.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace gdx::transfer {
namespace {

namespace fs = std::filesystem;
using gdx::testing::SshdServer;

class StringReader : public store::ObjectReader {
public:
    explicit StringReader(std::string data) : data_(std::move(data)) {}
    size_t read(char* dst, size_t capacity) override {
        size_t n = std::min(capacity, data_.size() - pos_);
        std::memcpy(dst, data_.data() + pos_, n);
        pos_ += n;
        return n;
    }

private:
    std::string data_;
    size_t pos_ = 0;
};

SftpOptions key_options(SshdServer& s) {
    SftpOptions o;
    o.host = "127.0.0.1";
    o.port = s.port();
    o.user = "root";
    o.identity_file = s.client_key();
    o.host_key_sha256 = s.fingerprint();
    return o;
}

std::string md5_hex_of(const std::string& data) {
    std::string path = SshdServer::shared().dir() + "/md5-input";
    std::ofstream(path, std::ios::binary) << data;
    auto out = gdx::testing::run_command("md5sum " + path + " | cut -c1-32");
    return out.substr(0, 32);
}

TEST(SftpSession, UploadStatRenameListRemove) {
    auto& s = SshdServer::shared();
    std::string dir = s.fresh_folder("basic");
    SftpSession session(key_options(s));
    std::string data(5'000'000, 'x');
    for (size_t i = 0; i < data.size(); i += 997) data[i] = static_cast<char>('a' + i % 26);

    EXPECT_EQ(session.size_of(dir + "/f.csv.part"), std::nullopt);
    StringReader in(data);
    session.upload(dir + "/f.csv.part", in, {data.size(), md5_hex_of(data)});
    EXPECT_EQ(session.size_of(dir + "/f.csv.part"), data.size());
    session.rename(dir + "/f.csv.part", dir + "/f.csv");
    EXPECT_EQ(SshdServer::read_file(dir + "/f.csv"), data);
    EXPECT_FALSE(fs::exists(dir + "/f.csv.part"));
    EXPECT_EQ(session.list(dir), std::vector<std::string>{"f.csv"});

    StringReader empty("");
    session.upload(dir + "/empty", empty, {0, ""});
    EXPECT_EQ(session.size_of(dir + "/empty"), 0u);
    session.remove(dir + "/empty");
    EXPECT_FALSE(fs::exists(dir + "/empty"));
}

TEST(SftpSession, NamesWithSpacesAndQuotes) {
    auto& s = SshdServer::shared();
    std::string dir = s.fresh_folder("odd names");
    SftpSession session(key_options(s));
    StringReader in("abc");
    std::string name = dir + "/a \"b\" #c%.csv";
    session.upload(name + ".part", in, {3, ""});
    session.rename(name + ".part", name);
    EXPECT_EQ(SshdServer::read_file(name), "abc");
    EXPECT_EQ(session.size_of(name), 3u);
}

TEST(SftpSession, RelativePathsAreUnderTheLoginFolder) {
    auto& s = SshdServer::shared();
    fs::create_directories(s.home() + "/rel/sub");
    SftpSession session(key_options(s));
    StringReader in("hello");
    session.upload("rel/sub/r.txt.part", in, {5, ""});
    session.rename("rel/sub/r.txt.part", "rel/sub/r.txt");
    EXPECT_EQ(SshdServer::read_file(s.home() + "/rel/sub/r.txt"), "hello");
    EXPECT_EQ(session.size_of("rel/sub/r.txt"), 5u);
}

TEST(SftpSession, RenameNeverOverwrites) {
    auto& s = SshdServer::shared();
    std::string dir = s.fresh_folder("norename");
    SftpSession session(key_options(s));
    StringReader a("first"), b("second");
    session.upload(dir + "/x", a, {5, ""});
    session.upload(dir + "/x.part", b, {6, ""});
    EXPECT_THROW(session.rename(dir + "/x.part", dir + "/x"), BackendError);
    EXPECT_EQ(SshdServer::read_file(dir + "/x"), "first");
}

TEST(SftpSession, LengthAndMd5AreCheckedWhileStreaming) {
    auto& s = SshdServer::shared();
    std::string dir = s.fresh_folder("verify");
    SftpSession session(key_options(s));
    StringReader short_in("abc");
    EXPECT_THROW(session.upload(dir + "/short", short_in, {4, ""}), BackendError);
    StringReader long_in("abcde");
    EXPECT_THROW(session.upload(dir + "/long", long_in, {4, ""}), BackendError);
    StringReader md5_in("abcd");
    try {
        session.upload(dir + "/md5", md5_in, {4, std::string(32, '0')});
        FAIL() << "an MD5 mismatch must fail";
    } catch (const BackendError& e) {
        EXPECT_NE(std::string(e.what()).find("MD5"), std::string::npos) << e.what();
    }
    // The session still works afterwards.
    StringReader ok("abcd");
    session.upload(dir + "/ok", ok, {4, md5_hex_of("abcd")});
    EXPECT_EQ(SshdServer::read_file(dir + "/ok"), "abcd");
}

// The hook that lets a journal start beside the upload's last round trips runs once, when the
// whole source has been read and matched, with the remote file already created; never for a
// source that fails its checks.
TEST(SftpSession, SourceVerifiedRunsOnceAfterTheChecksPass) {
    auto& s = SshdServer::shared();
    std::string dir = s.fresh_folder("verified-hook");
    SftpSession session(key_options(s));
    std::string data(5'000'000, 'v');  // more than one fill of the upload buffer
    int calls = 0;
    bool existed = false;
    StringReader in(data);
    session.upload(dir + "/big", in, {data.size(), md5_hex_of(data)}, [&] {
        ++calls;
        existed = fs::exists(dir + "/big");
    });
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(existed);
    EXPECT_EQ(SshdServer::read_file(dir + "/big"), data);

    calls = 0;
    StringReader wrong_md5("abcd"), short_in("abc"), long_in("abcde");
    EXPECT_THROW(session.upload(dir + "/m", wrong_md5, {4, std::string(32, '0')}, [&] { ++calls; }),
                 BackendError);
    EXPECT_THROW(session.upload(dir + "/s", short_in, {4, ""}, [&] { ++calls; }), BackendError);
    EXPECT_THROW(session.upload(dir + "/l", long_in, {4, ""}, [&] { ++calls; }), BackendError);
    EXPECT_EQ(calls, 0);
}

TEST(SftpSession, FingerprintAcceptedBareAndPadded) {
    auto& s = SshdServer::shared();
    std::string bare = s.fingerprint().substr(7);
    for (std::string fp : {bare, bare + "="}) {
        auto o = key_options(s);
        o.host_key_sha256 = fp;
        SftpSession session(o);
        EXPECT_EQ(session.size_of(s.root() + "/nothing-here"), std::nullopt);
    }
}

TEST(SftpSession, KnownHostsFile) {
    auto& s = SshdServer::shared();
    auto o = key_options(s);
    o.host_key_sha256.clear();
    o.known_hosts = s.known_hosts();
    SftpSession session(o);
    EXPECT_EQ(session.size_of(s.root() + "/nothing-here"), std::nullopt);
}

std::string error_of(const SftpOptions& o, const std::string& path) {
    try {
        SftpSession session(o);
        session.size_of(path);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

TEST(SftpSession, WrongHostKeyIsRefusedWithTheHowTo) {
    auto& s = SshdServer::shared();
    auto o = key_options(s);
    o.host_key_sha256 = s.other_fingerprint();
    std::string msg = error_of(o, s.root() + "/x");
    EXPECT_NE(msg.find("host key"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ssh-keyscan -p " + std::to_string(s.port()) + " 127.0.0.1"),
              std::string::npos)
        << msg;

    o.host_key_sha256.clear();
    o.known_hosts = s.wrong_known_hosts();
    msg = error_of(o, s.root() + "/x");
    EXPECT_NE(msg.find("differs"), std::string::npos) << msg;

    o.known_hosts = s.dir() + "/authorized_keys";  // no entry for the host at all
    msg = error_of(o, s.root() + "/x");
    EXPECT_NE(msg.find("not in"), std::string::npos) << msg;
}

TEST(SftpSession, NoPinNoConnection) {
    auto& s = SshdServer::shared();
    auto o = key_options(s);
    o.host_key_sha256.clear();
    try {
        SftpSession session(o);
        FAIL() << "a session without a pinned host key must not be created";
    } catch (const ConfigError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("sfts_host_key_sha256"), std::string::npos) << msg;
        EXPECT_NE(msg.find("ssh-keygen -lf -"), std::string::npos) << msg;
    }
    o.host_key_sha256 = "SHA256:not-a-fingerprint";
    EXPECT_THROW(SftpSession{o}, ConfigError);
}

TEST(SftpSession, WrongKeyOrPasswordIsAClearErrorWithoutTheSecret) {
    auto& s = SshdServer::shared();
    auto o = key_options(s);
    o.identity_file = s.unknown_key();
    std::string msg = error_of(o, s.root() + "/x");
    EXPECT_NE(msg.find("authentication failed for user root"), std::string::npos) << msg;
    EXPECT_NE(msg.find(s.unknown_key()), std::string::npos) << msg;

    o.identity_file.clear();
    o.password = "Sup3r-Secret-Pw";
    msg = error_of(o, s.root() + "/x");
    EXPECT_NE(msg.find("authentication failed"), std::string::npos) << msg;
    EXPECT_NE(msg.find("password (sfts_pass)"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("Sup3r-Secret-Pw"), std::string::npos) << msg;
    EXPECT_EQ(util::redact("x Sup3r-Secret-Pw y").find("Sup3r"), std::string::npos);
}

TEST(SftpSession, KeyIsTriedBeforeThePassword) {
    auto& s = SshdServer::shared();
    auto o = key_options(s);
    o.password = "not-the-password";  // the server takes keys only: the key must win
    SftpSession session(o);
    EXPECT_EQ(session.size_of(s.root() + "/nothing"), std::nullopt);
}

TEST(SftpSession, ReadOnlyFolderFailsWithTheServersText) {
    auto& s = SshdServer::shared();
    if (::geteuid() == 0) {
        // root ignores permissions; a folder of another owner would not help either, so the
        // read-only case is a missing folder here (the server's "No such file" text).
        SftpSession session(key_options(s));
        StringReader in("x");
        try {
            session.upload(s.root() + "/no-such-folder/f", in, {1, ""});
            FAIL();
        } catch (const BackendError& e) {
            EXPECT_NE(std::string(e.what()).find("no-such-folder/f"), std::string::npos);
            EXPECT_FALSE(e.transient()) << e.what();
        }
    }
}

}  // namespace
}  // namespace gdx::transfer

namespace gdx::transfer {
namespace {

size_t logins(const SshdServer& s) {
    std::string log = SshdServer::read_file(s.dir() + "/sshd.log");
    size_t n = 0;
    for (size_t p = 0; (p = log.find("Accepted publickey", p)) != std::string::npos; ++p) ++n;
    return n;
}

TEST(SftpSession, OneConnectionForManyOperations) {
    auto& s = SshdServer::shared();
    std::string dir = s.fresh_folder("reuse");
    SftpSession session(key_options(s));
    session.size_of(dir + "/a");
    size_t before = logins(s);
    ASSERT_GE(before, 1u);  // the log does record logins
    for (int i = 0; i < 10; ++i) {
        StringReader in("data");
        std::string name = dir + "/f" + std::to_string(i);
        session.upload(name + ".part", in, {4, ""});
        session.size_of(name + ".part");
        session.rename(name + ".part", name);
    }
    EXPECT_EQ(session.list(dir).size(), 10u);
    EXPECT_EQ(logins(s), before);
}

}  // namespace
}  // namespace gdx::transfer
