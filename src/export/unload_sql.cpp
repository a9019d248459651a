#include "export/unload_sql.hpp"

namespace gdx::exports {

std::string credentials_line(const warehouse::redshift::CopyAuth& auth) {
    if (!auth.iam_role.empty()) return "IAM_ROLE '" + auth.iam_role + "'";
    std::string line = "credentials 'aws_access_key_id=" + auth.access_key_id +
                       ";aws_secret_access_key=" + auth.secret_access_key;
    if (!auth.session_token.empty()) line += ";token=" + auth.session_token;
    return line + "'";
}

std::string placeholder_credentials_line(const warehouse::redshift::CopyAuth& auth) {
    if (!auth.iam_role.empty()) return credentials_line(auth);
    std::string line =
        "credentials 'aws_access_key_id={aws_access_key_id};aws_secret_access_key="
        "{aws_secret_access_key}";
    if (!auth.session_token.empty()) line += ";token={token}";
    return line + "'";
}

std::string unload_statement(std::string_view dml, std::string_view target,
                             std::string_view credentials, const UnloadOptions& options) {
    std::string out = "\nUNLOAD ('";
    out.append(dml).append("')\nTO '").append(target).append("'\n");
    out.append(credentials).append("\n");
    if (options.escape) out += "ESCAPE";
    out += "\n";
    if (options.delimiter) out.append("delimiter '").append(*options.delimiter).append("'");
    out += "\n";
    if (options.addquotes) out += "ADDQUOTES";
    out += "\nPARALLEL OFF\n";
    if (options.header) out += "HEADER";
    out += "\n";
    return out;
}

}  // namespace gdx::exports
