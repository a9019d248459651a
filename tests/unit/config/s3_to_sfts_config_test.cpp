#include <gtest/gtest.h>

#include "config/s3_to_sfts_config.hpp"
#include "util/error.hpp"

namespace gdx::config {
namespace {

nlohmann::ordered_json base() {
    return {{"bucket", "b"},
            {"source", "client"},
            {"source_client", "pmrp_gdx"},
            {"source_directory", "daily/Jun_2022_change"},
            {"archive", "processed"},
            {"archive_client", "qdata-sfts_sbc"},
            {"archive_directory", "daily/Jun_2022_change"},
            {"object_prefix", "pmrp_qdata"},
            {"header", false},
            {"sfts_path", "SBC/Shared/Secured/SS_BI/SS_GDX_IN/Q_data"},
            {"extension", ".csv"}};
}

TEST(S3ToSftsConfig, OriginalKeysAndDefaults) {
    auto c = parse_s3_to_sfts_config(base(), "x.json");
    EXPECT_EQ(c.source_prefix(), "client/pmrp_gdx/daily/Jun_2022_change/");
    EXPECT_EQ(c.archive_key("client/pmrp_gdx/daily/Jun_2022_change/pmrp_qdata_1_part000"),
              "client/qdata-sfts_sbc/daily/Jun_2022_change/pmrp_qdata_1_part000");
    EXPECT_EQ(c.sfts_host, "filetransfer.gov.bc.ca");
    EXPECT_EQ(c.sfts_port, 22);
    EXPECT_EQ(c.remote_folder(), "/SBC/Shared/Secured/SS_BI/SS_GDX_IN/Q_data");
    EXPECT_EQ(c.sfts_temp_suffix, ".part");
    EXPECT_TRUE(c.sfts_atomic_rename);
    EXPECT_TRUE(c.sfts_verify_md5);
    EXPECT_FALSE(c.sfts_create_folders);
    EXPECT_EQ(c.journal_prefix, "processed/inflight/");
    EXPECT_FALSE(c.retry_bad);
    EXPECT_EQ(c.max_attempts, 0);
    EXPECT_TRUE(c.warnings.empty());  // "header" is known, though unused
}

TEST(S3ToSftsConfig, ArchiveKeyReplacesOnlyTheFirstOccurrence) {
    auto c = parse_s3_to_sfts_config(base(), "x.json");
    const std::string twice =
        "client/pmrp_gdx/daily/Jun_2022_change/sub/client/pmrp_gdx/daily/Jun_2022_change/f";
    EXPECT_EQ(c.archive_key(twice),
              "client/qdata-sfts_sbc/daily/Jun_2022_change/sub/client/pmrp_gdx/daily/"
              "Jun_2022_change/f");
}

TEST(S3ToSftsConfig, RelativeRemoteFolder) {
    auto j = base();
    j["sfts_path_is_absolute"] = false;
    j["sfts_path"] = "/a/b/";
    EXPECT_EQ(parse_s3_to_sfts_config(j, "x.json").remote_folder(), "a/b");
}

TEST(S3ToSftsConfig, BadValuesAreConfigErrors) {
    for (auto [key, value] : std::vector<std::pair<std::string, nlohmann::ordered_json>>{
             {"sfts_port", 0},
             {"sfts_port", "22"},
             {"sfts_temp_suffix", ""},
             {"sfts_temp_suffix", "a/b"},
             {"journal_prefix", "processed/good/x/"},
             {"max_attempts", -1},
             {"sfts_protocol", "ftps"},
             {"extension", "a/b"}}) {
        auto j = base();
        j[key] = value;
        EXPECT_THROW(parse_s3_to_sfts_config(j, "x.json"), ConfigError) << key << "=" << value;
    }
    auto j = base();
    j.erase("sfts_path");
    EXPECT_THROW(parse_s3_to_sfts_config(j, "x.json"), ConfigError);
}

}  // namespace
}  // namespace gdx::config
