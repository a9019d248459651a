#include "transfer/sftp_session.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <cstring>
#include <exception>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "http/curl_support.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace gdx::transfer {
namespace {

// libcurl hands the whole buffer to libssh2, which keeps several SFTP write requests in flight
// from it: a large buffer is what makes uploads fast (2 MiB is libcurl's maximum).
constexpr long kUploadBuffer = 2 * 1024 * 1024;

bool unreserved(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
           c == '~' || c == '/';
}

std::string url_path(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (unreserved(c))
            out += c;
        else
            out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
    return out;
}

// A path argument of a libcurl SFTP quote command: always double-quoted, with \ and " escaped.
std::string quote_arg(const std::string& path) {
    std::string out = "\"";
    for (char c : path) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string parent_dir(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return "";
    return path.substr(0, slash + 1);
}

bool is_transient(CURLcode rc) {
    // libssh2's generic failure is also what a dropped session gives; the rest is the HTTP rule.
    return rc == CURLE_SSH || http::transient_curl_code(rc);
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

struct UploadState {
    store::ObjectReader* source;
    Md5 md5;
    uint64_t sent = 0;
    uint64_t limit = 0;
    bool hash = false;  // only when there is an MD5 to compare with
    bool too_long = false;
    std::exception_ptr error;
};

size_t read_upload(char* buffer, size_t size, size_t nitems, void* userdata) {
    auto* st = static_cast<UploadState*>(userdata);
    try {
        size_t n = st->source->read(buffer, size * nitems);
        st->sent += n;
        if (st->sent > st->limit) {
            st->too_long = true;
            return CURL_READFUNC_ABORT;
        }
        if (st->hash) st->md5.update(buffer, n);
        return n;
    } catch (...) {
        st->error = std::current_exception();
        return CURL_READFUNC_ABORT;
    }
}

size_t collect(char* ptr, size_t size, size_t nmemb, void* userdata) {
    static_cast<std::string*>(userdata)->append(ptr, size * nmemb);
    return size * nmemb;
}

}  // namespace

// Outside the anonymous namespace: SftpSession::Handle holds one, and GCC warns about a member
// of an internal type when the file is compiled inside a unity batch.
struct KnownHostVerdict {
    curl_khmatch match = CURLKHMATCH_OK;
    bool called = false;
};

namespace {

int check_known_host(CURL*, const curl_khkey*, const curl_khkey*, curl_khmatch match,
                     void* clientp) {
    auto* verdict = static_cast<KnownHostVerdict*>(clientp);
    verdict->called = true;
    verdict->match = match;
    return match == CURLKHMATCH_OK ? CURLKHSTAT_FINE : CURLKHSTAT_REJECT;
}

}  // namespace

struct SftpSession::Handle {
    CURL* curl = nullptr;
    char error[CURL_ERROR_SIZE] = {};
    std::string base_url;  // sftp://host:port
    std::string fingerprint;
    KnownHostVerdict known_host;

    ~Handle() { drop(); }
    void drop() {
        if (curl) curl_easy_cleanup(curl);
        curl = nullptr;
    }
};

SftpSession::SftpSession(SftpOptions options)
    : options_(std::move(options)), handle_(std::make_unique<Handle>()) {
    if (options_.host.empty()) throw ConfigError("sftp: no host given");
    if (options_.host_key_sha256.empty() && options_.known_hosts.empty())
        throw ConfigError(fmt::format(
            "sftp {}:{}: the server's host key is not pinned, so gdx will not connect: set "
            "\"sfts_host_key_sha256\" to its SHA-256 fingerprint (get it with `{}` and confirm "
            "it with the server's administrators) or \"sfts_known_hosts\" to a known_hosts file",
            options_.host, options_.port, fingerprint_hint(options_.host, options_.port)));
    if (!options_.host_key_sha256.empty())
        handle_->fingerprint =
            normalize_sha256_fingerprint(options_.host_key_sha256, "sfts_host_key_sha256");
    if (options_.user.empty())
        throw ConfigError("sftp: no user name given (set the sfts_user environment variable)");
    if (options_.password.empty() && options_.identity_file.empty())
        throw ConfigError(
            "sftp: no credentials: set the sfts_pass environment variable or give a private key "
            "(--identity FILE or \"sfts_identity\")");
    util::add_secret(options_.password);
    handle_->base_url = fmt::format("sftp://{}:{}", options_.host, options_.port);
}

SftpSession::~SftpSession() = default;

std::string SftpSession::describe() const {
    return fmt::format("sftp://{}@{}:{}", options_.user, options_.host, options_.port);
}

namespace {

std::string remote_url(const std::string& base, const std::string& path) {
    // sftp://host/abs/path is absolute; sftp://host/~/rel is relative to the login folder.
    if (!path.empty() && path[0] == '/') return base + url_path(path);
    return base + "/~/" + url_path(path);
}

}  // namespace

// Resets the handle (the SSH connection survives a reset) and sets what every operation needs.
CURL* SftpSession::prepare(const std::string& path) {
    Handle& h = *handle_;
    const SftpOptions& o = options_;
    if (!h.curl) h.curl = curl_easy_init();
    if (!h.curl) throw BackendError("sftp: curl_easy_init failed");
    CURL* c = h.curl;
    curl_easy_reset(c);
    h.error[0] = 0;
    h.known_host = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h.error);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_URL, remote_url(h.base_url, path).c_str());
    curl_easy_setopt(c, CURLOPT_USERNAME, o.user.c_str());
    long auth = 0;
    if (!o.identity_file.empty()) {
        auth |= CURLSSH_AUTH_PUBLICKEY;
        curl_easy_setopt(c, CURLOPT_SSH_PRIVATE_KEYFILE, o.identity_file.c_str());
        curl_easy_setopt(c, CURLOPT_SSH_PUBLIC_KEYFILE, "");  // libssh2 derives it
    }
    if (!o.password.empty()) {
        auth |= CURLSSH_AUTH_PASSWORD | CURLSSH_AUTH_KEYBOARD;
        curl_easy_setopt(c, CURLOPT_PASSWORD, o.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_SSH_AUTH_TYPES, auth);
    if (!h.fingerprint.empty())
        curl_easy_setopt(c, CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, h.fingerprint.c_str());
    if (!o.known_hosts.empty()) {
        curl_easy_setopt(c, CURLOPT_SSH_KNOWNHOSTS, o.known_hosts.c_str());
        curl_easy_setopt(c, CURLOPT_SSH_KEYFUNCTION, check_known_host);
        curl_easy_setopt(c, CURLOPT_SSH_KEYDATA, &h.known_host);
    }
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o.connect_timeout_seconds);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o.stall_timeout_seconds);
    return c;
}

// Throws the error of a failed operation with the server's text. A transient failure drops
// the connection, so that the next operation (a retry) starts a fresh session.
void SftpSession::fail(CURLcode rc, const std::string& what, const std::string& path) {
    Handle& h = *handle_;
    std::string detail = h.error[0] ? h.error : curl_easy_strerror(rc);
    std::string where = describe();
    if (rc == CURLE_PEER_FAILED_VERIFICATION ||
        (h.known_host.called && h.known_host.match != CURLKHMATCH_OK)) {
        std::string why = h.known_host.called && h.known_host.match == CURLKHMATCH_MISSING
                              ? fmt::format("the host is not in {}", options_.known_hosts)
                          : h.known_host.called ? fmt::format("its key differs from the one in {}",
                                                              options_.known_hosts)
                                                : "its key does not match sfts_host_key_sha256";
        h.drop();
        throw SessionRefused(util::redact(fmt::format(
            "{}: refused to connect: the server's host key is not the pinned one ({}; {}). If "
            "the server's key really changed, get the new fingerprint with `{}`, confirm it "
            "with the server's administrators and update the config",
            where, why, detail, fingerprint_hint(options_.host, options_.port))));
    }
    if (rc == CURLE_LOGIN_DENIED) {
        h.drop();
        throw SessionRefused(util::redact(fmt::format(
            "{}: authentication failed for user {} ({}; tried: {}{})", where, options_.user, detail,
            options_.identity_file.empty() ? "" : "key " + options_.identity_file,
            options_.password.empty()
                ? ""
                : (options_.identity_file.empty() ? "password (sfts_pass)"
                                                  : ", then password (sfts_pass)"))));
    }
    bool transient = is_transient(rc);
    if (transient) h.drop();
    throw BackendError(util::redact(fmt::format("{}: {} {} failed: {}", where, what, path, detail)),
                       transient);
}

std::optional<uint64_t> SftpSession::size_of(const std::string& path) {
    CURL* c = prepare(path);
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_REMOTE_FILE_NOT_FOUND) return std::nullopt;
    if (rc != CURLE_OK) fail(rc, "stat", path);
    curl_off_t length = -1;
    curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    // libcurl reports an empty file as "size unknown".
    return length < 0 ? 0 : static_cast<uint64_t>(length);
}

void SftpSession::upload(const std::string& path, store::ObjectReader& source,
                         const UploadExpectation& expect) {
    UploadState st;
    st.source = &source;
    st.limit = expect.size;
    st.hash = !expect.md5_hex.empty();
    CURL* c = prepare(path);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, kUploadBuffer);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(expect.size));
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &st);
    if (options_.create_missing_folders)
        curl_easy_setopt(c, CURLOPT_FTP_CREATE_MISSING_DIRS, CURLFTP_CREATE_DIR);
    CURLcode rc = curl_easy_perform(c);
    if (st.error) std::rethrow_exception(st.error);
    if (st.too_long)
        throw BackendError(
            fmt::format("{}: upload {}: the source has more than the {} bytes "
                        "it announced; upload stopped",
                        describe(), path, expect.size));
    if (rc == CURLE_REMOTE_FILE_NOT_FOUND && !options_.create_missing_folders)
        throw BackendError(util::redact(fmt::format(
            "{}: upload {}: the remote folder {} does not exist ({}); create it on the server, or "
            "set \"sfts_create_folders\": true to let gdx create it",
            describe(), path, parent_dir(path), handle_->error[0] ? handle_->error : "")));
    if (rc != CURLE_OK) fail(rc, "upload", path);
    if (st.sent != expect.size)
        throw BackendError(fmt::format("{}: upload {}: the source gave {} bytes, expected {}",
                                       describe(), path, st.sent, expect.size));
    if (!expect.md5_hex.empty()) {
        std::string md5 = st.md5.hex();
        if (md5 != expect.md5_hex)
            throw BackendError(
                fmt::format("{}: upload {}: MD5 of the bytes sent is {}, the "
                            "store says {}",
                            describe(), path, md5, expect.md5_hex));
    }
}

void SftpSession::run_quote(const std::string& dir, const std::string& command,
                            const std::string& what, const std::string& path) {
    CURL* c = prepare(dir);
    curl_slist* cmds = curl_slist_append(nullptr, command.c_str());
    curl_easy_setopt(c, CURLOPT_QUOTE, cmds);
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(cmds);
    if (rc != CURLE_OK) fail(rc, what, path);
}

void SftpSession::rename(const std::string& from, const std::string& to) {
    run_quote(parent_dir(to), "rename " + quote_arg(from) + " " + quote_arg(to), "rename",
              from + " -> " + to);
}

void SftpSession::remove(const std::string& path) {
    run_quote(parent_dir(path), "rm " + quote_arg(path), "remove", path);
}

std::vector<std::string> SftpSession::list(const std::string& dir) {
    std::string d = dir.empty() || dir.back() == '/' ? dir : dir + "/";
    std::string body;
    CURL* c = prepare(d);
    curl_easy_setopt(c, CURLOPT_DIRLISTONLY, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) fail(rc, "list", d);
    std::vector<std::string> names;
    size_t start = 0;
    while (start < body.size()) {
        size_t end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        std::string name = body.substr(start, end - start);
        if (!name.empty() && name.back() == '\r') name.pop_back();
        if (!name.empty() && name != "." && name != "..") names.push_back(name);
        start = end + 1;
    }
    return names;
}

}  // namespace gdx::transfer
