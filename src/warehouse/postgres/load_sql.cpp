#include "warehouse/postgres/load_sql.hpp"

#include <fmt/format.h>

#include <charconv>

namespace gdx::warehouse::pg {

std::string ledger_ddl() {
    return "CREATE TABLE IF NOT EXISTS public.gdx_ledger ("
           "job VARCHAR(256) NOT NULL, config VARCHAR(4096) NOT NULL, "
           "bucket VARCHAR(256) NOT NULL, \"key\" VARCHAR(1024) NOT NULL, "
           "etag VARCHAR(256), \"size\" BIGINT, \"rows\" BIGINT, status VARCHAR(32), "
           "batch_key VARCHAR(1024), loaded_at VARCHAR(40), "
           "PRIMARY KEY (bucket, \"key\"))";
}

int64_t object_lock_key(std::string_view bucket, std::string_view key) {
    uint64_t h = 14695981039346656037ull;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    };
    mix(bucket);
    mix("/");
    mix(key);
    return static_cast<int64_t>(h);
}

std::string column_list_sql(const std::vector<std::string>& columns) {
    std::string out = "(";
    for (size_t i = 0; i < columns.size(); ++i) {
        if (i) out += ", ";
        out += quote_ident(columns[i]);
    }
    return out + ")";
}

std::string copy_from_stdin_sql(const QualifiedName& table,
                                const std::vector<std::string>& columns) {
    return fmt::format(
        "COPY {} {} FROM STDIN WITH (FORMAT text, DELIMITER '|', NULL '\\N', HEADER true)",
        table.sql(), column_list_sql(columns));
}

QualifiedName scratch_name(const QualifiedName& target) {
    return target.with_suffix("_gdx_scratch");
}
QualifiedName old_name(const QualifiedName& target) {
    return target.with_suffix("_gdx_old");
}

std::vector<std::string> prepare_scratch_sql(const QualifiedName& target, LikeFlavour flavour) {
    // PostgreSQL: INCLUDING ALL keeps defaults, identity, constraints and indexes.
    // Redshift: LIKE keeps encodings, dist/sort keys and NOT NULL; INCLUDING DEFAULTS adds
    // defaults and IDENTITY.
    const char* including =
        flavour == LikeFlavour::PostgreSQL ? "INCLUDING ALL" : "INCLUDING DEFAULTS";
    QualifiedName scratch = scratch_name(target);
    return {
        fmt::format("DROP TABLE IF EXISTS {}", scratch.sql()),
        fmt::format("DROP TABLE IF EXISTS {}", old_name(target).sql()),
        fmt::format("CREATE TABLE {} (LIKE {} {})", scratch.sql(), target.sql(), including),
    };
}

std::vector<std::string> swap_sql(const QualifiedName& target, const std::string& owner,
                                  const std::vector<Grant>& grants) {
    QualifiedName scratch = scratch_name(target);
    QualifiedName old = old_name(target);
    std::vector<std::string> out;
    out.push_back(fmt::format("ALTER TABLE {} OWNER TO {}", scratch.sql(), quote_ident(owner)));
    for (std::string& g : grant_sql(scratch, owner, grants)) out.push_back(std::move(g));
    out.push_back(fmt::format("ALTER TABLE {} RENAME TO {}", target.sql(), quote_ident(old.name)));
    out.push_back(
        fmt::format("ALTER TABLE {} RENAME TO {}", scratch.sql(), quote_ident(target.name)));
    out.push_back(fmt::format("DROP TABLE {}", old.sql()));
    return out;
}

CopyContext parse_copy_context(std::string_view context) {
    CopyContext out;
    // The COPY line may follow other context lines (e.g. from a trigger).
    size_t start = 0;
    while (start < context.size() && context.compare(start, 5, "COPY ") != 0) {
        size_t nl = context.find('\n', start);
        if (nl == std::string_view::npos) return out;
        start = nl + 1;
    }
    std::string_view line = context.substr(start);
    if (size_t nl = line.find('\n'); nl != std::string_view::npos) line = line.substr(0, nl);
    size_t at = line.find(", line ");
    if (at == std::string_view::npos) return out;
    size_t pos = at + 7;
    auto [end, ec] = std::from_chars(line.data() + pos, line.data() + line.size(), out.line);
    if (ec != std::errc()) return out;
    pos = static_cast<size_t>(end - line.data());
    std::string_view rest = line.substr(pos);
    if (rest.rfind(", column ", 0) == 0) {
        rest.remove_prefix(9);
        size_t colon = rest.find(": ");
        out.column = std::string(rest.substr(0, colon));
        rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon);
    }
    if (rest.rfind(": ", 0) == 0) {
        rest.remove_prefix(2);
        if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') {
            out.value = std::string(rest.substr(1, rest.size() - 2));
        }
    }
    return out;
}

}  // namespace gdx::warehouse::pg
