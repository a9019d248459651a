#include "transfer/ssh_connection.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

#include "util/redact.hpp"

namespace gdx::transfer {
namespace {

// Counter mode with an HMAC: the AES modes of libssh2 1.10 that are not CBC. The CPU's AES and
// SHA instructions make aes128-ctr + hmac-sha2-256 the fastest of them; the others stay in
// the list for servers that do not offer it. libssh2 1.10 has no chacha20-poly1305, no GCM
// and no encrypt-then-MAC modes.
constexpr const char* kCiphers = "aes128-ctr,aes192-ctr,aes256-ctr";
constexpr const char* kMacs = "hmac-sha2-256,hmac-sha2-512,hmac-sha1";

void init_libssh2_once() {
    static std::once_flag once;
    std::call_once(once, [] { libssh2_init(0); });
}

bool wait_connected(int fd, long timeout_seconds, std::string& error) {
    pollfd p{fd, POLLOUT, 0};
    int rc = ::poll(&p, 1, static_cast<int>(timeout_seconds * 1000));
    if (rc == 0) {
        error = fmt::format("no answer within {} s", timeout_seconds);
        return false;
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (rc < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0) so_error = errno;
    if (so_error == 0) return true;
    error = std::strerror(so_error);
    return false;
}

// A connected, blocking TCP socket with Nagle off: SFTP's small requests must not wait for the
// previous segment's acknowledgement.
int connect_socket(const std::string& host, int port, long timeout_seconds,
                   const std::string& where) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found))
        throw BackendError(fmt::format("{}: cannot resolve {}: {}", where, host, gai_strerror(rc)),
                           true);
    std::string error = "no address";
    for (addrinfo* ai = found; ai; ai = ai->ai_next) {
        int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                          ai->ai_protocol);
        if (fd < 0) {
            error = std::strerror(errno);
            continue;
        }
        bool ok = ::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
        if (!ok && errno == EINPROGRESS)
            ok = wait_connected(fd, timeout_seconds, error);
        else if (!ok)
            error = std::strerror(errno);
        if (ok) {
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            ::freeaddrinfo(found);
            return fd;
        }
        ::close(fd);
    }
    ::freeaddrinfo(found);
    throw BackendError(fmt::format("{}: cannot connect: {}", where, error), true);
}

std::string base64_unpadded(const unsigned char* data, size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<size_t>(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    return out;
}

// The known_hosts key type of a host key type from the handshake, and the method name that
// makes the server present a key of a known_hosts entry's type.
struct KeyType {
    int session_type;
    int known_host_bit;
    const char* method;
};
constexpr KeyType kKeyTypes[] = {
    {LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519"},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256"},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384"},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521"},
    {LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "rsa-sha2-512,rsa-sha2-256,ssh-rsa"},
};

struct KnownHosts {
    explicit KnownHosts(LIBSSH2_SESSION* s, const std::string& file)
        : hosts(libssh2_knownhost_init(s)) {
        // An unreadable file or line leaves the host "not found", which the check reports.
        if (hosts) libssh2_knownhost_readfile(hosts, file.c_str(), LIBSSH2_KNOWNHOST_FILE_OPENSSH);
    }
    ~KnownHosts() {
        if (hosts) libssh2_knownhost_free(hosts);
    }
    KnownHosts(const KnownHosts&) = delete;
    KnownHosts& operator=(const KnownHosts&) = delete;
    LIBSSH2_KNOWNHOSTS* hosts;
};

void answer_with_password(const char*, int, const char*, int, int num_prompts,
                          const LIBSSH2_USERAUTH_KBDINT_PROMPT*,
                          LIBSSH2_USERAUTH_KBDINT_RESPONSE* responses, void** abstract) {
    const auto* password = static_cast<const std::string*>(*abstract);
    for (int i = 0; i < num_prompts; ++i) {
        // libssh2 frees each answer with free().
        responses[i].text = static_cast<char*>(std::malloc(password->size() + 1));
        if (!responses[i].text) continue;
        std::memcpy(responses[i].text, password->c_str(), password->size() + 1);
        responses[i].length = static_cast<unsigned int>(password->size());
    }
}

bool is_network_error(int rc) {
    return rc == LIBSSH2_ERROR_SOCKET_SEND || rc == LIBSSH2_ERROR_SOCKET_RECV ||
           rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_TIMEOUT ||
           rc == LIBSSH2_ERROR_TIMEOUT || rc == LIBSSH2_ERROR_BANNER_RECV ||
           rc == LIBSSH2_ERROR_BANNER_SEND || rc == LIBSSH2_ERROR_CHANNEL_CLOSED ||
           rc == LIBSSH2_ERROR_CHANNEL_EOF_SENT;
}

}  // namespace

SshConnection::SshConnection(const SftpOptions& o, const std::string& pin, const std::string& where)
    : where_(where), password_(o.password) {
    init_libssh2_once();
    try {
        fd_ = connect_socket(o.host, o.port, o.connect_timeout_seconds, where_);
        session_ = libssh2_session_init_ex(nullptr, nullptr, nullptr, &password_);
        if (!session_) throw BackendError(where_ + ": libssh2_session_init failed");
        libssh2_session_set_blocking(session_, 1);
        handshake(o, pin);
        log_in(o);
        sftp_ = libssh2_sftp_init(session_);
        if (!sftp_)
            throw BackendError(fmt::format("{}: SFTP not available: {}", where_, last_error()),
                               true);
        char home[4096];
        int n = libssh2_sftp_realpath(sftp_, ".", home, sizeof home);
        if (n < 0)
            throw BackendError(
                fmt::format("{}: cannot resolve the login folder: {}", where_, last_error()), true);
        home_.assign(home, static_cast<size_t>(n));
        // From now on a call that moves nothing for this long fails (a hung server).
        libssh2_session_set_timeout(session_, o.stall_timeout_seconds * 1000);
    } catch (...) {
        close();
        throw;
    }
}

SshConnection::~SshConnection() {
    close();
}

void SshConnection::close() {
    // A dead or hung connection must not hold the close up.
    if (session_) libssh2_session_set_timeout(session_, 1000);
    if (sftp_) libssh2_sftp_shutdown(sftp_);
    sftp_ = nullptr;
    if (session_) {
        libssh2_session_disconnect(session_, "done");
        libssh2_session_free(session_);
    }
    session_ = nullptr;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

std::string SshConnection::last_error() const {
    if (!session_) return "";
    char* message = nullptr;
    int length = 0;
    libssh2_session_last_error(session_, &message, &length, 0);
    return message ? std::string(message, static_cast<size_t>(length)) : "";
}

bool SshConnection::last_error_is_status() const {
    return session_ && libssh2_session_last_errno(session_) == LIBSSH2_ERROR_SFTP_PROTOCOL;
}

void SshConnection::mark_broken() {
    broken_ = true;
    if (session_) libssh2_session_set_timeout(session_, 1000);
}

void SshConnection::handshake(const SftpOptions& o, const std::string& pin) {
    for (int method : {LIBSSH2_METHOD_CRYPT_CS, LIBSSH2_METHOD_CRYPT_SC})
        libssh2_session_method_pref(session_, method, kCiphers);
    for (int method : {LIBSSH2_METHOD_MAC_CS, LIBSSH2_METHOD_MAC_SC})
        libssh2_session_method_pref(session_, method, kMacs);
    if (!o.known_hosts.empty()) prefer_known_host_key_type(o);
    libssh2_session_set_timeout(session_, o.connect_timeout_seconds * 1000);
    if (libssh2_session_handshake(session_, fd_) != 0)
        throw BackendError(fmt::format("{}: SSH handshake failed: {}", where_, last_error()), true);
    if (!pin.empty()) {
        const char* hash = libssh2_hostkey_hash(session_, LIBSSH2_HOSTKEY_HASH_SHA256);
        std::string offered =
            hash ? base64_unpadded(reinterpret_cast<const unsigned char*>(hash), 32) : "";
        if (offered != pin)
            refuse_host_key(o, "its key does not match sfts_host_key_sha256",
                            "the server presented SHA256:" + offered);
    }
    if (!o.known_hosts.empty()) check_known_hosts(o);
}

// When known_hosts has a key for the host, the server is asked for a key of that type (a
// server has several; the one it would present first may not be the one recorded).
void SshConnection::prefer_known_host_key_type(const SftpOptions& o) {
    KnownHosts kh(session_, o.known_hosts);
    if (!kh.hosts) return;
    const std::string plain = o.host, bracketed = fmt::format("[{}]:{}", o.host, o.port);
    libssh2_knownhost* entry = nullptr;
    libssh2_knownhost* prev = nullptr;
    while (libssh2_knownhost_get(kh.hosts, &entry, prev) == 0) {
        prev = entry;
        if (!entry->name) continue;  // hashed: cannot tell whose it is
        if (entry->name != (o.port == 22 ? plain : bracketed)) continue;
        for (const auto& t : kKeyTypes)
            if ((entry->typemask & LIBSSH2_KNOWNHOST_KEY_MASK) == t.known_host_bit) {
                libssh2_session_method_pref(session_, LIBSSH2_METHOD_HOSTKEY, t.method);
                return;
            }
    }
}

void SshConnection::check_known_hosts(const SftpOptions& o) {
    size_t length = 0;
    int type = 0;
    const char* key = libssh2_session_hostkey(session_, &length, &type);
    int bit = LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
    for (const auto& t : kKeyTypes)
        if (t.session_type == type) bit = t.known_host_bit;
    KnownHosts kh(session_, o.known_hosts);
    libssh2_knownhost* found = nullptr;
    int match = key && kh.hosts
                    ? libssh2_knownhost_checkp(
                          kh.hosts, o.host.c_str(), o.port, key, length,
                          LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | bit, &found)
                    : LIBSSH2_KNOWNHOST_CHECK_FAILURE;
    if (match == LIBSSH2_KNOWNHOST_CHECK_MATCH) return;
    std::string why = match == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND
                          ? fmt::format("the host is not in {}", o.known_hosts)
                      : match == LIBSSH2_KNOWNHOST_CHECK_MISMATCH
                          ? fmt::format("its key differs from the one in {}", o.known_hosts)
                          : fmt::format("its key could not be checked against {}", o.known_hosts);
    const char* hash = libssh2_hostkey_hash(session_, LIBSSH2_HOSTKEY_HASH_SHA256);
    refuse_host_key(o, why,
                    hash ? "the server presented SHA256:" +
                               base64_unpadded(reinterpret_cast<const unsigned char*>(hash), 32)
                         : last_error());
}

void SshConnection::refuse_host_key(const SftpOptions& o, const std::string& why,
                                    const std::string& detail) {
    throw SessionRefused(util::redact(fmt::format(
        "{}: refused to connect: the server's host key is not the pinned one ({}; {}). If "
        "the server's key really changed, get the new fingerprint with `{}`, confirm it "
        "with the server's administrators and update the config",
        where_, why, detail, fingerprint_hint(o.host, o.port))));
}

// The key first, then the password (as "password", else as "keyboard-interactive"), each only
// when the server offers it. Nothing secret reaches a message.
void SshConnection::log_in(const SftpOptions& o) {
    const auto user_length = static_cast<unsigned int>(o.user.size());
    const char* offered = libssh2_userauth_list(session_, o.user.c_str(), user_length);
    if (!offered) {
        if (libssh2_userauth_authenticated(session_)) return;
        int rc = libssh2_session_last_errno(session_);
        throw BackendError(fmt::format("{}: login failed: {}", where_, last_error()),
                           is_network_error(rc));
    }
    const std::string methods = offered;
    auto offers = [&](const char* m) { return methods.find(m) != std::string::npos; };
    int rc = LIBSSH2_ERROR_AUTHENTICATION_FAILED;
    std::string detail = "the server offers " + methods;
    auto note = [&](int result) {
        rc = result;
        if (result != 0) detail = last_error();
        return result == 0;
    };
    if (!o.identity_file.empty() && offers("publickey") &&
        note(libssh2_userauth_publickey_fromfile_ex(session_, o.user.c_str(), user_length, nullptr,
                                                    o.identity_file.c_str(), nullptr)))
        return;
    if (!o.password.empty() && !is_network_error(rc)) {
        if (offers("password") && note(libssh2_userauth_password_ex(
                                      session_, o.user.c_str(), user_length, o.password.c_str(),
                                      static_cast<unsigned int>(o.password.size()), nullptr)))
            return;
        if (offers("keyboard-interactive") && !is_network_error(rc) &&
            note(libssh2_userauth_keyboard_interactive_ex(session_, o.user.c_str(), user_length,
                                                          answer_with_password)))
            return;
    }
    if (is_network_error(rc))
        throw BackendError(fmt::format("{}: login failed: {}", where_, detail), true);
    throw SessionRefused(util::redact(fmt::format(
        "{}: authentication failed for user {} ({}; tried: {}{})", where_, o.user, detail,
        o.identity_file.empty() ? "" : "key " + o.identity_file,
        o.password.empty()
            ? ""
            : (o.identity_file.empty() ? "password (sfts_pass)" : ", then password (sfts_pass)"))));
}

}  // namespace gdx::transfer
