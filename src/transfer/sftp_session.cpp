#include "transfer/sftp_session.hpp"

#include <openssl/evp.h>

#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/redact.hpp"

namespace gdx::transfer {
namespace {

// Bytes of write requests kept in flight during an upload: OpenSSH's sftp keeps 64 requests of
// 32 KiB. libssh2 cuts what it is given into requests of 30,000 bytes and sends them all
// before it waits for the first acknowledgement; the buffer holds twice as much, so that the
// next bytes are read from the store while those are on their way.
constexpr size_t kInFlight = 2 * 1024 * 1024;
constexpr size_t kUploadBuffer = 2 * kInFlight;

// New files get rw-r--r--, new folders rwxr-xr-x (as libcurl did before, and OpenSSH's sftp).
constexpr long kFileMode =
    LIBSSH2_SFTP_S_IRUSR | LIBSSH2_SFTP_S_IWUSR | LIBSSH2_SFTP_S_IRGRP | LIBSSH2_SFTP_S_IROTH;
constexpr long kFolderMode =
    kFileMode | LIBSSH2_SFTP_S_IXUSR | LIBSSH2_SFTP_S_IXGRP | LIBSSH2_SFTP_S_IXOTH;

std::string parent_dir(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return "";
    return path.substr(0, slash + 1);
}

unsigned int length_of(const std::string& s) {
    return static_cast<unsigned int>(s.size());
}

// The SFTP status codes' meaning (draft-ietf-secsh-filexfer-02 and later).
std::string status_text(unsigned long status) {
    static const char* const kTexts[] = {
        "OK",
        "End of file",
        "No such file or directory",
        "Permission denied",
        "Operation failed",
        "Bad message",
        "No connection",
        "Connection lost",
        "Operation not supported by the server",
        "Invalid handle",
        "No such path",
        "File already exists",
        "Write protected",
        "No media",
        "No space left on the server's file system",
        "Quota exceeded",
        "Unknown principal",
        "Lock conflict",
        "Folder not empty",
        "Not a folder",
        "Invalid file name",
        "Link loop",
    };
    const char* text = status < std::size(kTexts) ? kTexts[status] : "Unknown status";
    return fmt::format("{} (SFTP status {})", text, status);
}

bool is_missing(unsigned long status) {
    return status == LIBSSH2_FX_NO_SUCH_FILE || status == LIBSSH2_FX_NO_SUCH_PATH;
}

class Md5 {
public:
    Md5() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_md5(), nullptr); }
    ~Md5() { EVP_MD_CTX_free(ctx_); }
    Md5(const Md5&) = delete;
    Md5& operator=(const Md5&) = delete;
    void update(const char* p, size_t n) { EVP_DigestUpdate(ctx_, p, n); }
    std::string hex() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_DigestFinal_ex(ctx_, digest, &len);
        std::string out;
        for (unsigned i = 0; i < len; ++i) out += fmt::format("{:02x}", digest[i]);
        return out;
    }

private:
    EVP_MD_CTX* ctx_;
};

// An open remote file or folder; closed when it goes out of scope unless closed before.
class RemoteHandle {
public:
    explicit RemoteHandle(LIBSSH2_SFTP_HANDLE* h) : h_(h) {}
    ~RemoteHandle() {
        if (h_) libssh2_sftp_close_handle(h_);
    }
    RemoteHandle(const RemoteHandle&) = delete;
    RemoteHandle& operator=(const RemoteHandle&) = delete;
    LIBSSH2_SFTP_HANDLE* get() const { return h_; }
    // The server's answer to the close (an upload's last chance to report a failure).
    int close() {
        int rc = libssh2_sftp_close_handle(h_);
        h_ = nullptr;
        return rc;
    }

private:
    LIBSSH2_SFTP_HANDLE* h_;
};

// Reads the source for an upload, checking its length and hashing it on the way.
struct SourceCheck {
    SourceCheck(store::ObjectReader& in, const UploadExpectation& e) : source(in), expect(e) {}
    store::ObjectReader& source;
    const UploadExpectation& expect;
    Md5 md5;
    uint64_t sent = 0;
    bool too_long = false;
    bool done = false;

    size_t read(char* dst, size_t capacity) {
        size_t n = source.read(dst, capacity);
        if (n == 0) done = true;
        sent += n;
        if (sent > expect.size) {
            too_long = done = true;
            return 0;
        }
        if (!expect.md5_hex.empty()) md5.update(dst, n);
        return n;
    }
};

// Throws when the source, read to its end, is not what the store announced.
void verify_source(const std::string& server, const std::string& path, SourceCheck& in,
                   const UploadExpectation& expect) {
    if (in.sent != expect.size)
        throw BackendError(fmt::format("{}: upload {}: the source gave {} bytes, expected {}",
                                       server, path, in.sent, expect.size));
    if (expect.md5_hex.empty()) return;
    const std::string md5 = in.md5.hex();
    if (md5 != expect.md5_hex)
        throw BackendError(fmt::format(
            "{}: upload {}: MD5 of the bytes sent is {}, the store says {}; upload stopped", server,
            path, md5, expect.md5_hex));
}

}  // namespace

SftpSession::SftpSession(SftpOptions options) : options_(std::move(options)) {
    if (options_.host.empty()) throw ConfigError("sftp: no host given");
    if (options_.host_key_sha256.empty() && options_.known_hosts.empty())
        throw ConfigError(fmt::format(
            "sftp {}:{}: the server's host key is not pinned, so gdx will not connect: set "
            "\"sfts_host_key_sha256\" to its SHA-256 fingerprint (get it with `{}` and confirm "
            "it with the server's administrators) or \"sfts_known_hosts\" to a known_hosts file",
            options_.host, options_.port, fingerprint_hint(options_.host, options_.port)));
    if (!options_.host_key_sha256.empty())
        pin_ = normalize_sha256_fingerprint(options_.host_key_sha256, "sfts_host_key_sha256");
    if (options_.user.empty())
        throw ConfigError("sftp: no user name given (set the sfts_user environment variable)");
    if (options_.password.empty() && options_.identity_file.empty())
        throw ConfigError(
            "sftp: no credentials: set the sfts_pass environment variable or give a private key "
            "(--identity FILE or \"sfts_identity\")");
    util::add_secret(options_.password);
}

SftpSession::~SftpSession() = default;

std::string SftpSession::describe() const {
    return fmt::format("sftp://{}@{}:{}", options_.user, options_.host, options_.port);
}

SshConnection& SftpSession::connection() {
    if (connection_ && connection_->broken()) connection_.reset();
    if (!connection_) connection_ = std::make_unique<SshConnection>(options_, pin_, describe());
    return *connection_;
}

std::string SftpSession::on_server(const std::string& path) {
    if (!path.empty() && path[0] == '/') return path;
    const std::string& home = connection().home();
    if (path.empty()) return home;
    return home.empty() || home.back() == '/' ? home + path : home + "/" + path;
}

unsigned long SftpSession::last_status() const {
    if (!connection_ || !connection_->last_error_is_status()) return 0;
    return libssh2_sftp_last_error(connection_->sftp());
}

void SftpSession::fail(const std::string& what, const std::string& path) {
    if (unsigned long status = last_status())
        throw BackendError(util::redact(
            fmt::format("{}: {} {} failed: {}", describe(), what, path, status_text(status))));
    std::string detail = connection_ ? connection_->last_error() : "no connection";
    // Dropped at the next operation, after the handles open on it are closed while this
    // error unwinds.
    if (connection_) connection_->mark_broken();
    throw BackendError(util::redact(fmt::format("{}: {} {} failed: {}", describe(), what, path,
                                                detail.empty() ? "connection lost" : detail)),
                       true);
}

std::optional<uint64_t> SftpSession::size_of(const std::string& path) {
    const std::string p = on_server(path);
    LIBSSH2_SFTP_ATTRIBUTES attrs{};
    if (libssh2_sftp_stat_ex(connection().sftp(), p.c_str(), length_of(p), LIBSSH2_SFTP_STAT,
                             &attrs) != 0) {
        if (is_missing(last_status())) return std::nullopt;
        fail("stat", path);
    }
    if (!(attrs.flags & LIBSSH2_SFTP_ATTR_SIZE))
        throw BackendError(fmt::format("{}: stat {}: the server gave no size", describe(), path));
    return attrs.filesize;
}

// Creates each missing folder of `dir` (an absolute path); folders that exist stay as they are.
void SftpSession::make_folders(const std::string& dir) {
    for (size_t slash = dir.find('/', 1); slash != std::string::npos;
         slash = dir.find('/', slash + 1)) {
        const std::string folder = dir.substr(0, slash);
        libssh2_sftp_mkdir_ex(connection().sftp(), folder.c_str(), length_of(folder),
                              kFolderMode);  // fails when it exists; the open below tells
    }
}

void SftpSession::upload(const std::string& path, store::ObjectReader& source,
                         const UploadExpectation& expect,
                         const std::function<void()>& source_verified) {
    const std::string p = on_server(path);
    auto open = [&] {
        return libssh2_sftp_open_ex(connection().sftp(), p.c_str(), length_of(p),
                                    LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC,
                                    kFileMode, LIBSSH2_SFTP_OPENFILE);
    };
    LIBSSH2_SFTP_HANDLE* opened = open();
    if (!opened && is_missing(last_status())) {
        if (!options_.create_missing_folders)
            throw BackendError(util::redact(fmt::format(
                "{}: upload {}: the remote folder {} does not exist ({}); create it on the "
                "server, or set \"sfts_create_folders\": true to let gdx create it",
                describe(), path, parent_dir(path), status_text(last_status()))));
        make_folders(parent_dir(p));
        opened = open();
    }
    if (!opened) fail("upload", path);

    RemoteHandle file(opened);
    SourceCheck in(source, expect);
    bool verified = false;
    std::vector<char> buffer(kUploadBuffer);
    size_t begin = 0, end = 0;  // bytes not yet acknowledged by the server
    while (true) {
        if (!in.done && end - begin < kInFlight) {
            std::memmove(buffer.data(), buffer.data() + begin, end - begin);
            end -= begin;
            begin = 0;
            while (!in.done && end < kInFlight)
                end += in.read(buffer.data() + end, kUploadBuffer - end);
        }
        if (in.too_long)
            throw BackendError(
                fmt::format("{}: upload {}: the source has more than the {} bytes "
                            "it announced; upload stopped",
                            describe(), path, expect.size));
        if (in.done && !verified) {
            verify_source(describe(), path, in, expect);
            verified = true;
            if (source_verified) source_verified();
        }
        if (begin == end) break;
        ssize_t acknowledged = libssh2_sftp_write(file.get(), buffer.data() + begin, end - begin);
        if (acknowledged < 0) fail("upload", path);
        begin += static_cast<size_t>(acknowledged);
    }
    if (file.close() != 0) fail("upload", path);
}

void SftpSession::rename(const std::string& from, const std::string& to) {
    const std::string f = on_server(from), t = on_server(to);
    // No OVERWRITE flag: the server refuses when `to` exists (SFTP v3 servers always do).
    if (libssh2_sftp_rename_ex(connection().sftp(), f.c_str(), length_of(f), t.c_str(),
                               length_of(t),
                               LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE) != 0)
        fail("rename", from + " -> " + to);
}

void SftpSession::remove(const std::string& path) {
    const std::string p = on_server(path);
    if (libssh2_sftp_unlink_ex(connection().sftp(), p.c_str(), length_of(p)) != 0)
        fail("remove", path);
}

std::vector<std::string> SftpSession::list(const std::string& dir) {
    const std::string p = on_server(dir);
    LIBSSH2_SFTP_HANDLE* opened = libssh2_sftp_open_ex(connection().sftp(), p.c_str(), length_of(p),
                                                       0, 0, LIBSSH2_SFTP_OPENDIR);
    if (!opened) fail("list", dir);
    RemoteHandle folder(opened);
    std::vector<std::string> names;
    char name[4096];
    while (true) {
        LIBSSH2_SFTP_ATTRIBUTES attrs{};
        int n = libssh2_sftp_readdir_ex(folder.get(), name, sizeof name, nullptr, 0, &attrs);
        if (n == 0) break;
        if (n < 0) fail("list", dir);
        std::string entry(name, static_cast<size_t>(n));
        if (entry != "." && entry != "..") names.push_back(std::move(entry));
    }
    return names;
}

}  // namespace gdx::transfer
