#include "warehouse/postgres/acl.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace gdx::warehouse::pg {

namespace {

const char* privilege_name(char letter) {
    switch (letter) {
        case 'r':
            return "SELECT";
        case 'a':
            return "INSERT";
        case 'w':
            return "UPDATE";
        case 'd':
            return "DELETE";
        case 'D':
            return "TRUNCATE";
        case 'x':
            return "REFERENCES";
        case 't':
            return "TRIGGER";
        default:
            return nullptr;
    }
}

// Splits the array text into its elements, undoing the array's own "..." quoting.
std::vector<std::string> array_elements(std::string_view text) {
    std::vector<std::string> out;
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
        throw BackendError(fmt::format("unexpected relacl text: {}", text));
    }
    text = text.substr(1, text.size() - 2);
    size_t i = 0;
    while (i < text.size()) {
        std::string item;
        if (text[i] == '"') {
            ++i;
            while (i < text.size() && text[i] != '"') {
                if (text[i] == '\\' && i + 1 < text.size()) ++i;
                item += text[i++];
            }
            ++i;  // closing quote
        } else {
            while (i < text.size() && text[i] != ',') item += text[i++];
        }
        out.push_back(std::move(item));
        if (i < text.size() && text[i] == ',') ++i;
    }
    return out;
}

// Reads a role name inside an aclitem (quoted with "" doubling, as aclitemout writes it).
std::string read_role(std::string_view item, size_t& i) {
    std::string out;
    if (i < item.size() && item[i] == '"') {
        ++i;
        while (i < item.size()) {
            if (item[i] == '"') {
                if (i + 1 < item.size() && item[i + 1] == '"') {
                    out += '"';
                    i += 2;
                    continue;
                }
                ++i;
                break;
            }
            out += item[i++];
        }
        return out;
    }
    while (i < item.size() && item[i] != '=' && item[i] != '/') out += item[i++];
    return out;
}

}  // namespace

std::vector<Grant> parse_acl(std::string_view acl_text, std::string* unknown) {
    std::vector<Grant> grants;
    for (const std::string& item : array_elements(acl_text)) {
        size_t i = 0;
        bool is_group = false;
        if (item.rfind("group ", 0) == 0) {
            is_group = true;
            i = 6;
        }
        std::string grantee = read_role(item, i);
        if (i >= item.size() || item[i] != '=') {
            throw BackendError(fmt::format("unexpected aclitem: {}", item));
        }
        ++i;
        while (i < item.size() && item[i] != '/') {
            char letter = item[i++];
            bool option = i < item.size() && item[i] == '*';
            if (option) ++i;
            if (const char* name = privilege_name(letter)) {
                grants.push_back(Grant{grantee, is_group, name, option});
            } else if (unknown) {
                *unknown += letter;
            }
        }
    }
    return grants;
}

std::vector<std::string> grant_sql(const QualifiedName& table, const std::string& owner,
                                   const std::vector<Grant>& grants) {
    std::vector<std::string> out;
    // Merge consecutive entries of one aclitem (same grantee + option) into one statement.
    size_t i = 0;
    while (i < grants.size()) {
        const Grant& g = grants[i];
        std::string privileges = g.privilege;
        size_t j = i + 1;
        while (j < grants.size() && grants[j].grantee == g.grantee &&
               grants[j].is_group == g.is_group && grants[j].grant_option == g.grant_option) {
            privileges += ", " + grants[j].privilege;
            ++j;
        }
        if (g.is_group || g.grantee != owner) {
            std::string to = g.grantee.empty() ? "PUBLIC"
                             : g.is_group      ? "GROUP " + quote_ident(g.grantee)
                                               : quote_ident(g.grantee);
            out.push_back(fmt::format("GRANT {} ON {} TO {}{}", privileges, table.sql(), to,
                                      g.grant_option ? " WITH GRANT OPTION" : ""));
        }
        i = j;
    }
    return out;
}

}  // namespace gdx::warehouse::pg
