// The credential files an operator hands to gdx and the credential documents servers send:
// the AWS shared credentials file (INI), the IMDS role document, Google's client secrets,
// the oauth2client store, a service-account key, and a token endpoint's answer. The same
// bytes are tried as each. Bad files must be ConfigErrors naming the file; documents from a
// server must be taken or refused, never crash the job.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "config/json_file.hpp"
#include "fuzz_input.hpp"
#include "google/credential_files.hpp"
#include "store/s3/credentials.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace {

using namespace gdx;

// Files are read by the loaders' own text and document entry points (the file-reading
// wrappers only read the bytes): writing and reading a scratch file five times an input made
// the target run at about 100 executions a second.
const std::string kPath = "fuzz-credentials.json";

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

    expect_loaded_or_config_error([&] { store::s3::credentials_from_text(bytes, kPath, profile); });
    expect_loaded_or_config_error(
        [&] { store::s3::credentials_from_text(bytes, kPath, "default"); });
    store::s3::parse_imds_credentials(bytes, profile);

    // The JSON reader of every credential file, once; then each loader on its document.
    std::optional<nlohmann::ordered_json> doc;
    expect_loaded_or_config_error([&] { doc = config::parse_json_text(bytes, kPath); });
    if (doc) {
        expect_loaded_or_config_error([&] { google::ClientSecrets::from_json(*doc, kPath); });
        expect_loaded_or_config_error([&] {
            auto stored = google::StoredCredentials::from_json(*doc, kPath);
            stored.usable_access_token(std::chrono::system_clock::now(), std::chrono::seconds(60));
        });
        expect_loaded_or_config_error([&] {
            if (google::is_service_account_file(*doc))
                google::ServiceAccountKey::from_json(*doc, kPath);
        });
        // The same document as a token endpoint's answer.
        if (doc->is_object()) {
            google::ClientSecrets client{"id", "secret", "", ""};
            auto stored = google::StoredCredentials::create(kPath, client, {"scope"});
            stored.apply_token_response(*doc, std::chrono::system_clock::now());
        }
    }
    util::clear_secrets();  // the loaders register what they read; keep memory flat
    return 0;
}
