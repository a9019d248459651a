// The credential files an operator hands to gdx and the credential documents servers send:
// the AWS shared credentials file (INI), the IMDS role document, Google's client secrets,
// the oauth2client store, a service-account key, and a token endpoint's answer. The same
// bytes are tried as each. Bad files must be ConfigErrors naming the file; documents from a
// server must be taken or refused, never crash the job.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "config/json_file.hpp"
#include "fuzz_input.hpp"
#include "google/credential_files.hpp"
#include "store/s3/credentials.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace {

using namespace gdx;

const std::string& scratch_file() {
    // In memory (tmpfs) when there is one: the file is rewritten for every input.
    static const std::string path =
        std::string(::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") +
        "/gdx-fuzz-credentials-" + std::to_string(::getpid());
    return path;
}

template <class Load>
void expect_loaded_or_config_error(Load load) {
    try {
        load();
    } catch (const ConfigError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gdx::fuzz::FuzzInput in(data, size);
    const std::string profile(in.line());
    const std::string_view bytes = in.rest();
    {
        std::ofstream out(scratch_file(), std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    const std::string& path = scratch_file();

    expect_loaded_or_config_error([&] { store::s3::credentials_from_file(path, profile); });
    expect_loaded_or_config_error([&] { store::s3::credentials_from_file(path, "default"); });
    store::s3::parse_imds_credentials(bytes, profile);
    expect_loaded_or_config_error([&] { google::ClientSecrets::load(path); });
    expect_loaded_or_config_error([&] {
        auto stored = google::StoredCredentials::load(path);
        stored.usable_access_token(std::chrono::system_clock::now(), std::chrono::seconds(60));
    });
    expect_loaded_or_config_error([&] {
        auto doc = config::parse_json_text(bytes, path);
        if (google::is_service_account_file(doc)) google::ServiceAccountKey::from_json(doc, path);
        // The same document as a token endpoint's answer.
        if (doc.is_object()) {
            google::ClientSecrets client{"id", "secret", "", ""};
            auto stored = google::StoredCredentials::create(path, client, {"scope"});
            stored.apply_token_response(doc, std::chrono::system_clock::now());
        }
    });
    util::clear_secrets();  // the loaders register what they read; keep memory flat
    return 0;
}
