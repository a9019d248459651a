#pragma once
// Table privileges read from the catalog (pg_class.relowner/relacl, which Redshift has too),
// so that a Replace load can give the new table exactly the old one's owner and grants
// (the original hard-coded two roles, docs/differences.md).
#include <string>
#include <string_view>
#include <vector>

#include "warehouse/postgres/identifiers.hpp"

namespace gdx::warehouse::pg {

struct Grant {
    std::string grantee;    // empty = PUBLIC
    bool is_group = false;  // Redshift "group name" entries
    std::string privilege;  // SELECT, INSERT, ...
    bool grant_option = false;
};

// Parses aclitem[] text as the server prints it, e.g.
// {owner=arwdDxt/owner,looker=r/owner,"odd ""role""=r*/owner,=r/owner,"group bi=r/owner"}.
// Unknown privilege letters are skipped (reported through `unknown`, may be null).
std::vector<Grant> parse_acl(std::string_view acl_text, std::string* unknown = nullptr);

// GRANT statements that re-create `grants` on `table`, skipping the owner's own entries
// (the new owner has those implicitly). Grants with the same grantee and option are merged.
std::vector<std::string> grant_sql(const QualifiedName& table, const std::string& owner,
                                   const std::vector<Grant>& grants);

}  // namespace gdx::warehouse::pg
