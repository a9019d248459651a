// Redaction, the last line of defence for secrets: a registered secret never survives
// redact(), whatever surrounds it. Input: the secret, '\n', the text.
// Secrets containing '*' are skipped: the mask itself is made of '*'.
#include <cstdint>
#include <string>

#include "fuzz_input.hpp"
#include "util/redact.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gdx::fuzz::FuzzInput in(data, size);
    const std::string secret(in.line());
    const std::string_view text = in.rest();
    gdx::util::add_secret(secret);
    const std::string out = gdx::util::redact(text);
    if (!secret.empty() && secret.find('*') == std::string::npos)
        gdx::fuzz::check(out.find(secret) == std::string::npos);
    gdx::util::clear_secrets();
    return 0;
}
