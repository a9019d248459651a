// Where the tests find the original Python services' configs, DDL and DML. They are not part of
// this repository: the folder is named by GDX_ORIGINAL_CONFIGS when the tests run, else the
// build's default (original-configs next to the source tree, tests/CMakeLists.txt) is used when
// it exists. Tests that need the folder skip when it is absent, saying so; listing the tests
// never needs it. Nothing else in the repository may read that folder.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include "test_paths.hpp"

namespace gdx::test {

// Where the folder is expected, whether or not it exists.
inline std::filesystem::path original_configs_location() {
    const char* env = std::getenv("GDX_ORIGINAL_CONFIGS");
    if (env != nullptr && *env != '\0') return env;
    return gdx::testing::original_configs_default();
}

// The folder, or nothing when it is absent.
inline std::optional<std::filesystem::path> original_configs_dir() {
    std::error_code ec;
    std::filesystem::path dir = original_configs_location();
    if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
    return dir;
}

inline bool have_original_configs() {
    return original_configs_dir().has_value();
}

// A path inside the folder, e.g. original_config("s3_to_redshift/ddl").
inline std::filesystem::path original_config(const std::string& relative) {
    return original_configs_location() / relative;
}

inline constexpr const char* kNoOriginals =
    "the original configs are absent: set GDX_ORIGINAL_CONFIGS to their folder";

inline std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace gdx::test

// First statement of a test that reads the originals' folder: skips the test when it is absent.
#define GDX_REQUIRE_ORIGINAL_CONFIGS()                                                   \
    do {                                                                                 \
        if (!::gdx::test::have_original_configs())                                       \
            GTEST_SKIP() << ::gdx::test::kNoOriginals << " to run this test (looked in " \
                         << ::gdx::test::original_configs_location() << ")";             \
    } while (false)
