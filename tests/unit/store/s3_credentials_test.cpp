// The AWS credentials chain: environment, shared credentials file with profiles, and
// IMDSv2 against a fake metadata server that insists on the session token.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "../../fakes/server_process.hpp"
#include "s3_test_support.hpp"
#include "store/s3/credentials.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace gdx::testing {
namespace {

using store::s3::AwsCredentials;
using store::s3::resolve_credentials;

// Sets/unsets variables for one test and restores the previous values afterwards.
class ScopedEnv {
public:
    void set(const std::string& name, const std::string& value) {
        remember(name);
        ::setenv(name.c_str(), value.c_str(), 1);
    }
    void unset(const std::string& name) {
        remember(name);
        ::unsetenv(name.c_str());
    }
    ~ScopedEnv() {
        for (auto& [name, value] : saved_) {
            if (value)
                ::setenv(name.c_str(), value->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
    }

private:
    void remember(const std::string& name) {
        if (saved_.count(name)) return;
        const char* v = std::getenv(name.c_str());
        saved_[name] = v ? std::optional<std::string>(v) : std::nullopt;
    }
    std::map<std::string, std::optional<std::string>> saved_;
};

class CredentialsTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* v : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                              "AWS_PROFILE", "AWS_EC2_METADATA_SERVICE_ENDPOINT"}) {
            env_.unset(v);
        }
        dir_ = make_temp_dir("creds");
        env_.set("AWS_SHARED_CREDENTIALS_FILE", dir_ + "/absent");
        env_.set("AWS_EC2_METADATA_DISABLED", "true");
    }
    std::string write_file(const std::string& text) {
        std::string path = dir_ + "/credentials";
        std::ofstream(path) << text;
        return path;
    }
    ScopedEnv env_;
    std::string dir_;
};

TEST_F(CredentialsTest, EnvironmentComesFirst) {
    env_.set(
        "AWS_SHARED_CREDENTIALS_FILE",
        write_file("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n"));
    env_.set("AWS_ACCESS_KEY_ID", "ENVKEY");
    env_.set("AWS_SECRET_ACCESS_KEY", "ENVSECRET");
    env_.set("AWS_SESSION_TOKEN", "ENVTOKEN");
    AwsCredentials c = resolve_credentials();
    EXPECT_EQ(c.access_key_id, "ENVKEY");
    EXPECT_EQ(c.secret_access_key, "ENVSECRET");
    EXPECT_EQ(c.session_token, "ENVTOKEN");
    EXPECT_EQ(c.source, "environment");
}

TEST_F(CredentialsTest, SharedFileProfileFromAwsProfile) {
    env_.set("AWS_SHARED_CREDENTIALS_FILE", write_file(R"(# comment
[default]
aws_access_key_id = DEFAULTKEY
aws_secret_access_key = DEFAULTSECRET

[prod]
; another comment
aws_access_key_id=PRODKEY
aws_secret_access_key =  PRODSECRET/with+chars=
aws_session_token = PRODTOKEN
[other]
aws_access_key_id = OTHERKEY
aws_secret_access_key = OTHERSECRET
)"));
    EXPECT_EQ(resolve_credentials().access_key_id, "DEFAULTKEY");
    env_.set("AWS_PROFILE", "prod");
    AwsCredentials c = resolve_credentials();
    EXPECT_EQ(c.access_key_id, "PRODKEY");
    EXPECT_EQ(c.secret_access_key, "PRODSECRET/with+chars=");
    EXPECT_EQ(c.session_token, "PRODTOKEN");
    EXPECT_NE(c.source.find("[prod]"), std::string::npos);
}

TEST_F(CredentialsTest, MissingEverywhereIsAConfigErrorWithoutSecrets) {
    env_.set("AWS_SHARED_CREDENTIALS_FILE",
             write_file("[default]\naws_access_key_id = K\naws_secret_access_key = SECRETX\n"));
    env_.set("AWS_PROFILE", "absent-profile");
    EXPECT_THROW(resolve_credentials(), ConfigError);

    write_file("[default]\naws_access_key_id = K\n");  // profile without its secret
    env_.unset("AWS_PROFILE");
    try {
        resolve_credentials();
        FAIL() << "incomplete profile accepted";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("aws_secret_access_key"), std::string::npos);
    }
}

TEST_F(CredentialsTest, InstanceMetadataV2WithToken) {
    int port = free_port();
    ServerProcess imds({"python3", source_dir() + "/tests/fakes/fake_imds.py", std::to_string(port),
                        "gdx-role", "IMDSKEY", "IMDSSECRET", "IMDSTOKEN"},
                       port, dir_ + "/imds.log");
    env_.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    EXPECT_THROW(resolve_credentials(), ConfigError);  // still disabled

    env_.unset("AWS_EC2_METADATA_DISABLED");
    AwsCredentials c = resolve_credentials();
    EXPECT_EQ(c.access_key_id, "IMDSKEY");
    EXPECT_EQ(c.secret_access_key, "IMDSSECRET");
    EXPECT_EQ(c.session_token, "IMDSTOKEN");
    ASSERT_TRUE(c.expiration);
    EXPECT_GT(*c.expiration, std::chrono::system_clock::now() + std::chrono::hours(24 * 365));
    EXPECT_NE(c.source.find("gdx-role"), std::string::npos);

    // Temporary credentials sign real requests (moto takes any key, and the token header).
    auto cfg = s3_test_config(moto_server().url());
    cfg.credentials.reset();
    std::string bucket = make_bucket(moto_server().url(), "imds");
    store::S3Store s(cfg);
    s.put_bytes(bucket, "k", "v");
    EXPECT_EQ(s.get_bytes(bucket, "k"), "v");
    // Once used, the secret and the token are masked in every log line.
    std::string redacted = util::redact("secret IMDSSECRET token IMDSTOKEN");
    EXPECT_EQ(redacted.find("IMDSSECRET"), std::string::npos) << redacted;
    EXPECT_EQ(redacted.find("IMDSTOKEN"), std::string::npos) << redacted;
}

TEST_F(CredentialsTest, UnreachableMetadataServiceIsQuicklySkipped) {
    env_.unset("AWS_EC2_METADATA_DISABLED");
    env_.set("AWS_EC2_METADATA_SERVICE_ENDPOINT",
             "http://127.0.0.1:" + std::to_string(free_port()));
    auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(resolve_credentials(), ConfigError);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

}  // namespace
}  // namespace gdx::testing
