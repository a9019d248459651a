#include "google/jwt.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace gdx::google {

std::string base64url(std::string_view in) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    auto byte = [&](size_t k) { return static_cast<unsigned char>(in[k]); };
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        for (int s : {18, 12, 6, 0}) out += kAlphabet[(v >> s) & 63];
    }
    if (i + 1 == in.size()) {
        unsigned v = byte(i) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
    } else if (i + 2 == in.size()) {
        unsigned v = byte(i) << 16 | byte(i + 1) << 8;
        for (int s : {18, 12, 6}) out += kAlphabet[(v >> s) & 63];
    }
    return out;
}

std::string make_jwt_assertion(const ServiceAccountKey& key, const std::vector<std::string>& scopes,
                               const std::string& audience,
                               std::chrono::system_clock::time_point now) {
    nlohmann::ordered_json header{{"alg", "RS256"}, {"typ", "JWT"}};
    if (!key.private_key_id.empty()) header["kid"] = key.private_key_id;
    const long iat =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    std::string scope;
    for (const auto& s : scopes) scope += (scope.empty() ? "" : " ") + s;
    nlohmann::ordered_json claims{{"iss", key.client_email},
                                  {"scope", scope},
                                  {"aud", audience},
                                  {"iat", iat},
                                  {"exp", iat + 3600}};
    std::string signing_input = base64url(header.dump()) + "." + base64url(claims.dump());

    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(key.private_key.data(), static_cast<int>(key.private_key.size())),
        &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
        bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr,
        &EVP_PKEY_free);
    if (!pkey)
        throw ConfigError(fmt::format(
            "the service-account key of {} has no readable PEM private_key", key.client_email));
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len,
                       reinterpret_cast<const unsigned char*>(signing_input.data()),
                       signing_input.size()) != 1)
        throw ConfigError(
            fmt::format("cannot sign with the service-account key of {}", key.client_email));
    std::string signature(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                       reinterpret_cast<const unsigned char*>(signing_input.data()),
                       signing_input.size()) != 1)
        throw ConfigError(
            fmt::format("cannot sign with the service-account key of {}", key.client_email));
    signature.resize(len);
    return signing_input + "." + base64url(signature);
}

}  // namespace gdx::google
