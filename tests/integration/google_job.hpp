#pragma once
// What the end-to-end tests of the Google jobs share: the OAuth files in the workspace and a
// run of `gdx <job>` on a config written to config.d/.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "../fakes/fake_google.hpp"
#include "harness.hpp"

namespace gdx::test {

// client_secrets.json and credentials.dat (with `refresh_token`) for the fake, in the workspace.
inline void write_google_files(const Workspace& ws, const testing::FakeGoogle& fake,
                               const std::string& refresh_token) {
    ws.write_file("client_secrets.json", testing::client_secrets(fake).dump());
    ws.write_file("credentials.dat", testing::stored_credentials(fake, refresh_token).dump());
}

// `gdx <job> <ws>/config.d/<name> --client-secrets … --credentials …` plus `extra`.
inline RunResult run_google_job(const Workspace& ws, const std::string& job,
                                const std::string& name, const nlohmann::json& config,
                                const std::map<std::string, std::string>& env,
                                const std::vector<std::string>& extra = {},
                                const WhileRunning& while_running = {}) {
    std::filesystem::create_directories(ws.dir() / "config.d");
    auto cfg = ws.write_file("config.d/" + name, config.dump(2));
    std::vector<std::string> args{"--client-secrets", (ws.dir() / "client_secrets.json").string(),
                                  "--credentials", (ws.dir() / "credentials.dat").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return ws.run_job(job, cfg, args, env, while_running);
}

}  // namespace gdx::test
