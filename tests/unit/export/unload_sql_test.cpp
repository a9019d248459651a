// The UNLOAD text sent to Redshift, for every original config: the statement is composed here
// from the option table of the original service (independently of unload_sql.cpp) and compared
// byte for byte. The configs and DML files are read from GDX_ORIGINAL_CONFIGS
// (tests/support/original_configs.hpp), never copied into the repository.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "../../support/original_configs.hpp"
#include "config/redshift_to_s3_config.hpp"
#include "export/dml_template.hpp"
#include "export/object_names.hpp"
#include "export/unload_sql.hpp"
#include "file_text.hpp"

namespace fs = std::filesystem;
using namespace gdx;

namespace {

fs::path originals() {
    return gdx::test::original_configs_location();
}

// What each original config turns on: ESCAPE, the delimiter line, ADDQUOTES, HEADER.
struct Options {
    const char* delimiter;  // nullptr: no delimiter line
    bool addquotes;
    bool header;
    const char* extension;
};

const std::map<std::string, Options> kExpected = {
    {"example", {nullptr, false, false, ""}},
    {"pmrp_all", {nullptr, false, false, ""}},
    {"pmrp_date_range", {nullptr, false, false, ""}},
    {"pmrp_max_date", {nullptr, false, false, ""}},
    {"pmrp_qdata_daily", {nullptr, false, true, ""}},
    {"pmrp_qdata_dates", {nullptr, false, true, ""}},
    {"pmrp_qdata_range", {nullptr, false, true, ""}},
    {"sbc-sdpr_historical", {",", false, true, ".csv"}},
    {"sbc-sdpr_last_full_day_incremental", {",", false, true, ".csv"}},
    {"sdpr_20min", {"|", false, true, ".csv"}},
    {"sdpr_historical", {nullptr, false, true, ""}},
    {"sdpr_hourly", {",", false, true, ".csv"}},
    {"sdpr_last_full_day", {nullptr, false, true, ""}},
    {"sdpr_last_full_day_incremental", {",", false, true, ".csv"}},
    {"theq_sbc_20min", {"|", true, true, ".csv"}},
    {"theq_sbc_historical", {"|", true, true, ".csv"}},
    {"theq_sbc_last_full_day_incremental", {"|", true, true, ".csv"}},
};

Options expected_options(const std::string& name) {
    if (auto it = kExpected.find(name); it != kExpected.end()) return it->second;
    // webdata_healthgateway_* and webdata_tran_*: comma, ADDQUOTES by default, header, .csv.
    return {",", true, true, ".csv"};
}

}  // namespace

TEST(UnloadSql, WorkedExampleOfTheOriginal) {
    exports::UnloadOptions o{false, ",", true, true};
    EXPECT_EQ(exports::unload_statement(
                  "<dml>", "s3://B/processed/batch/client/D/P_20240101T000000_part",
                  "credentials 'aws_access_key_id=AKID;aws_secret_access_key=SECRET'", o),
              "\nUNLOAD ('<dml>')\nTO 's3://B/processed/batch/client/D/P_20240101T000000_part'\n"
              "credentials 'aws_access_key_id=AKID;aws_secret_access_key=SECRET'\n\ndelimiter "
              "','\nADDQUOTES\nPARALLEL OFF\nHEADER\n");
}

TEST(UnloadSql, CredentialsFromKeysOrRoleAndTheLoggedPlaceholders) {
    gdx::warehouse::redshift::CopyAuth keys;
    keys.access_key_id = "AKID";
    keys.secret_access_key = "S/ecret";
    EXPECT_EQ(exports::credentials_line(keys),
              "credentials 'aws_access_key_id=AKID;aws_secret_access_key=S/ecret'");
    EXPECT_EQ(exports::placeholder_credentials_line(keys),
              "credentials 'aws_access_key_id={aws_access_key_id};aws_secret_access_key="
              "{aws_secret_access_key}'");
    gdx::warehouse::redshift::CopyAuth role;
    role.iam_role = "arn:aws:iam::1:role/unload";
    EXPECT_EQ(exports::credentials_line(role), "IAM_ROLE 'arn:aws:iam::1:role/unload'");
    EXPECT_EQ(exports::placeholder_credentials_line(role), exports::credentials_line(role));
}

TEST(UnloadSql, EveryOriginalConfigGivesTheOriginalStatement) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path dir = originals() / "redshift_to_s3";
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(dir / "config.d")) {
        const std::string name = entry.path().stem().string();
        SCOPED_TRACE(name);
        const auto cfg = config::load_redshift_to_s3_config(entry.path());
        const std::string dml = gdx::test::file_text(dir / "dml" / cfg.dml);
        ASSERT_FALSE(dml.empty());
        // Dates as the acceptance vector of the original (unsent..max resolved to these).
        std::string filled = dml, key;
        const std::string ts = "20240216T060001";
        if (cfg.parse_key == config::ParseKey::DateRange) {
            filled =
                exports::fill_placeholder(dml, "pmrp_date_range", "''20240201'' AND ''20240215''");
            key = exports::object_key(cfg.object_prefix,
                                      std::pair<std::string, std::string>("20240201", "20240215"),
                                      {}, ts);
            EXPECT_NE(filled.find("BETWEEN ''20240201'' AND ''20240215''"), std::string::npos);
        } else if (cfg.parse_key == config::ParseKey::DateList) {
            filled = exports::fill_placeholder(dml, "pmrp_qdata_dates",
                                               exports::date_list_value(cfg.date_list));
            key = exports::object_key(cfg.object_prefix, std::nullopt, cfg.date_list, ts);
            EXPECT_EQ(key, "pmrp_qdata_2021-01-01_2021-02-04_2021-05-08_" + ts);
        } else {
            key = exports::object_key(cfg.object_prefix, std::nullopt, {}, ts);
        }
        EXPECT_EQ(filled.find('{'), std::string::npos) << "a placeholder was left";
        const Options o = expected_options(name);
        const std::string target =
            "s3://sp-ca-bc-gov-131565110619-12-microservices/processed/"
            "batch/client/" +
            cfg.directory + "/" + key + "_part";
        std::string expected = "\nUNLOAD ('" + filled + "')\nTO '" + target +
                               "'\ncredentials 'aws_access_key_id=AKID;aws_secret_access_key=SK'\n"
                               "\n" +  // ESCAPE is off in every original config
                               (o.delimiter ? std::string("delimiter '") + o.delimiter + "'" : "") +
                               "\n" + (o.addquotes ? "ADDQUOTES" : "") + "\nPARALLEL OFF\n" +
                               (o.header ? "HEADER" : "") + "\n";
        const std::string actual = exports::unload_statement(
            filled, target, "credentials 'aws_access_key_id=AKID;aws_secret_access_key=SK'",
            {cfg.escape, cfg.delimiter, cfg.addquotes, cfg.header});
        EXPECT_EQ(actual, expected);
        EXPECT_EQ(cfg.extension, o.extension);
        ++checked;
    }
    EXPECT_EQ(checked, 34);
}
