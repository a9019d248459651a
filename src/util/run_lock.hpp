#pragma once
// One run at a time: an exclusive flock on a file that also records the holder's pid, so that
// a second run can say which process holds it. The kernel drops the lock when the holder
// dies, so a crashed run never leaves a stale lock behind.
#include <string>

namespace gdx::util {

class RunLock {
public:
    // Takes the lock or throws BackendError naming the process that holds it.
    explicit RunLock(std::string path);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace gdx::util
