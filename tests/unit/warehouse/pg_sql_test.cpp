// Pure parts of the PostgreSQL backend: names, ACLs, generated SQL, batch text, settings.
#include <gtest/gtest.h>

#include <cstdlib>

#include "util/error.hpp"
#include "warehouse/postgres/acl.hpp"
#include "warehouse/postgres/batch_text.hpp"
#include "warehouse/postgres/identifiers.hpp"
#include "warehouse/postgres/load_sql.hpp"
#include "warehouse/postgres/pg_connection.hpp"

namespace gdx::warehouse::pg {
namespace {

TEST(PgIdentifiers, ParsesAndQuotes) {
    QualifiedName a = parse_table_name("servicebc.Office_Info");
    EXPECT_EQ(a.schema, "servicebc");
    EXPECT_EQ(a.name, "office_info");
    EXPECT_EQ(a.sql(), "\"servicebc\".\"office_info\"");
    QualifiedName b = parse_table_name("\"Odd Schema\".\"a \"\"B\"\"\"");
    EXPECT_EQ(b.schema, "odd schema");  // quoted parts fold too, as on Redshift
    EXPECT_EQ(b.name, "a \"b\"");
    EXPECT_EQ(b.sql(), "\"odd schema\".\"a \"\"b\"\"\"");
    EXPECT_EQ(parse_table_name("t").sql(), "\"t\"");
}

TEST(PgIdentifiers, RejectsInjection) {
    EXPECT_THROW(parse_table_name("t; DROP TABLE x"), ConfigError);
    EXPECT_THROW(parse_table_name("a.b.c"), ConfigError);
    EXPECT_THROW(parse_table_name("\"open"), ConfigError);
    EXPECT_THROW(parse_table_name(""), ConfigError);
    EXPECT_THROW(parse_table_name("t'x"), ConfigError);
}

TEST(PgIdentifiers, LongNamesKeepScratchAndOldDistinct) {
    QualifiedName t{"s", std::string(60, 'x')};
    QualifiedName scratch = scratch_name(t);
    QualifiedName old = old_name(t);
    EXPECT_LE(scratch.name.size(), 63u);
    EXPECT_LE(old.name.size(), 63u);
    EXPECT_NE(scratch.name, old.name);
    EXPECT_EQ(scratch_name(QualifiedName{"s", "t"}).name, "t_gdx_scratch");
}

TEST(PgAcl, ParsesServerText) {
    std::string unknown;
    auto grants = parse_acl(
        "{owner=arwdDxt/owner,looker=r/owner,\"\\\"odd \\\"\\\"role\\\"\\\"\\\"=r*a/owner\","
        "=r/owner,\"group bi=rm/owner\"}",
        &unknown);
    EXPECT_EQ(unknown, "m");
    ASSERT_EQ(grants.size(), 12u);
    EXPECT_EQ(grants[7].grantee, "looker");
    EXPECT_EQ(grants[7].privilege, "SELECT");
    EXPECT_EQ(grants[8].grantee, "odd \"role\"");
    EXPECT_TRUE(grants[8].grant_option);
    EXPECT_EQ(grants[9].privilege, "INSERT");
    EXPECT_FALSE(grants[9].grant_option);
    EXPECT_EQ(grants[10].grantee, "");
    EXPECT_TRUE(grants[11].is_group);
    EXPECT_EQ(grants[11].grantee, "bi");

    auto sql = grant_sql(QualifiedName{"s", "t"}, "owner", grants);
    std::vector<std::string> expected = {
        "GRANT SELECT ON \"s\".\"t\" TO \"looker\"",
        "GRANT SELECT ON \"s\".\"t\" TO \"odd \"\"role\"\"\" WITH GRANT OPTION",
        "GRANT INSERT ON \"s\".\"t\" TO \"odd \"\"role\"\"\"",
        "GRANT SELECT ON \"s\".\"t\" TO PUBLIC",
        "GRANT SELECT ON \"s\".\"t\" TO GROUP \"bi\"",
    };
    EXPECT_EQ(sql, expected);
}

TEST(PgLoadSql, Golden) {
    QualifiedName t{"servicebc", "office_info"};
    EXPECT_EQ(copy_from_stdin_sql(t, {"id", "SDB Site", "a\"b"}),
              "COPY \"servicebc\".\"office_info\" (\"id\", \"SDB Site\", \"a\"\"b\") FROM STDIN "
              "WITH (FORMAT text, DELIMITER '|', NULL '\\N', HEADER true)");
    std::vector<std::string> prep = prepare_scratch_sql(t, LikeFlavour::PostgreSQL);
    std::vector<std::string> expected_prep = {
        "DROP TABLE IF EXISTS \"servicebc\".\"office_info_gdx_scratch\"",
        "DROP TABLE IF EXISTS \"servicebc\".\"office_info_gdx_old\"",
        "CREATE TABLE \"servicebc\".\"office_info_gdx_scratch\" (LIKE "
        "\"servicebc\".\"office_info\" INCLUDING ALL)",
    };
    EXPECT_EQ(prep, expected_prep);
    EXPECT_EQ(prepare_scratch_sql(t, LikeFlavour::Redshift)[2],
              "CREATE TABLE \"servicebc\".\"office_info_gdx_scratch\" (LIKE "
              "\"servicebc\".\"office_info\" INCLUDING DEFAULTS)");
    std::vector<Grant> grants = {{"looker", false, "SELECT", false},
                                 {"loader", false, "INSERT", false},
                                 {"loader", false, "DELETE", false}};
    std::vector<std::string> swap = swap_sql(t, "microservice", grants);
    std::vector<std::string> expected_swap = {
        "ALTER TABLE \"servicebc\".\"office_info_gdx_scratch\" OWNER TO \"microservice\"",
        "GRANT SELECT ON \"servicebc\".\"office_info_gdx_scratch\" TO \"looker\"",
        "GRANT INSERT, DELETE ON \"servicebc\".\"office_info_gdx_scratch\" TO \"loader\"",
        "ALTER TABLE \"servicebc\".\"office_info\" RENAME TO \"office_info_gdx_old\"",
        "ALTER TABLE \"servicebc\".\"office_info_gdx_scratch\" RENAME TO \"office_info\"",
        "DROP TABLE \"servicebc\".\"office_info_gdx_old\"",
    };
    EXPECT_EQ(swap, expected_swap);
}

TEST(PgLoadSql, LockKeyIsStableAndDistinct) {
    EXPECT_EQ(object_lock_key("b", "k"), object_lock_key("b", "k"));
    EXPECT_NE(object_lock_key("b", "k1"), object_lock_key("b", "k2"));
    EXPECT_NE(object_lock_key("b1", "k"), object_lock_key("b", "1k"));
    // FNV-1a of "b/k": pinned so that two builds always agree on the lock.
    EXPECT_EQ(static_cast<uint64_t>(object_lock_key("b", "k")), 0xff733d1912905aafull);
}

TEST(PgLoadSql, ParsesCopyContext) {
    CopyContext c = parse_copy_context("COPY t, line 3, column name: \"abcdef\"");
    EXPECT_EQ(c.line, 3u);
    EXPECT_EQ(c.column, "name");
    EXPECT_EQ(c.value, "abcdef");
    c = parse_copy_context("COPY t, line 2, column n: null input");
    EXPECT_EQ(c.line, 2u);
    EXPECT_EQ(c.column, "n");
    EXPECT_FALSE(c.value.has_value());
    c = parse_copy_context("SQL function x\nCOPY t, line 7: \"a|b|c\"");
    EXPECT_EQ(c.line, 7u);
    EXPECT_EQ(c.column, "");
    EXPECT_EQ(c.value, "a|b|c");
    EXPECT_EQ(parse_copy_context("nothing").line, 0u);
}

class StringReader : public store::ObjectReader {
public:
    StringReader(std::string s, size_t step) : s_(std::move(s)), step_(step) {}
    size_t read(char* dst, size_t capacity) override {
        size_t n = std::min({capacity, step_, s_.size() - pos_});
        std::copy_n(s_.data() + pos_, n, dst);
        pos_ += n;
        return n;
    }

private:
    std::string s_;
    size_t step_;
    size_t pos_ = 0;
};

TEST(PgBatchText, SplitsAndUnescapes) {
    auto f = split_batch_record("a\\|b|\\N|\\\\N||x\\\ny");
    ASSERT_EQ(f.size(), 5u);
    EXPECT_EQ(f[0], "a|b");
    EXPECT_FALSE(f[1].has_value());
    EXPECT_EQ(f[2], "\\N");
    EXPECT_EQ(f[3], "");
    EXPECT_EQ(f[4], "x\ny");
}

TEST(PgBatchText, HeaderAcrossChunksAndRecordLines) {
    std::string batch = "id|na\\|me\n1|a\\\nb\n2|c\n3|d";
    for (size_t step : {1u, 3u, 1000u}) {
        StringReader r(batch, step);
        std::string consumed;
        auto names = read_batch_header(r, consumed);
        EXPECT_EQ(names, (std::vector<std::string>{"id", "na|me"}));
        EXPECT_EQ(batch.rfind(consumed, 0), 0u);
        StringReader r2(batch, step);
        auto rec = find_batch_record(r2, 3);
        ASSERT_TRUE(rec.has_value());
        EXPECT_EQ(rec->physical_line, 4u);  // record 2 spans lines 2-3
        EXPECT_EQ(rec->fields[1], "c");
        StringReader r3(batch, step);
        auto last = find_batch_record(r3, 4);
        ASSERT_TRUE(last.has_value());
        EXPECT_EQ(last->physical_line, 5u);
        StringReader r4(batch, step);
        EXPECT_FALSE(find_batch_record(r4, 5).has_value());
    }
    StringReader empty("", 10);
    std::string consumed;
    EXPECT_THROW(read_batch_header(empty, consumed), LoadError);
}

struct EnvGuard {
    EnvGuard(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old, had_ = true;
        if (value) {
            setenv(name, value, 1);
        } else {
            unsetenv(name);
        }
    }
    ~EnvGuard() {
        if (had_) {
            setenv(name_, old_.c_str(), 1);
        } else {
            unsetenv(name_);
        }
    }
    const char* name_;
    std::string old_;
    bool had_ = false;
};

std::string param(const ConnectionSettings& s, const std::string& key) {
    std::string v;
    for (const auto& [k, val] : s.params) {
        if (k == key) v = val;
    }
    return v;
}

TEST(PgSettings, OriginalsEnvironmentFillsUserAndPassword) {
    EnvGuard u("pguser", "loader");
    EnvGuard p("pgpass", "pa ss'w\\d");
    ConnectionSettings s = connection_settings("postgresql://db.example:6543/snowplow");
    EXPECT_EQ(param(s, "user"), "loader");
    EXPECT_EQ(param(s, "password"), "pa ss'w\\d");  // passed as a value, never parsed
    EXPECT_EQ(param(s, "host"), "db.example");
    EXPECT_EQ(param(s, "port"), "6543");
    EXPECT_EQ(param(s, "dbname"), "snowplow");
    EXPECT_EQ(s.description, "postgresql://loader@db.example:6543/snowplow");

    ConnectionSettings t = connection_settings("postgres://me:uri%20pw@h/db");
    EXPECT_EQ(param(t, "user"), "me");
    EXPECT_EQ(param(t, "password"), "uri pw");
    EXPECT_EQ(t.description.find("pw"), std::string::npos);
}

TEST(PgSettings, RedshiftDefaults) {
    EnvGuard p("PGPORT", nullptr);
    EnvGuard m("PGSSLMODE", nullptr);
    ConnectionSettings s = connection_settings("redshift://u@cluster.example/snowplow");
    EXPECT_EQ(param(s, "port"), "5439");
    EXPECT_EQ(param(s, "sslmode"), "require");
    EXPECT_EQ(s.description, "redshift://u@cluster.example:5439/snowplow");
    ConnectionSettings t = connection_settings("redshift://u@h:5440/db?sslmode=verify-full");
    EXPECT_EQ(param(t, "port"), "5440");
    EXPECT_EQ(param(t, "sslmode"), "verify-full");
}

TEST(PgSettings, MalformedUriNeverShowsPassword) {
    try {
        connection_settings("postgresql://u:hunter2@h/db?bogus_option=1");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("bogus_option"), std::string::npos) << e.what();
    }
}

TEST(PgSettings, Redact) {
    EXPECT_EQ(redact("a secret and secret", {"secret", ""}), "a ******** and ********");
}

}  // namespace
}  // namespace gdx::warehouse::pg
