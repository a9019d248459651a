#include "warehouse/redshift/redshift_sql.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "util/env.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"
#include "warehouse/postgres/load_sql.hpp"

namespace gdx::warehouse::redshift {

std::string quote_literal(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'' || c == '\\') out += c;
        out += c;
    }
    return out + "'";
}

std::string CopyAuth::sql() const {
    if (!iam_role.empty()) return "IAM_ROLE " + quote_literal(iam_role);
    std::string creds =
        "aws_access_key_id=" + access_key_id + ";aws_secret_access_key=" + secret_access_key;
    if (!session_token.empty()) creds += ";token=" + session_token;
    return "CREDENTIALS " + quote_literal(creds);
}

std::vector<std::string> CopyAuth::secrets() const {
    std::vector<std::string> out;
    for (const std::string* s : {&secret_access_key, &session_token}) {
        if (s->empty()) continue;
        out.push_back(*s);
        // Also as it appears inside the SQL literal (quotes and backslashes doubled).
        std::string quoted = quote_literal(*s);
        quoted = quoted.substr(1, quoted.size() - 2);
        if (quoted != *s) out.push_back(quoted);
    }
    return out;
}

CopyAuth copy_auth_from_environment(const std::string& iam_role_option) {
    CopyAuth auth;
    auth.iam_role =
        iam_role_option.empty() ? util::env_string("GDX_REDSHIFT_IAM_ROLE") : iam_role_option;
    if (!auth.iam_role.empty()) return auth;
    auth.access_key_id = util::env_string("AWS_ACCESS_KEY_ID");
    auth.secret_access_key = util::env_string("AWS_SECRET_ACCESS_KEY");
    auth.session_token = util::env_string("AWS_SESSION_TOKEN");
    for (const std::string& s : auth.secrets()) util::add_secret(s);
    if (auth.access_key_id.empty() || auth.secret_access_key.empty()) {
        throw ConfigError(
            "Redshift COPY needs an IAM role (GDX_REDSHIFT_IAM_ROLE) or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY");
    }
    return auth;
}

std::string manifest_json(std::string_view bucket, std::string_view key) {
    nlohmann::json entry = {{"url", fmt::format("s3://{}/{}", bucket, key)}, {"mandatory", true}};
    nlohmann::json manifest = {{"entries", nlohmann::json::array({entry})}};
    return manifest.dump();
}

std::string manifest_json(std::string_view bucket, const std::vector<std::string>& keys) {
    nlohmann::json entries = nlohmann::json::array();
    for (const std::string& key : keys)
        entries.push_back({{"url", fmt::format("s3://{}/{}", bucket, key)}, {"mandatory", true}});
    return nlohmann::json{{"entries", entries}}.dump();
}

std::string copy_sql(const pg::QualifiedName& table, const std::vector<std::string>& columns,
                     std::string_view bucket, std::string_view manifest_key, const CopyAuth& auth,
                     CopyCompression compression) {
    return fmt::format(
        "COPY {} {} FROM {} {} MANIFEST {}DELIMITER '|' ESCAPE NULL AS '\\\\N' IGNOREHEADER 1 "
        "MAXERROR 0 ENCODING UTF8",
        table.sql(), pg::column_list_sql(columns),
        quote_literal(fmt::format("s3://{}/{}", bucket, manifest_key)), auth.sql(),
        compression == CopyCompression::Zstd ? "ZSTD " : "");
}

std::string slice_count_sql() {
    return "SELECT COUNT(*) FROM stv_slices";
}

std::string describe_table_sql() {
    return "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
           "COALESCE(d.adsrc, '') LIKE '%identity%' "
           "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
           "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v') "
           "AND c.relname = $1 AND (n.nspname = $2 OR ($2 = '' AND pg_table_is_visible(c.oid))) "
           "ORDER BY a.attnum";
}

std::vector<std::string> load_error_queries() {
    return {
        "SELECT line_number, TRIM(column_name), TRIM(error_message), TRIM(raw_field_value), "
        "error_code, TRIM(file_name) FROM sys_load_error_detail WHERE query_id = "
        "pg_last_copy_id() "
        "ORDER BY line_number LIMIT 1",
        "SELECT line_number, TRIM(colname), TRIM(err_reason), TRIM(raw_field_value), err_code, "
        "TRIM(filename) FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY line_number "
        "LIMIT 1",
    };
}

}  // namespace gdx::warehouse::redshift
