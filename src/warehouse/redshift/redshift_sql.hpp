#pragma once
// The SQL a RedshiftWarehouse sends, as pure functions (golden-tested byte for byte: no
// Redshift is reachable from the tests).
#include <string>
#include <string_view>
#include <vector>

#include "warehouse/postgres/identifiers.hpp"

namespace gdx::warehouse::redshift {

// How COPY reads from S3: an IAM role (preferred: no key in the query text, docs/redshift.md) or an
// access key pair.
struct CopyAuth {
    std::string iam_role;  // ARN; when set the keys are ignored
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;

    // IAM_ROLE 'arn' or CREDENTIALS 'aws_access_key_id=…;aws_secret_access_key=…[;token=…]'.
    std::string sql() const;
    // The values that must never be shown (secret key, token), raw and as quoted in SQL.
    std::vector<std::string> secrets() const;
};

// From options.iam_role, else GDX_REDSHIFT_IAM_ROLE, else AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN]. Throws ConfigError when none is set.
CopyAuth copy_auth_from_environment(const std::string& iam_role_option);

// A Redshift string literal: ' doubled and \ doubled (Redshift reads backslash escapes in
// literals).
std::string quote_literal(std::string_view text);

// The manifest that names exactly one batch object (COPY FROM a plain S3 URL would load
// every object whose key starts with the batch key).
std::string manifest_json(std::string_view bucket, std::string_view key);
// The manifest of a batch in parts: every part, in order, each mandatory.
std::string manifest_json(std::string_view bucket, const std::vector<std::string>& keys);

// How the files a COPY reads are compressed.
enum class CopyCompression { None, Zstd };

// COPY t (cols) FROM 's3://bucket/manifest_key' <auth> MANIFEST DELIMITER '|' ESCAPE
// NULL AS '\\N' IGNOREHEADER 1 MAXERROR 0 ENCODING UTF8; with Zstd, MANIFEST ZSTD DELIMITER …
std::string copy_sql(const pg::QualifiedName& table, const std::vector<std::string>& columns,
                     std::string_view bucket, std::string_view manifest_key, const CopyAuth& auth,
                     CopyCompression compression = CopyCompression::None);

// The cluster's slice count (how many files one COPY reads at a time).
std::string slice_count_sql();

// Catalog query behind describe_table on Redshift (identity columns from pg_attrdef).
std::string describe_table_sql();

// Where a failed COPY's first rejected row is described, newest view first; each returns
// line_number, column_name, error_message, raw_field_value, error_code, file_name (the
// rejected row's line is counted within that file).
std::vector<std::string> load_error_queries();

}  // namespace gdx::warehouse::redshift
