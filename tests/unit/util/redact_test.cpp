#include "util/redact.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using gdx::util::add_secret;
using gdx::util::clear_secrets;
using gdx::util::redact;

namespace {
struct RedactTest : ::testing::Test {
    void SetUp() override { clear_secrets(); }
    void TearDown() override { clear_secrets(); }
};
}  // namespace

TEST_F(RedactTest, RegisteredSecretsAreReplacedEverywhere) {
    add_secret("hunter2");
    add_secret("");  // ignored
    EXPECT_EQ(redact("a hunter2 b hunter2hunter2"), "a ******** b ****************");
    EXPECT_EQ(redact("nothing here"), "nothing here");
}

TEST_F(RedactTest, LongerSecretWinsOverItsPrefix) {
    add_secret("abc");
    add_secret("abcdef");
    EXPECT_EQ(redact("x abcdef y"), "x ******** y");
}

TEST_F(RedactTest, KeyValuePairs) {
    EXPECT_EQ(redact("host=h port=5439 password=s3cr3t user=u"),
              "host=h port=5439 password=******** user=u");
    EXPECT_EQ(redact("dbname=x password='with space' sslmode=require"),
              "dbname=x password=******** sslmode=require");
    EXPECT_EQ(redact("PGPASS=abc"), "PGPASS=********");
    EXPECT_EQ(redact(R"({"password": "p@ss", "user": "me"})"),
              R"({"password": ********, "user": "me"})");
    EXPECT_EQ(redact("CREDENTIALS 'aws_access_key_id=AKIAX;aws_secret_access_key=wJalr/K7+Q'"),
              "CREDENTIALS 'aws_access_key_id=AKIAX;aws_secret_access_key=********'");
    EXPECT_EQ(redact("-password:abc -quiterror"), "-password:******** -quiterror");
    EXPECT_EQ(redact("client_secret=zzz&grant_type=refresh_token&refresh_token=rrr"),
              "client_secret=********&grant_type=refresh_token&refresh_token=********");
}

TEST_F(RedactTest, UriPasswords) {
    EXPECT_EQ(redact("connecting to postgresql://loader:Pa55word@db.example:5432/snowplow"),
              "connecting to postgresql://loader:********@db.example:5432/snowplow");
    EXPECT_EQ(redact("redshift://u:p%40ss@h/db and sftp://x:y@z"),
              "redshift://u:********@h/db and sftp://x:********@z");
    EXPECT_EQ(redact("s3://bucket/key:with@at"), "s3://bucket/key:with@at");
}

TEST_F(RedactTest, HeadersAndPresignedQueries) {
    EXPECT_EQ(redact("Authorization: AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=abc\nnext"),
              "Authorization: ********\nnext");
    EXPECT_EQ(redact("x-amz-security-token: FQoGZXIvYXdzE"), "x-amz-security-token: ********");
    EXPECT_EQ(redact("GET /k?X-Amz-Security-Token=FQo%2Fabc&X-Amz-Signature=deadbeef&a=1"),
              "GET /k?X-Amz-Security-Token=********&X-Amz-Signature=********&a=1");
}

TEST_F(RedactTest, ConcurrentUse) {
    add_secret("topsecret");
    std::vector<std::thread> threads;
    std::atomic<int> leaks{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                if (t == 0) add_secret("other" + std::to_string(i));
                if (redact("v=topsecret").find("topsecret") != std::string::npos) ++leaks;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(leaks.load(), 0);
}
