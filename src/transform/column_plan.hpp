#pragma once
// The column pipeline, compiled once per config and target table (docs/semantics.md#missing-values
// to #column-edits):
// for every output column, where its value comes from and which edits it goes through.
// Executing it (pipeline.hpp) is then a straight loop with no lookups by name.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transform/strftime.hpp"
#include "transform/strptime.hpp"
#include "transform/values.hpp"
#include "types/column_type.hpp"
#include "util/python_regex.hpp"

namespace gdx::transform {

struct ReplaceSpec {
    std::string field;
    std::string old_value;
    std::string new_value;
    bool regex = false;  // false: whole-value match; true: Python re.sub with \1 references
};

struct DateSpec {
    std::string field;
    std::string format;  // Python strptime format (iso_input: strftime format)
    // false (s3-to-redshift): the value must match `format` exactly and is written as ISO.
    // true (cmslite-metadata, as its original): the value is read as ISO-8601 and written
    // with `format`; only a value that is no date fails.
    bool iso_input = false;
};

// The column edits a config asks for, by configured column name (docs/semantics.md#types,
// #column-edits).
struct ColumnEdits {
    std::vector<std::string> columns;  // names of the kept input columns, by position
    std::vector<std::string> bools, ints, floats;
    std::vector<std::pair<std::string, int64_t>> string_limits;  // bytes, in config order
    std::vector<std::string> drop;
    std::vector<std::pair<std::string, std::optional<std::string>>> add;  // nullopt = missing
    std::vector<ReplaceSpec> replace;
    std::vector<DateSpec> dates;
    bool keep_default_na = true;
    std::vector<std::string> na_values;
};

struct ReplaceRule {
    std::string old_value;
    std::string new_value;
    std::optional<util::PyRegex> regex;
};

struct ColumnProgram {
    std::string name;                     // configured (or added) column name
    int source = -1;                      // input field index; -1 = constant
    std::optional<std::string> constant;  // when source == -1; nullopt = missing
    bool check_bool = false;
    bool check_float = false;
    bool to_int = false;
    int64_t byte_limit = -1;
    std::vector<ReplaceRule> replace;
    std::optional<StrptimeFormat> date;
    std::optional<StrftimeFormat> iso_to_format;  // DateSpec::iso_input
    std::string date_format;                      // as configured, for messages
    std::optional<types::ColumnType> target;      // nullopt: table unknown, loaded as text
    bool date_only = false;                       // target is DATE: write YYYY-MM-DD

    // Missing values load as '' into text columns and as NULL everywhere else.
    bool missing_is_null() const { return target && !target->is_text(); }
    // The originals' COPY had NULL AS '-': a value that is exactly "-" loaded as NULL. gdx
    // keeps a "-" in text columns (it is data there) and loads it as NULL in every other
    // column (web logs write "-" for "no value"). Tested on the value after `replace`, as
    // COPY saw it; a plain input field that is "-" is in ColumnPlan::missing_not_text.
    bool null_marker(std::string_view v) const {
        return v.size() == 1 && v[0] == '-' && missing_is_null();
    }
};

struct ColumnPlan {
    std::vector<std::string> input_columns;  // configured names, one per kept input field
    std::vector<ColumnProgram> outputs;
    std::vector<std::string> batch_header;  // the table's column names (or output names)
    NaTokens na = NaTokens::pandas_default();
    // `na` plus "-": what is missing in a column that is not text (ColumnProgram::null_marker).
    NaTokens missing_not_text = NaTokens(true, {"-"});

    // The tokens that make an input field of `p` missing (before its edits).
    const NaTokens& missing_tokens(const ColumnProgram& p) const {
        return p.missing_is_null() ? missing_not_text : na;
    }
};

// Throws ConfigError when an edit names an unknown column, a format does not compile, or
// the output columns do not fit the target table.
ColumnPlan compile_column_plan(const ColumnEdits& edits, const types::TableSchema* target);

}  // namespace gdx::transform
