// The stored-credentials file (regressions found by fuzz/credential_files.cpp).
#include "google/credential_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace gdx::google {
namespace {

// An expiry in year 8845 used to overflow system_clock's nanoseconds in the comparison.
TEST(StoredCredentials, FarExpiryKeepsTheTokenUsable) {
    const auto path = std::filesystem::temp_directory_path() / "gdx-far-expiry-credentials.json";
    std::ofstream(path) << R"({"access_token": "at", "client_id": "c", "client_secret": "cs",
                              "refresh_token": "rt", "token_expiry": "8845-01-01T00:00:00Z"})";
    const auto stored = StoredCredentials::load(path);
    auto usable =
        stored.usable_access_token(std::chrono::system_clock::now(), std::chrono::seconds(60));
    ASSERT_TRUE(usable);
    EXPECT_EQ(usable->token, "at");
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace gdx::google
