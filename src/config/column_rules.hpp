#pragma once
// Column rules shared by the loader configs (s3-to-redshift, cmslite-metadata), read by one
// reader each so that both configs accept, reject and warn about the same things.
#include <functional>
#include <string>
#include <vector>

namespace gdx::config {

class ConfigObject;

// `replace` entry. Default: a cell whose whole value equals `old_value` becomes `new_value`
// (pandas Series.replace semantics; the original discarded the result,
// docs/semantics.md#column-edits). `regex: true`: Python re.sub(old, new) on the cell, `\1`
// back-references allowed.
struct ReplaceRule {
    std::string field;
    std::string old_value;
    std::string new_value;
    bool regex = false;
};

// `dateformat` entry: parse `field` with the Python strptime `format`.
struct DateFormatRule {
    std::string field;
    std::string format;
};

// Checks that entry `index` (0-based) of rule list `key` names a column the rules can see;
// throws ConfigError through cfg.fail otherwise.
using FieldCheck =
    std::function<void(const std::string& key, size_t index, const std::string& field)>;

// `replace`: a list of {field, old, new[, regex]} objects (absent or null: none). A regex rule
// is compiled here, so a bad pattern or template is a config error naming the entry. Unknown
// members are warnings.
std::vector<ReplaceRule> read_replace_rules(ConfigObject& cfg, const FieldCheck& check_field);

// `dateformat`: a list of {field, format} objects (absent or null: none); the format must not
// be empty. Unknown members are warnings.
std::vector<DateFormatRule> read_dateformat_rules(ConfigObject& cfg, const FieldCheck& check_field);

}  // namespace gdx::config
