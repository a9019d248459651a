// The stored-credentials file (regressions found by fuzz/credential_files.cpp).
#include "google/credential_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace gdx::google {
namespace {

// An expiry in year 8845 used to overflow system_clock's nanoseconds in the comparison.
TEST(CredentialFileLoaders, FarExpiryKeepsTheTokenUsable) {
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

// "expires_in": 35e99 was converted to a long (undefined behaviour), 10^12 s overflowed
// system_clock: an answer the token endpoint should not send is taken as the default hour.
TEST(TokenLifetime, OnlyASaneNumberOfSecondsIsTaken) {
    using nlohmann::ordered_json;
    using std::chrono::seconds;
    EXPECT_EQ(token_lifetime(ordered_json{{"expires_in", 3599}}), seconds(3599));
    EXPECT_EQ(token_lifetime(ordered_json{{"expires_in", 120.7}}), seconds(120));
    EXPECT_EQ(token_lifetime(ordered_json{{"expires_in", 0}}), seconds(0));
    for (const ordered_json& odd :
         {ordered_json{{"expires_in", 35e99}}, ordered_json{{"expires_in", 1e12}},
          ordered_json{{"expires_in", -5}}, ordered_json{{"expires_in", "3599"}},
          ordered_json::object()})
        EXPECT_EQ(token_lifetime(odd), seconds(3600)) << odd.dump();
}

TEST(CredentialFileLoaders, AnAnswerWithAnOddExpiryExpiresInAnHour) {
    ClientSecrets client{"id", "secret", "", ""};
    auto stored = StoredCredentials::create("unused.json", client, {"scope"});
    const auto now = std::chrono::sys_days(std::chrono::year(2026) / 12 / 4);
    stored.apply_token_response(
        nlohmann::ordered_json::parse(
            R"({"access_token": "a", "refresh_token": "r", "expires_in": 35e99})"),
        now);
    EXPECT_EQ(stored.field("token_expiry"), "2026-12-04T01:00:00Z");
    EXPECT_EQ(stored.field("access_token"), "a");
    // A non-string access token is no token (it used to throw nlohmann's type_error).
    stored.apply_token_response(nlohmann::ordered_json::parse(R"({"access_token": 5})"), now);
    EXPECT_EQ(stored.field("access_token"), "");
}

}  // namespace
}  // namespace gdx::google
