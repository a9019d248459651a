#include "warehouse/sql/translate.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <utility>

#include "warehouse/sql/expressions.hpp"
#include "warehouse/sql/key_constraints.hpp"
#include "warehouse/sql/search_path.hpp"
#include "warehouse/sql/statements.hpp"

namespace gdx::warehouse::sql {
namespace {

constexpr std::string_view kPgNow = "(now() AT TIME ZONE 'UTC')";
constexpr std::string_view kPgGetdate = "date_trunc('second', now() AT TIME ZONE 'UTC')";

// Dropped clauses of one CREATE TABLE, counted, in order of first appearance.
class DropLog {
public:
    void add(std::string clause) {
        for (auto& [name, count] : entries_) {
            if (name == clause) {
                ++count;
                return;
            }
        }
        entries_.emplace_back(std::move(clause), 1);
    }
    bool empty() const { return entries_.empty(); }
    std::string summary() const {
        std::string out;
        for (const auto& [name, count] : entries_) {
            if (!out.empty()) out += ", ";
            out += name;
            if (count > 1) out += fmt::format(" ({} columns)", count);
        }
        return out;
    }

private:
    std::vector<std::pair<std::string, int>> entries_;
};

class StatementTranslator {
public:
    StatementTranslator(std::string_view statement, Dialect dialect, Translation& out)
        : ed_(statement), statement_(statement), dialect_(dialect), out_(out) {}

    void run() {
        if (ed_.size() == 0) return;
        const bool sqlite = dialect_ == Dialect::SQLite;
        if (sqlite && drop_on_sqlite()) return;
        if (sqlite && ed_.at(0).is("CREATE") && schema_statement(true)) return;
        if (sqlite && ed_.at(0).is("DROP") && schema_statement(false)) return;
        if (sqlite && ed_.at(0).is("TRUNCATE")) {
            const size_t name = ed_.has(1) && ed_.at(1).is("TABLE") ? 2 : 1;
            if (ed_.has(name)) ed_.replace(0, name - 1, "DELETE FROM");
        }
        if (sqlite) unwrap_insert_query();
        const size_t table_name = create_table_name(ed_);
        if (table_name != 0) {
            table_ = qualified_name(table_name);
            if (sqlite && registered_schema_ != "") {
                out_.statements.push_back(fmt::format("INSERT OR IGNORE INTO {}(name) VALUES ({})",
                                                      kSqliteSchemaTable,
                                                      sql_string(registered_schema_)));
            }
        }
        rewrite(table_name != 0);
        if (!drops_.empty()) {
            out_.notes.push_back(
                fmt::format("{}: dropped {} (Redshift-only)", table_, drops_.summary()));
        }
        std::string rendered =
            rewrite_expressions(ed_.edited() ? ed_.render() : std::string(statement_), dialect_);
        if (table_name != 0) {
            if (auto keys = drop_key_constraints(rendered, dialect_)) {
                out_.notes.push_back(fmt::format(
                    "{}: {} not enforced, as on Redshift{}", table_, fmt::join(keys->dropped, ", "),
                    keys->indexes.empty() ? "" : " (a plain index is kept for lookups)"));
                out_.statements.push_back(std::move(keys->create_table));
                for (auto& index : keys->indexes) out_.statements.push_back(std::move(index));
                return;
            }
        }
        out_.statements.push_back(std::move(rendered));
    }

private:
    // Statements SQLite has no equivalent for (roles, ownership, comments, settings,
    // Redshift maintenance). Returns true when dropped.
    bool drop_on_sqlite() {
        const Token& first = ed_.at(0);
        std::string_view why;
        if (first.is("GRANT") || first.is("REVOKE")) {
            why = "SQLite has no roles";
        } else if (first.is("COMMENT") && ed_.has(1) && ed_.at(1).is("ON")) {
            why = "SQLite has no comments";
        } else if (first.is("SET") || first.is("RESET")) {
            why = "no session settings in SQLite";
        } else if (first.is("VACUUM") || first.is("ANALYZE")) {
            why = "Redshift maintenance";
        } else if (first.is("ALTER") && ed_.has(1) && ed_.at(1).is("TABLE")) {
            for (size_t k = 2; k + 1 < ed_.size(); ++k) {
                if (ed_.at(k).is("OWNER") && ed_.at(k + 1).is("TO")) why = "SQLite has no roles";
            }
        }
        if (why.empty()) return false;
        out_.notes.push_back(fmt::format("dropped `{}` ({})", one_line(statement_), why));
        return true;
    }

    // INSERT INTO t (SELECT …): Redshift accepts a parenthesised query; SQLite reads the
    // parenthesis as a column list.
    void unwrap_insert_query() {
        if (!ed_.at(0).is("INSERT") || !ed_.has(2) || !ed_.at(1).is("INTO")) return;
        size_t k = 3;
        while (ed_.has(k + 1) && ed_.at(k).is_punct('.')) k += 2;
        if (!ed_.has(k + 1) || !ed_.at(k).is_punct('(') ||
            !(ed_.at(k + 1).is("SELECT") || ed_.at(k + 1).is("WITH")))
            return;
        const size_t close = ed_.matching_paren(k);
        if (close == ed_.size()) return;
        ed_.replace(k, k, "");
        ed_.replace(close, close, "");
    }

    // CREATE SCHEMA / DROP SCHEMA on SQLite: maintain the registry of schema names.
    bool schema_statement(bool create) {
        if (!ed_.has(1) || !ed_.at(1).is("SCHEMA")) return false;
        size_t k = 2;
        bool if_clause = false;
        if (ed_.has(k + 1) && ed_.at(k).is("IF")) {
            if_clause = true;
            k += create ? 3 : 2;  // IF NOT EXISTS / IF EXISTS
        }
        if (!ed_.has(k)) return false;
        const std::string name = identifier_value(ed_.at(k));
        if (create) {
            out_.statements.push_back(fmt::format("INSERT {}INTO {}(name) VALUES ({})",
                                                  if_clause ? "OR IGNORE " : "", kSqliteSchemaTable,
                                                  sql_string(name)));
        } else {
            out_.statements.push_back(fmt::format("DELETE FROM {} WHERE name = {}",
                                                  kSqliteSchemaTable, sql_string(name)));
            out_.notes.push_back(fmt::format(
                "DROP SCHEMA {}: only the schema name is removed on SQLite, not its tables", name));
        }
        return true;
    }

    std::string qualified_name(size_t k) {
        std::string name = identifier_value(ed_.at(k));
        if (ed_.has(k + 2) && ed_.at(k + 1).is_punct('.')) {
            registered_schema_ = name;
            name += "." + identifier_value(ed_.at(k + 2));
        }
        return name;
    }

    // Redshift-only clauses of CREATE TABLE (expressions are rewritten afterwards, by
    // rewrite_expressions).
    void rewrite(bool create_table) {
        for (size_t k = 0; k < ed_.size(); ++k) {
            const Token& t = ed_.at(k);
            if (t.kind != TokenKind::Word) continue;
            if (k > 0 && ed_.at(k - 1).is_punct('.')) continue;
            if (create_table) {
                const size_t next = table_clause(k);
                if (next != k) {
                    k = next - 1;
                    continue;
                }
            }
        }
    }

    // Handles a Redshift-only clause of CREATE TABLE starting at k; returns the index after
    // it, or k when there is none.
    size_t table_clause(size_t k) {
        const Token& t = ed_.at(k);
        auto next_is = [&](std::string_view kw) { return ed_.has(k + 1) && ed_.at(k + 1).is(kw); };
        auto next_word = [&] { return ed_.has(k + 1) && ed_.at(k + 1).kind == TokenKind::Word; };
        if ((t.is("ENCODE") || t.is("DISTSTYLE")) && next_word()) {
            drops_.add(upper(t.text) + " " + upper(ed_.at(k + 1).text));
            ed_.remove(k, k + 1);
            return k + 2;
        }
        if (t.is("BACKUP") && (next_is("YES") || next_is("NO"))) {
            drops_.add("BACKUP " + upper(ed_.at(k + 1).text));
            ed_.remove(k, k + 1);
            return k + 2;
        }
        if (t.is("COLLATE") && (next_is("CASE_SENSITIVE") || next_is("CASE_INSENSITIVE"))) {
            drops_.add("COLLATE " + upper(ed_.at(k + 1).text));
            ed_.remove(k, k + 1);
            return k + 2;
        }
        size_t key = k;
        if ((t.is("COMPOUND") || t.is("INTERLEAVED")) && next_is("SORTKEY")) key = k + 1;
        if (ed_.at(key).is("SORTKEY") || ed_.at(key).is("DISTKEY")) {
            size_t end = key;
            if (ed_.has(key + 1) && ed_.at(key + 1).is_punct('(')) {
                end = ed_.matching_paren(key + 1);
                if (end == ed_.size()) return k;
            } else if (ed_.has(key + 1) && ed_.at(key + 1).is("AUTO")) {
                end = key + 1;
            }
            drops_.add(key == k ? upper(t.text) : upper(t.text) + " " + upper(ed_.at(key).text));
            ed_.remove(k, end);
            return end + 1;
        }
        if (t.is("MAX") && k > 0 && ed_.at(k - 1).is_punct('(') && ed_.has(k + 1) &&
            ed_.at(k + 1).is_punct(')')) {
            ed_.replace(k, k, "65535");
            changes_once("VARCHAR(MAX) is VARCHAR(65535)");
            return k + 1;
        }
        if (t.is("IDENTITY") && ed_.has(k + 1) && ed_.at(k + 1).is_punct('(')) {
            return identity(k, k);
        }
        if (t.is("GENERATED") && ed_.has(k + 5) && ed_.at(k + 1).is("BY") &&
            ed_.at(k + 2).is("DEFAULT") && ed_.at(k + 3).is("AS") && ed_.at(k + 4).is("IDENTITY")) {
            return identity(k, k + 4);
        }
        if (t.is("DEFAULT") && ed_.has(k + 1)) {
            const Token& v = ed_.at(k + 1);
            const bool getdate = v.is("GETDATE") && ed_.has(k + 3) && ed_.at(k + 2).is_punct('(') &&
                                 ed_.at(k + 3).is_punct(')');
            const bool sysdate =
                v.is("SYSDATE") && !(ed_.has(k + 2) && ed_.at(k + 2).is_punct('('));
            if (getdate || sysdate) {
                const size_t end = getdate ? k + 3 : k + 1;
                if (dialect_ == Dialect::SQLite) {
                    ed_.replace(k + 1, end, "CURRENT_TIMESTAMP");
                } else {
                    ed_.replace(k + 1, end, std::string(getdate ? kPgGetdate : kPgNow));
                }
                return end + 1;
            }
        }
        return k;
    }

    // IDENTITY(seed, step) at [from, keyword]; `keyword` is the IDENTITY token.
    size_t identity(size_t from, size_t keyword) {
        const size_t open = keyword + 1;
        const size_t close = ed_.matching_paren(open);
        if (close == ed_.size()) return from;
        std::string seed, step;
        std::string* arg = &seed;
        for (size_t j = open + 1; j < close; ++j) {
            if (ed_.at(j).is_punct(',')) {
                arg = &step;
            } else {
                *arg += ed_.at(j).text;
            }
        }
        if (seed.empty()) seed = "1";
        if (step.empty()) step = "1";
        if (dialect_ == Dialect::SQLite) {
            // Kept in the declared type (SQLite accepts "BIGINT IDENTITY(0,1)" as a type name);
            // describe_table reports it as identity and load() generates the values.
            if (from != keyword)
                ed_.replace(from, close, fmt::format("IDENTITY({},{})", seed, step));
        } else {
            const bool descending = !step.empty() && step[0] == '-';
            ed_.replace(
                from, close,
                fmt::format("GENERATED BY DEFAULT AS IDENTITY (START WITH {} INCREMENT BY {} "
                            "{} {})",
                            seed, step, descending ? "MAXVALUE" : "MINVALUE", seed));
        }
        return close + 1;
    }

    void changes_once(std::string_view note) {
        const std::string text = fmt::format("{}: {}", table_, note);
        for (const auto& n : out_.notes) {
            if (n == text) return;
        }
        out_.notes.push_back(text);
    }

    StatementEditor ed_;
    std::string_view statement_;
    Dialect dialect_;
    Translation& out_;
    std::string table_;
    std::string registered_schema_;
    DropLog drops_;
};

}  // namespace

Translation translate_redshift(std::string_view script, Dialect dialect) {
    Translation out;
    std::string search_path;  // SQLite: the schema of the last SET search_path
    for (auto& [statement, line] : split_script(script)) {
        if (dialect == Dialect::SQLite) {
            if (auto schema = search_path_schema(statement)) {
                search_path = *schema;
                out.notes.push_back(fmt::format(
                    "search_path {}: unqualified table names are qualified with it", search_path));
                continue;
            }
            if (!search_path.empty()) statement = qualify_with_search_path(statement, search_path);
        }
        StatementTranslator(statement, dialect, out).run();
        out.lines.resize(out.statements.size(), line);
    }
    return out;
}

}  // namespace gdx::warehouse::sql
