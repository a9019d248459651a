// Golden tests of the SQL RedshiftWarehouse sends (no Redshift is reachable here).
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "util/error.hpp"
#include "util/redact.hpp"
#include "warehouse/postgres/identifiers.hpp"
#include "warehouse/postgres/load_sql.hpp"
#include "warehouse/postgres/pg_connection.hpp"
#include "warehouse/redshift/redshift_sql.hpp"

namespace gdx::warehouse::redshift {
namespace {

TEST(RedshiftSql, CopyWithIamRole) {
    CopyAuth auth;
    auth.iam_role = "arn:aws:iam::123456789012:role/gdx-load";
    EXPECT_EQ(copy_sql(pg::parse_table_name("servicebc.office_info"), {"id", "SDB Site"},
                       "sp-bucket", "processed/batch/client/a.csv.manifest", auth),
              "COPY \"servicebc\".\"office_info\" (\"id\", \"SDB Site\") FROM "
              "'s3://sp-bucket/processed/batch/client/a.csv.manifest' IAM_ROLE "
              "'arn:aws:iam::123456789012:role/gdx-load' MANIFEST DELIMITER '|' ESCAPE NULL AS "
              "'\\\\N' IGNOREHEADER 1 MAXERROR 0 ENCODING UTF8");
}

TEST(RedshiftSql, CopyWithKeysQuotesAndRedacts) {
    CopyAuth auth;
    auth.access_key_id = "AKIAEXAMPLE";
    auth.secret_access_key = "se'cret/KEY";
    auth.session_token = "tok\\en";
    std::string sql =
        copy_sql(pg::QualifiedName{"s", "t"}, {"a"}, "b", "batch/it's \\odd.csv.manifest", auth);
    EXPECT_EQ(sql,
              "COPY \"s\".\"t\" (\"a\") FROM 's3://b/batch/it''s \\\\odd.csv.manifest' "
              "CREDENTIALS 'aws_access_key_id=AKIAEXAMPLE;aws_secret_access_key=se''cret/KEY;"
              "token=tok\\\\en' MANIFEST DELIMITER '|' ESCAPE NULL AS '\\\\N' IGNOREHEADER 1 "
              "MAXERROR 0 ENCODING UTF8");
    std::vector<std::string> secrets = auth.secrets();
    std::string shown = pg::redact(sql, secrets);
    EXPECT_EQ(shown.find("cret/KEY"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("tok\\"), std::string::npos) << shown;
    EXPECT_NE(shown.find("token="), std::string::npos) << shown;
}

TEST(RedshiftSql, QuoteLiteral) {
    EXPECT_EQ(quote_literal("a'b\\c"), "'a''b\\\\c'");
    EXPECT_EQ(quote_literal(""), "''");
}

TEST(RedshiftSql, ManifestNamesExactlyOneObject) {
    auto j = nlohmann::json::parse(manifest_json("b", "batch/a \"b\".csv"));
    ASSERT_EQ(j["entries"].size(), 1u);
    EXPECT_EQ(j["entries"][0]["url"], "s3://b/batch/a \"b\".csv");
    EXPECT_EQ(j["entries"][0]["mandatory"], true);
}

TEST(RedshiftSql, AuthFromEnvironment) {
    unsetenv("GDX_REDSHIFT_IAM_ROLE");
    setenv("AWS_ACCESS_KEY_ID", "AKIA1", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "sk-value-123", 1);
    unsetenv("AWS_SESSION_TOKEN");
    CopyAuth keys = copy_auth_from_environment("");
    EXPECT_EQ(keys.sql(),
              "CREDENTIALS 'aws_access_key_id=AKIA1;aws_secret_access_key=sk-value-123'");
    // Registered for every log line.
    EXPECT_EQ(util::redact("x sk-value-123 y").find("sk-value-123"), std::string::npos);
    EXPECT_EQ(copy_auth_from_environment("arn:role").sql(), "IAM_ROLE 'arn:role'");
    setenv("GDX_REDSHIFT_IAM_ROLE", "arn:env", 1);
    EXPECT_EQ(copy_auth_from_environment("").sql(), "IAM_ROLE 'arn:env'");
    unsetenv("GDX_REDSHIFT_IAM_ROLE");
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    EXPECT_THROW(copy_auth_from_environment(""), ConfigError);
}

TEST(RedshiftSql, ReplaceTransactionGolden) {
    pg::QualifiedName t = pg::parse_table_name("servicebc.office_info");
    std::vector<std::string> all = pg::prepare_scratch_sql(t, pg::LikeFlavour::Redshift);
    std::vector<pg::Grant> grants = pg::parse_acl(
        "{microservice=arwdRxtD/microservice,looker=r/microservice,\"group bi=r/microservice\"}");
    for (std::string& s : pg::swap_sql(t, "microservice", grants)) all.push_back(s);
    std::vector<std::string> expected = {
        "DROP TABLE IF EXISTS \"servicebc\".\"office_info_gdx_scratch\"",
        "DROP TABLE IF EXISTS \"servicebc\".\"office_info_gdx_old\"",
        "CREATE TABLE \"servicebc\".\"office_info_gdx_scratch\" (LIKE "
        "\"servicebc\".\"office_info\" INCLUDING DEFAULTS)",
        "ALTER TABLE \"servicebc\".\"office_info_gdx_scratch\" OWNER TO \"microservice\"",
        "GRANT SELECT ON \"servicebc\".\"office_info_gdx_scratch\" TO \"looker\"",
        "GRANT SELECT ON \"servicebc\".\"office_info_gdx_scratch\" TO GROUP \"bi\"",
        "ALTER TABLE \"servicebc\".\"office_info\" RENAME TO \"office_info_gdx_old\"",
        "ALTER TABLE \"servicebc\".\"office_info_gdx_scratch\" RENAME TO \"office_info\"",
        "DROP TABLE \"servicebc\".\"office_info_gdx_old\"",
    };
    EXPECT_EQ(all, expected);
}

TEST(RedshiftSql, LoadErrorQueriesFilterOnThisCopy) {
    auto queries = load_error_queries();
    ASSERT_EQ(queries.size(), 2u);
    EXPECT_NE(queries[0].find("FROM sys_load_error_detail WHERE query_id = pg_last_copy_id()"),
              std::string::npos);
    EXPECT_NE(queries[1].find("FROM stl_load_errors WHERE query = pg_last_copy_id()"),
              std::string::npos);
}

}  // namespace
}  // namespace gdx::warehouse::redshift
