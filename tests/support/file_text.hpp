#pragma once
// The whole content of a (small) file, for tests that compare or parse what was written.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace gdx::test {

inline std::string file_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace gdx::test
