#pragma once
// Pieces of the Google jobs' end-of-run reports, which print lists the way the originals did.
#include <chrono>
#include <string>
#include <vector>

namespace gdx::google {

inline std::chrono::microseconds between(std::chrono::system_clock::time_point a,
                                         std::chrono::system_clock::time_point b) {
    return std::chrono::duration_cast<std::chrono::microseconds>(b - a);
}

// "\n<title>\n1: <item>\n2: ..." ; nothing for an empty list.
void append_numbered_list(std::string& out, const char* title,
                          const std::vector<std::string>& items);

}  // namespace gdx::google
