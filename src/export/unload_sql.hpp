#pragma once
// The UNLOAD statement sent to Redshift, byte for byte as the original built it:
//
//   ⏎UNLOAD ('<dml>')⏎TO 's3://<bucket>/<batch prefix>/<object_key>_part'⏎
//   credentials 'aws_access_key_id=<id>;aws_secret_access_key=<secret>'⏎
//   [ESCAPE]⏎[delimiter '<d>']⏎[ADDQUOTES]⏎PARALLEL OFF⏎[HEADER]⏎
//
// (an option that is off leaves its line empty). With an IAM role the credentials line is
// `IAM_ROLE '<arn>'` instead.
#include <optional>
#include <string>
#include <string_view>

#include "warehouse/redshift/redshift_sql.hpp"

namespace gdx::exports {

struct UnloadOptions {
    bool escape = false;
    std::optional<std::string> delimiter;  // nullopt: no delimiter line (Redshift's '|')
    bool addquotes = true;
    bool header = false;
};

// The credentials line with the values (what Redshift receives).
std::string credentials_line(const warehouse::redshift::CopyAuth& auth);
// The same line with {aws_access_key_id}/{aws_secret_access_key} placeholders: what is logged.
std::string placeholder_credentials_line(const warehouse::redshift::CopyAuth& auth);

// `target` is s3://<bucket>/<batch prefix>/<object_key>_part; `dml` is inserted as it is.
std::string unload_statement(std::string_view dml, std::string_view target,
                             std::string_view credentials, const UnloadOptions& options);

}  // namespace gdx::exports
