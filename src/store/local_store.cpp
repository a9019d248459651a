#include "store/local_store.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>

#include "util/error.hpp"

namespace fs = std::filesystem;

namespace gdx::store {
namespace {

// Temp files live next to their target so the final rename stays on one file system.
constexpr std::string_view kTempMarker = ".gdx-tmp-";

std::string errno_text(int err) {
    return std::strerror(err);
}

// Rejects keys that would escape the bucket directory.
void validate_key(const std::string& bucket, const std::string& key) {
    if (bucket.empty() || bucket.find('/') != std::string::npos || bucket == "." || bucket == "..")
        throw BackendError(fmt::format("invalid bucket name '{}'", bucket));
    if (key.empty() || key.front() == '/')
        throw BackendError(fmt::format("invalid object key '{}'", key));
    for (const auto& part : fs::path(key)) {
        if (part == ".." || part == ".")
            throw BackendError(fmt::format("invalid object key '{}' (dot segment)", key));
    }
}

std::chrono::system_clock::time_point to_system(const struct stat& st) {
    auto ns =
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(ns));
}

ObjectInfo info_from_stat(std::string key, const struct stat& st) {
    ObjectInfo info;
    info.key = std::move(key);
    info.size = static_cast<uint64_t>(st.st_size);
    info.last_modified = to_system(st);
    // Cheap change detector: size, mtime and inode change whenever the file is replaced.
    info.etag = fmt::format("{:x}-{:x}{:09x}-{:x}", st.st_size, st.st_mtim.tv_sec,
                            st.st_mtim.tv_nsec, st.st_ino);
    return info;
}

// This host's tag in temp names (FNV-1a of the host name): a process id is only meaningful on
// the host that wrote it, and a store directory may be shared between hosts.
const std::string& host_tag() {
    static const std::string tag = [] {
        char name[256] = {};
        ::gethostname(name, sizeof name - 1);
        uint32_t h = 2166136261u;
        for (const char* p = name; *p; ++p) h = (h ^ static_cast<unsigned char>(*p)) * 16777619u;
        return fmt::format("{:08x}", h);
    }();
    return tag;
}

// .gdx-tmp-<host>-<pid>-<counter>-<random>
std::string temp_name() {
    static std::atomic<uint64_t> counter{0};
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return fmt::format("{}{}-{}-{}-{:x}", kTempMarker, host_tag(), getpid(), counter++, rng());
}

// A temp file whose writer was killed (SIGKILL, power cut) is never renamed nor unlinked by it.
// It is stale when it was written on this host by a process that no longer exists; files of
// other hosts, of the old naming, or of a live process are left alone.
bool stale_temp(const std::string& name) {
    if (name.rfind(kTempMarker, 0) != 0) return false;
    const std::string rest = name.substr(kTempMarker.size());
    const std::string prefix = host_tag() + "-";
    if (rest.rfind(prefix, 0) != 0) return false;
    const long pid = std::strtol(rest.c_str() + prefix.size(), nullptr, 10);
    if (pid <= 0 || pid == getpid()) return false;
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

class FileReader : public ObjectReader {
public:
    FileReader(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
    ~FileReader() override { ::close(fd_); }
    size_t read(char* dst, size_t capacity) override {
        for (;;) {
            ssize_t n = ::read(fd_, dst, capacity);
            if (n >= 0) return static_cast<size_t>(n);
            if (errno != EINTR)
                throw BackendError(fmt::format("read {}: {}", name_, errno_text(errno)));
        }
    }

private:
    int fd_;
    std::string name_;
};

class FileWriter : public ObjectWriter {
public:
    explicit FileWriter(fs::path target) : target_(std::move(target)) {
        std::error_code ec;
        fs::create_directories(target_.parent_path(), ec);
        if (ec)
            throw BackendError(
                fmt::format("create {}: {}", target_.parent_path().string(), ec.message()));
        // Beside the target (rename stays within one directory) but named without the key, so
        // that a key near the file-name limit (255 bytes on ext4) still gets a temp file.
        temp_ = target_.parent_path() / temp_name();
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw BackendError(fmt::format("create {}: {}", temp_.string(), errno_text(errno)));
    }
    ~FileWriter() override {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(temp_.c_str());
    }
    void write(std::string_view bytes) override {
        const char* p = bytes.data();
        size_t left = bytes.size();
        while (left > 0) {
            ssize_t n = ::write(fd_, p, left);
            if (n < 0) {
                if (errno == EINTR) continue;
                throw BackendError(
                    fmt::format("write {}: {}", target_.string(), errno_text(errno)));
            }
            p += n;
            left -= static_cast<size_t>(n);
        }
        synced_ = false;
    }
    // Copies the rest of the open file src_fd in the kernel (copy_file_range: no user-space
    // buffer; falls back to read/write where the file systems cannot).
    void copy_from(int src_fd, const std::string& src_name) {
        for (;;) {
            const ssize_t n = ::copy_file_range(src_fd, nullptr, fd_, nullptr, 1u << 30, 0);
            if (n == 0) return;
            if (n > 0) continue;
            if (errno == EINTR) continue;
            if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP) break;
            throw BackendError(
                fmt::format("copy {} to {}: {}", src_name, target_.string(), errno_text(errno)));
        }
        std::string buf(1 << 20, '\0');
        for (;;) {
            const ssize_t n = ::read(src_fd, buf.data(), buf.size());
            if (n == 0) return;
            if (n < 0) {
                if (errno == EINTR) continue;
                throw BackendError(fmt::format("read {}: {}", src_name, errno_text(errno)));
            }
            write({buf.data(), static_cast<size_t>(n)});
        }
    }
    // Makes the bytes durable now, so that commit() is only the rename.
    void sync() {
        if (::fsync(fd_) != 0)
            throw BackendError(fmt::format("flush {}: {}", target_.string(), errno_text(errno)));
        synced_ = true;
    }
    void commit() override {
        if (committed_) return;
        if ((!synced_ && ::fsync(fd_) != 0) || ::close(fd_) != 0) {
            fd_ = -1;
            throw BackendError(fmt::format("flush {}: {}", target_.string(), errno_text(errno)));
        }
        fd_ = -1;
        if (::rename(temp_.c_str(), target_.c_str()) != 0)
            throw BackendError(
                fmt::format("rename to {}: {}", target_.string(), errno_text(errno)));
        committed_ = true;
    }

private:
    fs::path target_;
    fs::path temp_;
    int fd_ = -1;
    bool committed_ = false;
    bool synced_ = false;  // fsync'd since the last write
};

// A good copy written and synced ahead; publishing renames it into place.
class PendingFileCopy : public PendingCopy {
public:
    explicit PendingFileCopy(std::unique_ptr<FileWriter> file) : file_(std::move(file)) {}
    void publish() override { file_->commit(); }

private:
    std::unique_ptr<FileWriter> file_;
};

// Opens src for copying; the caller closes it.
int open_source(const fs::path& path, const std::string& name) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw BackendError(fmt::format("open {}: {}", name, errno_text(errno)));
    return fd;
}

std::unique_ptr<FileWriter> copy_to_temp(const fs::path& src, const std::string& src_name,
                                         fs::path target) {
    auto writer = std::make_unique<FileWriter>(std::move(target));
    const int fd = open_source(src, src_name);
    try {
        writer->copy_from(fd, src_name);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return writer;
}

}  // namespace

LocalStore::LocalStore(fs::path root) : root_(std::move(root)) {}

fs::path LocalStore::object_path(const std::string& bucket, const std::string& key) const {
    validate_key(bucket, key);
    return root_ / bucket / key;
}

std::vector<ObjectInfo> LocalStore::list(const std::string& bucket, const std::string& prefix) {
    std::vector<ObjectInfo> out;
    fs::path bucket_dir = root_ / bucket;
    // Walk only the deepest directory the prefix names, then filter by the full prefix.
    std::string dir_part =
        prefix.substr(0, prefix.rfind('/') == std::string::npos ? 0 : prefix.rfind('/'));
    fs::path start = dir_part.empty() ? bucket_dir : bucket_dir / dir_part;
    std::error_code ec;
    if (!fs::is_directory(start, ec)) return out;
    fs::recursive_directory_iterator it(start, fs::directory_options::skip_permission_denied, ec),
        end;
    if (ec) throw BackendError(fmt::format("list {}: {}", start.string(), ec.message()));
    for (; it != end; it.increment(ec)) {
        if (ec) throw BackendError(fmt::format("list {}: {}", start.string(), ec.message()));
        if (!it->is_regular_file(ec)) continue;
        // The path as listed, without reading the file system: a concurrent writer's temp
        // file may be renamed by now (that is skipped below), and a folder may be a symlink.
        std::string key = it->path().lexically_relative(bucket_dir).generic_string();
        if (key.find(kTempMarker) != std::string::npos) continue;
        if (key.compare(0, prefix.size(), prefix) != 0) continue;
        struct stat st {};
        if (::stat(it->path().c_str(), &st) != 0) continue;  // vanished while listing
        out.push_back(info_from_stat(std::move(key), st));
    }
    std::sort(out.begin(), out.end(),
              [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return out;
}

void LocalStore::require_bucket(const std::string& bucket) {
    std::error_code ec;
    if (!fs::is_directory(root_, ec))
        throw ConfigError(
            fmt::format("store directory {} does not exist (--store file:DIR)", root_.string()));
    if (!fs::is_directory(root_ / bucket, ec))
        throw ConfigError(fmt::format("bucket {} does not exist in file:{} (no directory {})",
                                      bucket, root_.string(), (root_ / bucket).string()));
}

std::optional<ObjectInfo> LocalStore::head(const std::string& bucket, const std::string& key) {
    fs::path p = object_path(bucket, key);
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return info_from_stat(key, st);
}

std::unique_ptr<ObjectReader> LocalStore::get(const std::string& bucket, const std::string& key) {
    fs::path p = object_path(bucket, key);
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw BackendError(fmt::format("open {}/{}: {}", bucket, key, errno_text(errno)));
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    return std::make_unique<FileReader>(fd, bucket + "/" + key);
}

std::unique_ptr<ObjectWriter> LocalStore::put(const std::string& bucket, const std::string& key,
                                              const PutOptions&) {
    return std::make_unique<FileWriter>(write_target(bucket, key));
}

fs::path LocalStore::write_target(const std::string& bucket, const std::string& key) {
    fs::path target = object_path(bucket, key);
    remove_stale_temps(target.parent_path());
    return target;
}

void LocalStore::remove_stale_temps(const fs::path& dir) {
    {
        std::lock_guard lock(swept_mutex_);
        if (!swept_.insert(dir).second) return;  // once per directory and run
    }
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!stale_temp(name)) continue;
        if (::unlink(it->path().c_str()) == 0)
            spdlog::info("removed {}, the temp file of a writer that was killed",
                         it->path().string());
    }
}

void LocalStore::copy(const std::string& src_bucket, const std::string& src_key,
                      const std::string& dst_bucket, const std::string& dst_key) {
    prepare_copy(src_bucket, src_key, dst_bucket, dst_key)->publish();
}

std::unique_ptr<PendingCopy> LocalStore::prepare_copy(const std::string& src_bucket,
                                                      const std::string& src_key,
                                                      const std::string& dst_bucket,
                                                      const std::string& dst_key) {
    auto file = copy_to_temp(object_path(src_bucket, src_key), src_bucket + "/" + src_key,
                             write_target(dst_bucket, dst_key));
    file->sync();
    return std::make_unique<PendingFileCopy>(std::move(file));
}

void LocalStore::remove(const std::string& bucket, const std::string& key) {
    fs::path p = object_path(bucket, key);
    if (::unlink(p.c_str()) != 0 && errno != ENOENT)
        throw BackendError(fmt::format("delete {}/{}: {}", bucket, key, errno_text(errno)));
}

std::string LocalStore::describe() const {
    return "file:" + root_.string();
}

}  // namespace gdx::store
