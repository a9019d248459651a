// Acceptance: every original s3_to_redshift config loads data generated to fit it and its DDL
// on the embedded backends (directory store + SQLite), with the expected row count and
// spot-checked values. The configs and DDL are read from GDX_ORIGINAL_CONFIGS, never copied;
// without them the tests skip.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "../support/original_configs.hpp"
#include "file_text.hpp"
#include "fixtures/config_fitting_data.hpp"
#include "harness.hpp"

using gdx::test::RunResult;
using gdx::test::Workspace;
using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;
namespace fit = gdx::test::fit;

namespace {

const fs::path kOriginals = gdx::test::original_config("s3_to_redshift");
const fs::path kConfigDir = kOriginals / "config.d";
const fs::path kDdlDir = kOriginals / "ddl";

// An object key under <source>/<directory>/ that the config's `doc` pattern selects: realistic
// names, including sub-folders (chatbot prod/…) and spaces (Service Navigator, matrices).
const std::map<std::string, std::string> kObjectName = {
    {"careertoolkit_workbc", "NOC_2024-01-05.csv"},
    {"cats_gdx", "access.log.2024-01-05"},
    {"cats_sbc", "cats-20240105.csv"},
    {"cfms_datedimension", "datedimension-20240105.csv"},
    {"cfms_office", "OfficeDimension-20240105.csv"},
    {"cfms_sbc", "cats_info.csv"},
    {"chatbot_keydates", "prod/covid/keydates-20240105.csv"},
    {"chatbot_newreports", "prod/covid/New_Week_2024-01-05.csv"},
    {"chatbot_reports", "prod/covid/Pass2_2024-01-05.csv"},
    {"chatbot_servnavkeydates", "prod/servnav/keydates-20240105.csv"},
    {"chatbot_servnavreports", "prod/servnav/Service Navigator Training 2024-01-05.csv"},
    {"cmslite.covid_language_matrix", "Translated Content Matrix 2024-01-05.csv"},
    {"cmslite.embc_language_matrix", "EMBC Translated Content Matrix 2024-01-05.csv"},
    {"esb_se-pathways", "se_pathways.csv"},
    {"foi_foi", "AXIS_Workload_Open-Closed_AWSData_20240105.csv"},
    {"gdx_analytics.whitelist", "whitelist_20240105.csv"},
    {"google.googlesearch", "googlesearch_20240105.csv"},
    {"google_sites", "google_sites_20240105.csv"},
    {"ldb_sku", "ldb_sku_20240105.csv"},
    {"limesurvey", "limesurvey-analytics-20240105.csv"},
    {"microservice.looker_dashboard", "dashboard.20240105.csv"},
    {"microservice.looker_dashboard_user", "user.20240105.csv"},
    {"microservice.looker_history", "history.20240105.csv"},
    {"microservice.looker_user_facts", "looker_user_facts.20240105.csv"},
    {"sdpr.service_info", "SDPR-ServicesCodesWithKeys-20240105.csv"},
    {"sdpr_office", "SDPR-OfficeDimension-20240105.csv"},
    {"servicebc.bad_clientids", "bad_clientids_20240105.csv"},
    {"servicebc.call_centre", "ESB_Data-20240105.csv"},
    {"servicebc.call_centre_calls", "CallCenter-calls_20240105.csv"},
    {"servicebc.call_centre_csat", "CallCenter-csat_20240105.csv"},
    {"servicebc.call_centre_esb_data", "esb_data-20240105.csv"},
    {"servicebc.call_centre_escalation", "CallCenter-escalation_20240105.csv"},
    {"servicebc.cats_info", "cats_info_20240105.csv"},
    {"servicebc.commentcard", "CommentCard-20240105.csv"},
    {"servicebc.inaccurate_time_clientids", "inaccurate_time_clientids_20240105.csv"},
    {"servicebc.service_info", "ServicesCodesWithKeys-20240105.csv"},
    {"test.microservice_iam_key_rotation", "GDXDSD-20240105.csv"},
};

constexpr size_t kSeededRows = 4;

// The test parameters, listed when the test binary starts (also for test discovery at build
// time): never throws; without the configs one parameter stands for them all and skips.
std::vector<std::string> config_names() {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(kConfigDir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json" && it->path().stem() != "epdlookup")
            names.push_back(it->path().stem().string());
    std::sort(names.begin(), names.end());
    if (names.empty()) names.push_back("without_original_configs");
    return names;
}

RunResult sql_file(const Workspace& ws, const fs::path& file) {
    return gdx::test::run_gdx({"sql", "-f", file.string(), "--warehouse", ws.warehouse_uri(),
                               "--log-dir", (ws.dir() / "logs").string()});
}

// The DDL file that creates `dbtable`: the one named after it, else the one whose CREATE TABLE
// names it; empty if none (some configs ship without DDL).
fs::path find_ddl(const std::string& dbtable) {
    if (fs::exists(kDdlDir / (dbtable + ".sql"))) return kDdlDir / (dbtable + ".sql");
    std::string escaped = std::regex_replace(dbtable, std::regex(R"(\.)"), R"(\.)");
    std::regex create("CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?" + escaped + "\\b",
                      std::regex::icase);
    for (auto& e : fs::directory_iterator(kDdlDir))
        if (std::regex_search(gdx::test::file_text(e.path()), create)) return e.path();
    return {};
}

// For configs without DDL: VARCHAR(256) per column, TIMESTAMP for dateformat columns, BIGINT
// for dtype_dic_ints, DOUBLE PRECISION for floats, BOOLEAN for bools.
std::string synthesised_ddl(const ojson& cfg) {
    std::string sql = "CREATE TABLE " + cfg["dbtable"].get<std::string>() + " (";
    bool first = true;
    for (auto& col : fit::output_columns(cfg)) {
        std::string type = "VARCHAR(256)";
        if (cfg.contains("dateformat"))
            for (auto& d : cfg["dateformat"])
                if (d["field"] == col.name) type = "TIMESTAMP";
        if (fit::in_list(cfg, "dtype_dic_ints", col.name)) type = "BIGINT";
        if (fit::in_list(cfg, "dtype_dic_floats", col.name)) type = "DOUBLE PRECISION";
        if (fit::in_list(cfg, "dtype_dic_bools", col.name)) type = "BOOLEAN";
        sql += (first ? "\"" : ", \"") + col.name + "\" " + type;
        first = false;
    }
    return sql + ")";
}

class OriginalConfig : public ::testing::TestWithParam<std::string> {
protected:
    void create_table() {
        const std::string dbtable = cfg["dbtable"];
        if (cfg.value("ldb_sku", false)) {
            // The config loads microservice.ldb_sku_csv (DDL deleted upstream) and its
            // post-load SQL reconciles microservice.ldb_sku. Create both with the 41 columns
            // of ldb_sku_initial_setup.sql; the SQL file is found relative to the CWD.
            const std::string setup = gdx::test::file_text(kDdlDir / "ldb_sku_initial_setup.sql");
            ws.write_file("ldb_sku.sql", setup);
            ws.write_file(
                dbtable + ".sql",
                std::regex_replace(setup, std::regex(R"(microservice\.ldb_sku\b)"), dbtable));
            for (const std::string& f : {std::string("ldb_sku.sql"), dbtable + ".sql"}) {
                auto r = sql_file(ws, ws.dir() / f);
                ASSERT_EQ(r.exit_code, 0) << f << ": " << r.err;
            }
            fs::create_directory_symlink(kDdlDir, ws.dir() / "ddl");
            return;
        }
        fs::path ddl = find_ddl(dbtable);
        if (ddl.empty()) {
            ws.sql(synthesised_ddl(cfg));
            return;
        }
        auto r = sql_file(ws, ddl);
        ASSERT_EQ(r.exit_code, 0) << ddl << ": " << r.err;
    }

    // The loadable columns of the target as the warehouse declares them.
    std::vector<fit::TableColumn> table_columns() {
        std::vector<fit::TableColumn> cols;
        for (auto& row :
             ws.query("PRAGMA table_info(\"" + cfg["dbtable"].get<std::string>() + "\")")) {
            auto t = fit::classify(row["type"].get<std::string>(), row["notnull"] == 1);
            if (!t.identity) cols.push_back({row["name"].get<std::string>(), t});
        }
        return cols;
    }

    Workspace ws;
    ojson cfg;
};

TEST_P(OriginalConfig, FittingDataLoadsAsGood) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path config_path = kConfigDir / (GetParam() + ".json");
    cfg = ojson::parse(gdx::test::file_text(config_path));
    const std::string bucket = cfg["bucket"], dbtable = cfg["dbtable"];
    auto name = kObjectName.find(GetParam());
    ASSERT_NE(name, kObjectName.end()) << "no object name for new config " << GetParam();
    const std::string key = cfg["source"].get<std::string>() + "/" +
                            cfg["directory"].get<std::string>() + "/" + name->second;

    ASSERT_NO_FATAL_FAILURE(create_table());
    auto columns = table_columns();
    ASSERT_FALSE(columns.empty()) << dbtable << " was not created";
    std::string why;
    auto object = fit::fit_object(cfg, columns, kSeededRows, why);
    ASSERT_TRUE(object) << why;
    ASSERT_GE(object->expect.size(), 2u) << "nothing to spot-check";
    ws.put(bucket, key, object->bytes);
    if (cfg.value("ldb_sku", false))
        ws.sql(
            "INSERT INTO microservice.ldb_sku (sku, date_added, data_status) "
            "VALUES (999, '2024-01-01', 'old')");

    auto r = ws.run_job("s3-to-redshift", config_path);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err << "\nobject:\n" << object->bytes;
    EXPECT_TRUE(ws.exists(bucket, "processed/good/" + key)) << r.out;
    EXPECT_FALSE(ws.exists(bucket, "processed/bad/" + key)) << r.out;
    EXPECT_EQ(ws.read(bucket, "processed/good/" + key), object->bytes);

    auto rows = ws.query("SELECT * FROM " + dbtable + " ORDER BY rowid");
    ASSERT_EQ(rows.size(), kSeededRows) << object->bytes;
    for (auto& e : object->expect) {
        ASSERT_TRUE(rows[e.row].contains(e.column)) << e.column << " in " << rows[e.row].dump();
        EXPECT_EQ(rows[e.row][e.column], e.value)
            << e.why << ": row " << e.row << " column " << e.column;
    }

    if (cfg.value("ldb_sku", false)) {
        // The post-load SQL ran: as configured it soft-deletes every SKU of ldb_sku
        // that is not among rows of ldb_sku itself with date_added NULL.
        auto old = ws.query("SELECT date_removed FROM microservice.ldb_sku WHERE sku = 999");
        ASSERT_EQ(old.size(), 1u);
        EXPECT_FALSE(old[0]["date_removed"].is_null()) << old[0].dump();
    }
}

INSTANTIATE_TEST_SUITE_P(Originals, OriginalConfig, ::testing::ValuesIn(config_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             std::string n = info.param;
                             for (auto& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

// epdlookup.json is indented with U+00A0 : a config error naming the file, line 2 and
// the column, and nothing is touched.
TEST(OriginalConfigEpdlookup, InvalidJsonExitsTwoNamingFileLineAndColumn) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    Workspace ws;
    auto r = ws.run_job("s3-to-redshift", kConfigDir / "epdlookup.json");
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("epdlookup.json:2:1:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("U+00A0"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

}  // namespace
