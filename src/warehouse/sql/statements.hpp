#pragma once
// Splitting a script into statements, and editing one statement token by token.
#include <string>
#include <string_view>
#include <vector>

#include "warehouse/sql/tokenizer.hpp"

namespace gdx::warehouse::sql {

// Splits at top-level `;` (never inside quotes, $$…$$ or comments). Each statement is
// trimmed of surrounding space and comments; empty and comment-only statements are dropped.
std::vector<std::string> split_statements(std::string_view script);

// The same statements, each with the script line (1-based) where its text begins, for
// errors that point into the script (`gdx sql -f FILE`: FILE:LINE).
struct ScriptStatement {
    std::string text;
    size_t line = 1;
};
std::vector<ScriptStatement> split_script(std::string_view script);

// One statement's tokens with an index of the significant ones, plus non-overlapping edits
// (added in increasing order) that render() applies.
class StatementEditor {
public:
    explicit StatementEditor(std::string_view statement);

    size_t size() const { return sig_.size(); }
    const Token& at(size_t k) const { return tokens_[sig_[k]]; }
    bool has(size_t k) const { return k < sig_.size(); }
    // Index of the `)` matching the `(` at k, or size() when unbalanced.
    size_t matching_paren(size_t k) const;
    // Source text from significant token `from` to `to` inclusive.
    std::string_view text(size_t from, size_t to) const;

    // Removes significant tokens [from, to] and the space before them.
    void remove(size_t from, size_t to);
    void replace(size_t from, size_t to, std::string text);
    void insert_before(size_t k, std::string text);
    // True when render() differs from the source (edits, or U+00A0 spaces to normalise).
    bool edited() const { return !edits_.empty() || nbsp_; }
    std::string render() const;

private:
    struct Edit {
        size_t begin;  // token index
        size_t end;    // token index, exclusive
        std::string text;
    };
    std::string_view source_;
    std::vector<Token> tokens_;
    std::vector<size_t> sig_;
    std::vector<Edit> edits_;
    bool nbsp_ = false;
};

// Significant index of the table name of `CREATE [LOCAL|TEMP|TEMPORARY] TABLE [IF NOT EXISTS]
// name`, or 0 when the statement is no CREATE TABLE.
size_t create_table_name(const StatementEditor& ed);

// BEGIN / START TRANSACTION, COMMIT / END, ROLLBACK / ABORT: scripts run inside a job's own
// transaction skip the first two and refuse the last (docs/redshift.md).
enum class TransactionControl { None, Begin, Commit, Rollback };
TransactionControl transaction_control(std::string_view statement);

// Collapses runs of space and comments into single spaces (for notes and logs).
std::string one_line(std::string_view statement);

// `value` as a SQL string literal: quoted, with each ' doubled.
std::string sql_string(std::string_view value);

}  // namespace gdx::warehouse::sql
