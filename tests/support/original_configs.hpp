#pragma once
// Where the original services' configs, DDL and DML are: GDX_ORIGINAL_CONFIGS, else
// <source dir>/../shared/original-configs. They are never copied into the repository; tests
// that need them skip, saying so, when the folder is absent.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace gdx::test {

inline std::optional<std::filesystem::path> original_configs_dir() {
    const char* env = std::getenv("GDX_ORIGINAL_CONFIGS");
    std::filesystem::path dir =
        env != nullptr && *env != '\0'
            ? std::filesystem::path(env)
            : std::filesystem::path(GDX_SOURCE_DIR) / ".." / "shared" / "original-configs";
    if (!std::filesystem::is_directory(dir)) return std::nullopt;
    return dir;
}

inline constexpr const char* kNoOriginals =
    "the original configs are absent: set GDX_ORIGINAL_CONFIGS to their folder";

inline std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace gdx::test
