#pragma once
// Column rules shared by the loader configs (s3-to-redshift, cmslite-metadata).
#include <string>

namespace gdx::config {

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

}  // namespace gdx::config
