// End-to-end: gdx cmslite-metadata on a directory store and a SQLite warehouse
// (the original's worked example, adjusted for the decisions in docs/differences.md).
#include <gtest/gtest.h>

#include <fstream>

#include "../support/original_configs.hpp"
#include "harness.hpp"

using gdx::test::Backend;
using gdx::test::backend_name;
using gdx::test::RunResult;
using gdx::test::Workspace;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string kCmsPrefix = "client/cmslite_gdx/";
const std::string kBatch = "processed/batch/client/cmslite_gdx/";

// The worked example's input; \t is a TAB inside a field.
const std::string kExample =
    "node_id,parent_node_id,title,page_type,modified_date,content_types,dcterms_languages,"
    "dcterms_creator\n"
    "N1,R0,\"Home, \"\"sweet\"\" home\",PAGE,2021-05-13 10:11:12,|Guide|Form|Guide|,|English|,"
    "|Ministry B|Ministry A|\n"
    "N2,N1,Budget\t2021,PAGE,NULL,NULL,|English|French|,||\n"
    "N3,N1,-,ASSET,2021-06-01 00:00:00,|form|,|English |,|Ministry A|\n";

class CmsliteMetadata : public ::testing::TestWithParam<Backend> {
protected:
    CmsliteMetadata() : ws(GetParam()), kBucket(ws.bucket()) {}
    void SetUp() override {
        ws.sql("CREATE SCHEMA IF NOT EXISTS cmslite");
        ws.sql(
            "CREATE TABLE cmslite.metadata (node_id VARCHAR(255) NOT NULL, parent_node_id "
            "VARCHAR(255), title VARCHAR(2047), folder_name VARCHAR(255), dcterms_creator "
            "VARCHAR(4095), modified_date TIMESTAMP);"
            "CREATE TABLE cmslite.microservice_log (starttime TIMESTAMP, endtime TIMESTAMP);");
        for (const char* t : {"content_types", "dcterms_languages", "creators"})
            ws.sql(std::string("CREATE TABLE cmslite.") + t +
                   " (id BIGINT NOT NULL, value VARCHAR(255) NOT NULL)");
        for (const char* t : {"metadata_content_types", "metadata_languages", "metadata_creators"})
            ws.sql(std::string("CREATE TABLE cmslite.") + t +
                   " (node_id VARCHAR(255) NOT NULL, id BIGINT NOT NULL)");
        cfg = json::parse(R"({"bucket":"example-bucket","source":"client","destination":"processed",
 "directory":"cmslite_gdx","doc":"cmslite.csv.*","dbschema":"cmslite","dbtable":"metadata",
 "sql_query":"post.sql",
 "columns":["node_id","parent_node_id","title","page_type","modified_date",
            "content_types","dcterms_languages","dcterms_creator"],
 "column_count":8,
 "columns_metadata":["node_id","parent_node_id","title","folder_name","dcterms_creator","modified_date"],
 "columns_lookup":["content_types","dcterms_languages","dcterms_creator"],
 "dbtables_dictionaries":["content_types","dcterms_languages","creators"],
 "dbtables_metadata":["metadata_content_types","metadata_languages","metadata_creators"],
 "replace":[{"field":"content_types","old":"NULL","new":"||"}],
 "dateformat":[{"field":"modified_date","format":"%Y-%m-%d %H:%M:%S"}],
 "dtype_dic_strings":["node_id","parent_node_id","title","page_type","folder_name",
                      "modified_date","content_types","dcterms_languages","dcterms_creator"],
 "delim":",","nested_delim":"|","truncate":true})");
        cfg["bucket"] = kBucket;
        post_sql("UPDATE {dbschema}.metadata SET folder_name = 'post' WHERE node_id = 'N1';");
    }
    void post_sql(const std::string& sql) {
        std::filesystem::create_directories(ws.dir() / "ddl");
        std::ofstream(ws.dir() / "ddl" / "post.sql") << sql;
    }
    RunResult run() {
        return ws.run_job("cmslite-metadata", ws.write_file("cms.json", cfg.dump(2)));
    }
    std::vector<json> table(const std::string& sql) { return ws.query(sql); }
    std::vector<std::pair<int64_t, std::string>> dictionary(const std::string& t) {
        std::vector<std::pair<int64_t, std::string>> out;
        for (auto& r : ws.query("SELECT id, value FROM cmslite." + t + " ORDER BY id"))
            out.emplace_back(r["id"].get<int64_t>(), r["value"].get<std::string>());
        return out;
    }
    size_t count(const std::string& t) {
        return ws.query("SELECT count(*) AS c FROM cmslite." + t)[0]["c"].get<size_t>();
    }

    Workspace ws;
    const std::string kBucket;
    json cfg;
};
INSTANTIATE_TEST_SUITE_P(Backends, CmsliteMetadata,
                         ::testing::Values(Backend::Embedded, Backend::S3Postgres),
                         [](const auto& info) { return backend_name(info.param); });

using Dict = std::vector<std::pair<int64_t, std::string>>;

TEST_P(CmsliteMetadata, WorkedExampleTableByTable) {
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.2021-06-02", kExample, 10s);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    const std::string scheme = GetParam() == Backend::Embedded ? "sqlite" : "postgresql";
    EXPECT_NE(r.out.find("Objects loaded to the warehouse (" + scheme + "): 1"), std::string::npos)
        << r.out;

    auto m = table(
        "SELECT node_id, parent_node_id, title, folder_name, dcterms_creator, modified_date FROM "
        "cmslite.metadata ORDER BY node_id");
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0]["title"], "Home, \"sweet\" home");  // quotes are not data
    EXPECT_EQ(m[0]["folder_name"], "post");            // the post-load SQL ran
    EXPECT_EQ(m[0]["modified_date"], "2021-05-13 10:11:12");
    EXPECT_EQ(m[0]["dcterms_creator"], "|Ministry B|Ministry A|");
    EXPECT_EQ(m[1]["title"], "Budget 2021");  // TAB -> space
    EXPECT_TRUE(m[1]["modified_date"].is_null());
    EXPECT_EQ(m[1]["dcterms_creator"], "||");
    EXPECT_EQ(m[1]["folder_name"], "");
    EXPECT_EQ(m[2]["title"], "-");  // a literal '-' stays '-'
    EXPECT_EQ(m[2]["parent_node_id"], "N1");

    EXPECT_EQ(dictionary("content_types"), (Dict{{0, "Form"}, {1, "Guide"}, {2, "form"}}));
    EXPECT_EQ(dictionary("dcterms_languages"),
              (Dict{{0, "English"}, {1, "English "}, {2, "French"}}));
    EXPECT_EQ(dictionary("creators"),
              (Dict{{0, "Ministry A"}, {1, "Ministry B"}}));  // empty elements skipped

    // Lookups in input order, duplicates kept (the batch objects show the order).
    const std::string folder = kBatch + "cmslite.csv.2021-06-02/";
    EXPECT_EQ(ws.read(kBucket, folder + "metadata_content_types"),
              "node_id|id\nN1|1\nN1|0\nN1|1\nN3|2\n");
    EXPECT_EQ(ws.read(kBucket, folder + "metadata_languages"),
              "node_id|id\nN1|0\nN2|0\nN2|2\nN3|1\n");
    EXPECT_EQ(ws.read(kBucket, folder + "metadata_creators"), "node_id|id\nN1|1\nN1|0\nN3|0\n");
    EXPECT_EQ(count("metadata_content_types"), 4u);
    EXPECT_EQ(count("metadata_languages"), 4u);
    EXPECT_EQ(count("metadata_creators"), 3u);
    auto lc = table("SELECT node_id, id FROM cmslite.metadata_creators ORDER BY node_id, id");
    EXPECT_EQ(lc[0]["node_id"], "N1");
    EXPECT_EQ(lc[0]["id"], 0);
    EXPECT_EQ(lc[2]["node_id"], "N3");

    EXPECT_EQ(count("microservice_log"), 1u);
    EXPECT_TRUE(ws.exists(kBucket, "processed/good/client/cmslite_gdx/cmslite.csv.2021-06-02"));

    // Nothing new: a second run does nothing and exits 0.
    auto again = run();
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(count("microservice_log"), 1u);
}

TEST_P(CmsliteMetadata, NestedCellsWithSpecialCharactersRoundTrip) {
    const std::string body =
        "node_id,parent_node_id,title,page_type,modified_date,content_types,dcterms_languages,"
        "dcterms_creator\n"
        "A,,t,PAGE,,\"|x|x||caf\xC3\xA9|-|\"\"q\"\"|back\\slash|line\nbreak|\",|fr|,|\\N|\n"
        "B,,t,PAGE,,|\xE2\x82\xAC|x|,English,|a\\|\n";
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.x", body, 10s);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(dictionary("content_types"), (Dict{{0, "\"q\""},
                                                 {1, "-"},
                                                 {2, "back\\slash"},
                                                 {3, "caf\xC3\xA9"},
                                                 {4, "line\nbreak"},
                                                 {5, "x"},
                                                 {6, "\xE2\x82\xAC"}}));
    EXPECT_EQ(ws.read(kBucket, kBatch + "cmslite.csv.x/metadata_content_types"),
              "node_id|id\nA|5\nA|5\nA|3\nA|1\nA|0\nA|2\nA|4\nB|6\nB|5\n");
    // "English" is not wrapped in '|': split the original's way, with a warning.
    EXPECT_EQ(dictionary("dcterms_languages"), (Dict{{0, "fr"}, {1, "nglis"}}));
    EXPECT_EQ(dictionary("creators"), (Dict{{0, "\\N"}, {1, "a\\"}}));
    std::ifstream log(ws.dir() / "logs" / "cmslite-metadata.log");
    std::string text((std::istreambuf_iterator<char>(log)), {});
    EXPECT_NE(text.find("does not start and end with"), std::string::npos);
}

TEST_P(CmsliteMetadata, HeaderOnlyInputIsBadAndTablesStayUntouched) {
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.1", kExample, 20s);
    ASSERT_EQ(run().exit_code, 0);
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.2", kExample.substr(0, kExample.find('\n') + 1), 10s);
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(ws.exists(kBucket, "processed/bad/client/cmslite_gdx/cmslite.csv.2"));
    EXPECT_TRUE(ws.exists(kBucket, "processed/bad/client/cmslite_gdx/cmslite.csv.2.error.json"));
    EXPECT_EQ(count("metadata"), 3u);
    EXPECT_EQ(count("content_types"), 3u);
    EXPECT_EQ(count("metadata_languages"), 4u);
    EXPECT_EQ(count("microservice_log"), 1u);
}

TEST_P(CmsliteMetadata, FailingPostLoadSqlRollsEverythingBack) {
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.1", kExample, 20s);
    ASSERT_EQ(run().exit_code, 0);
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.2",
           "node_id,parent_node_id,title,page_type,modified_date,content_types,"
           "dcterms_languages,dcterms_creator\nZ,,new,PAGE,,|new|,|new|,|new|\n",
           10s);
    post_sql("UPDATE {dbschema}.no_such_table SET x = 1;");
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto sidecar =
        json::parse(ws.read(kBucket, "processed/bad/client/cmslite_gdx/cmslite.csv.2.error.json"));
    EXPECT_NE(sidecar.dump().find("post-load SQL"), std::string::npos) << sidecar.dump();
    EXPECT_NE(sidecar.dump().find("no_such_table"), std::string::npos) << sidecar.dump();
    EXPECT_EQ(count("metadata"), 3u);  // old tables intact
    EXPECT_EQ(dictionary("content_types"), (Dict{{0, "Form"}, {1, "Guide"}, {2, "form"}}));
    EXPECT_EQ(count("metadata_creators"), 3u);
    EXPECT_EQ(count("microservice_log"), 1u);
    EXPECT_FALSE(ws.exists(kBucket, "processed/good/client/cmslite_gdx/cmslite.csv.2"));
}

TEST_P(CmsliteMetadata, MissingTableIsAConfigErrorAndNothingIsTouched) {
    ws.sql("DROP TABLE cmslite.creators");
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.1", kExample, 20s);
    auto r = run();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cmslite.creators"), std::string::npos) << r.err;
    EXPECT_FALSE(ws.exists(kBucket, "processed/bad/client/cmslite_gdx/cmslite.csv.1"));
    EXPECT_EQ(count("metadata"), 0u);
}

// A "-" in a column that is not text is NULL (the original's COPY had NULL AS '-'); in a
// text column it is data.
TEST_P(CmsliteMetadata, DashIsNullInColumnsThatAreNotText) {
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.1",
           "node_id,parent_node_id,title,page_type,modified_date,content_types,"
           "dcterms_languages,dcterms_creator\n"
           "N1,-,-,PAGE,-,|a|,|en|,|c|\n",
           10s);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    auto m = table("SELECT parent_node_id, title, modified_date FROM cmslite.metadata");
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0]["parent_node_id"], "-");
    EXPECT_EQ(m[0]["title"], "-");
    EXPECT_TRUE(m[0]["modified_date"].is_null()) << m[0].dump();
}

// dateformat, as the original read it: each value is parsed as ISO-8601 on its own (date only,
// T or space, fractions, offsets kept as written) and rendered with the configured format.
TEST_P(CmsliteMetadata, DatesAreReadAsIso8601AndWrittenWithTheFormat) {
    const std::string header =
        "node_id,parent_node_id,title,page_type,modified_date,content_types,"
        "dcterms_languages,dcterms_creator\n";
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.1",
           header +
               "N1,,a,PAGE,2028-01-01,|a|,|en|,|c|\n"
               "N2,,b,PAGE,2021-05-13T10:11:12.123456Z,|a|,|en|,|c|\n"
               "N3,,c,PAGE,2021-05-13 23:59:01-07:00,|a|,|en|,|c|\n"
               "N4,,d,PAGE,2021-05-13T08:09,|a|,|en|,|c|\n",
           20s);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    auto m = table("SELECT node_id, modified_date FROM cmslite.metadata ORDER BY node_id");
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[0]["modified_date"], "2028-01-01 00:00:00");
    EXPECT_EQ(m[1]["modified_date"], "2021-05-13 10:11:12");
    EXPECT_EQ(m[2]["modified_date"], "2021-05-13 23:59:01");
    EXPECT_EQ(m[3]["modified_date"], "2021-05-13 08:09:00");

    // Only a value that is no date makes the object bad, naming line, column and value.
    ws.put(kBucket, kCmsPrefix + "cmslite.csv.2",
           header + "N1,,a,PAGE,2028-01-01,|a|,|en|,|c|\nN2,,b,PAGE,13/05/2021,|a|,|en|,|c|\n",
           10s);
    r = run();
    EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
    const auto sidecar =
        json::parse(ws.read(kBucket, "processed/bad/client/cmslite_gdx/cmslite.csv.2.error.json"));
    const std::string text = sidecar.dump();
    EXPECT_NE(text.find("13/05/2021"), std::string::npos) << text;
    EXPECT_NE(text.find("modified_date"), std::string::npos) << text;
    EXPECT_NE(text.find("\"line\":3"), std::string::npos) << text;
    EXPECT_EQ(count("metadata"), 4u);  // the first object's tables stay
}

// The shipped configs with their shipped DDL.
const std::string kShipped = gdx::test::original_config("cmslitemetadata_to_redshift/").string();
const char* kShippedBucket = "sp-ca-bc-gov-131565110619-12-microservices";

std::string shipped_input() {
    std::string header =
        "node_id,parent_node_id,ancestor_nodes,keywords,description,page_type,synonyms,"
        "dcterms_creator,modified_date,created_date,updated_date,published_date,content_types,"
        "mbcterms_subject_categories,dcterms_subjects,dcterms_languages,audiences,hr_url,title,"
        "nav_title,eng_nav_title,site_key,site_id,language_name,language_code,page_status,"
        "published_by,created_by,modified_by,node_level,locked_date,moved_date,exclude_from_ia,"
        "hide_from_navigation,exclude_from_search_engines,security_classification,"
        "security_label,publication_date,defined_security_groups,inherited_security_groups\n";
    auto row = [](const std::string& id, const std::string& parent, const std::string& type) {
        return id + "," + parent + ",||,kw,\"desc, with comma\"," + type +
               ",||,|Ministry A|,2021-05-13 10:11:12,2020-01-01 00:00:00,NULL,NULL,|Guide|,"
               "|Cat|,|Subj|,|English|,|Public|,https://x/" +
               id + ",Title " + id +
               ",Nav,Nav,GOV,CA4CBBBB070F043ACF7FB35FE3FD1081,English,en,"
               "Published,IDIR\\A,IDIR\\B,IDIR\\C,2,NULL,NULL,false,true,false,Public,,"
               "2021-09-03 20:35:12,|g1|,|g2|\n";
    };
    return header + row("CA4CBBBB070F043ACF7FB35FE3FD1081", "", "PAGE") +
           row("N2", "CA4CBBBB070F043ACF7FB35FE3FD1081", "PAGE") + row("N3", "N2", "ASSET");
}

// The shipped DDL, run with `gdx sql -f` as a user would.
void create_shipped_tables(Workspace& ws) {
    auto ddl =
        gdx::test::run_gdx({"sql", "-f", kShipped + "ddl/cmslite.metadata.sql", "--warehouse",
                            ws.warehouse_uri(), "--log-dir", (ws.dir() / "logs").string()});
    ASSERT_EQ(ddl.exit_code, 0) << ddl.err;
}

TEST(CmsliteShipped, ProductionConfigLoadsWithItsDdl) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    Workspace ws;
    ASSERT_NO_FATAL_FAILURE(create_shipped_tables(ws));
    ws.put(kShippedBucket, "client/cmslite_gdx/cmslite.csv.2021-06-02", shipped_input(), 10s);
    auto r = ws.run_job("cmslite-metadata", kShipped + "cmslite_gdx.json");
    // The shipped post-load SQL is Redshift SQL (an `index` alias, lateral column aliases,
    // INSERT INTO t (SELECT …)); the translation runs it on SQLite (docs/redshift.md).
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM cmslite.metadata")[0]["c"], 3);
    const auto themes = ws.query("SELECT node_id, title, hr_url FROM cmslite.themes ORDER BY 1");
    const auto pages = ws.query(
        "SELECT node_id, title, hr_url FROM cmslite.metadata WHERE page_type NOT LIKE "
        "'ASSET_FOLDER' AND page_type NOT LIKE 'ASSET' ORDER BY 1");
    EXPECT_FALSE(pages.empty());
    EXPECT_EQ(themes, pages);  // one theme row per page: the row the query numbers 1
}

TEST(CmsliteShipped, ProductionConfigFillsEveryTable) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    Workspace ws;
    ASSERT_NO_FATAL_FAILURE(create_shipped_tables(ws));
    std::ifstream in(kShipped + "cmslite_gdx.json");
    auto cfg = json::parse(in);
    cfg["sql_query"] = "trivial.sql";
    std::filesystem::create_directories(ws.dir() / "ddl");
    std::ofstream(ws.dir() / "ddl" / "trivial.sql")
        << "BEGIN;\nSET search_path TO {dbschema};\nUPDATE {dbschema}.metadata SET folder_name "
           "= 'f' WHERE page_type = 'ASSET';\n";
    ws.put(kShippedBucket, "client/cmslite_gdx/cmslite.csv.2021-06-02", shipped_input(), 10s);
    auto r = ws.run_job("cmslite-metadata", ws.write_file("cms.json", cfg.dump(2)));
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    auto one = [&](const std::string& sql) { return ws.query(sql)[0]["c"]; };
    EXPECT_EQ(one("SELECT count(*) AS c FROM cmslite.metadata"), 3);
    EXPECT_EQ(one("SELECT count(*) AS c FROM cmslite.metadata WHERE folder_name = 'f'"), 1);
    EXPECT_EQ(one("SELECT count(*) AS c FROM cmslite.metadata WHERE sitekey = 'GOV'"), 3);
    EXPECT_EQ(one("SELECT count(*) AS c FROM cmslite.metadata WHERE node_level = 2"), 3);
    for (const char* t : {"content_types", "mbcterms_subject_categories", "dcterms_subjects",
                          "dcterms_languages", "audiences", "creators"})
        EXPECT_EQ(one(std::string("SELECT count(*) AS c FROM cmslite.") + t), 1) << t;
    for (const char* t :
         {"metadata_content_types", "metadata_subject_categories", "metadata_subjects",
          "metadata_languages", "metadata_audiences", "metadata_creators"})
        EXPECT_EQ(one(std::string("SELECT count(*) AS c FROM cmslite.") + t), 3) << t;
    EXPECT_EQ(one("SELECT count(*) AS c FROM cmslite.microservice_log"), 1);
}

TEST(CmsliteShipped, GroupsConfigNamesTheTableItsDdlDoesNotCreate) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    Workspace ws;
    ASSERT_NO_FATAL_FAILURE(create_shipped_tables(ws));
    ws.put(kShippedBucket, "client/cmslite_gdx/cmslite.csv.2021-06-02", shipped_input(), 10s);
    auto r = ws.run_job("cmslite-metadata", kShipped + "cmslite_groups_gdx.json");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("cmslite.inherited_security_groups does not exist"), std::string::npos)
        << r.err;
    EXPECT_FALSE(
        ws.exists(kShippedBucket, "processed/bad/client/cmslite_gdx/cmslite.csv.2021-06-02"));
}

}  // namespace
