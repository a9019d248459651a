#include "warehouse/sql/statements.hpp"

#include <algorithm>

#include "warehouse/sql/names.hpp"

namespace gdx::warehouse::sql {

std::vector<ScriptStatement> split_script(std::string_view script) {
    std::vector<ScriptStatement> out;
    const std::vector<Token> tokens = tokenize(script);
    const char* first = nullptr;          // start of the first significant token of the statement
    const char* last = nullptr;           // end of its last significant token
    const char* counted = script.data();  // lines are counted up to here
    size_t line = 1;
    auto flush = [&] {
        if (first != nullptr) {
            line += static_cast<size_t>(std::count(counted, first, '\n'));
            counted = first;
            out.push_back({std::string(first, static_cast<size_t>(last - first)), line});
        }
        first = last = nullptr;
    };
    for (const Token& t : tokens) {
        if (t.is_punct(';')) {
            flush();
        } else if (t.significant()) {
            if (first == nullptr) first = t.text.data();
            last = t.text.data() + t.text.size();
        }
    }
    flush();
    return out;
}

std::vector<std::string> split_statements(std::string_view script) {
    std::vector<std::string> out;
    for (auto& statement : split_script(script)) out.push_back(std::move(statement.text));
    return out;
}

StatementEditor::StatementEditor(std::string_view statement)
    : source_(statement), tokens_(tokenize(statement)) {
    for (size_t i = 0; i < tokens_.size(); ++i) {
        if (tokens_[i].significant()) sig_.push_back(i);
        if (tokens_[i].kind == TokenKind::Space &&
            tokens_[i].text.find('\xA0') != std::string_view::npos) {
            nbsp_ = true;
        }
    }
}

size_t StatementEditor::matching_paren(size_t k) const {
    int depth = 0;
    for (size_t j = k; j < sig_.size(); ++j) {
        if (at(j).is_punct('(')) ++depth;
        if (at(j).is_punct(')') && --depth == 0) return j;
    }
    return sig_.size();
}

std::string_view StatementEditor::text(size_t from, size_t to) const {
    const Token& a = at(from);
    const Token& b = at(to);
    return std::string_view(a.text.data(),
                            static_cast<size_t>(b.text.data() + b.text.size() - a.text.data()));
}

void StatementEditor::remove(size_t from, size_t to) {
    size_t begin = sig_[from];
    while (begin > 0 && tokens_[begin - 1].kind == TokenKind::Space &&
           (edits_.empty() || edits_.back().end < begin)) {
        --begin;
    }
    edits_.push_back(Edit{begin, sig_[to] + 1, {}});
}

void StatementEditor::replace(size_t from, size_t to, std::string text) {
    edits_.push_back(Edit{sig_[from], sig_[to] + 1, std::move(text)});
}

void StatementEditor::insert_before(size_t k, std::string text) {
    edits_.push_back(Edit{sig_[k], sig_[k], std::move(text)});
}

std::string StatementEditor::render() const {
    std::string out;
    out.reserve(source_.size() + 32);
    size_t e = 0;
    for (size_t i = 0; i <= tokens_.size();) {
        if (e < edits_.size() && edits_[e].begin == i) {
            out += edits_[e].text;
            i = edits_[e].end;
            ++e;
            continue;
        }
        if (i == tokens_.size()) break;
        if (tokens_[i].kind == TokenKind::Space &&
            tokens_[i].text.find('\xA0') != std::string_view::npos) {
            out += ' ';  // no database accepts U+00A0 as white space
        } else {
            out += tokens_[i].text;
        }
        ++i;
    }
    return out;
}

size_t create_table_name(const StatementEditor& ed) {
    if (ed.size() == 0 || !ed.at(0).is("CREATE")) return 0;
    size_t k = 1;
    while (ed.has(k) && (ed.at(k).is("LOCAL") || ed.at(k).is("TEMP") || ed.at(k).is("TEMPORARY"))) {
        ++k;
    }
    if (!ed.has(k) || !ed.at(k).is("TABLE")) return 0;
    ++k;
    if (ed.has(k + 2) && ed.at(k).is("IF") && ed.at(k + 1).is("NOT") && ed.at(k + 2).is("EXISTS")) {
        k += 3;
    }
    return ed.has(k) ? k : 0;
}

TransactionControl transaction_control(std::string_view statement) {
    const StatementEditor ed(statement);
    if (ed.size() == 0) return TransactionControl::None;
    const Token& t = ed.at(0);
    if (t.is("BEGIN") || (t.is("START") && ed.has(1) && ed.at(1).is("TRANSACTION")))
        return TransactionControl::Begin;
    if (t.is("COMMIT") || t.is("END")) return TransactionControl::Commit;
    if (t.is("ROLLBACK") || t.is("ABORT")) return TransactionControl::Rollback;
    return TransactionControl::None;
}

std::string one_line(std::string_view statement) {
    std::string out;
    for (const Token& t : tokenize(statement)) {
        if (t.significant()) {
            out += t.text;
        } else if (!out.empty() && out.back() != ' ') {
            out += ' ';
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string sql_string(std::string_view value) {
    return enclose(value, '\'');
}

}  // namespace gdx::warehouse::sql
