#pragma once
// The CMS Lite metadata split (decisions in docs/differences.md): each
// row of the export becomes one metadata row, and every nested look-up cell ("|a|b|") adds its
// elements to that column's dictionary and (node_id, element id) pairs to its lookup table.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/cmslite_config.hpp"
#include "csv/batch_writer.hpp"
#include "csv/csv_reader.hpp"
#include "transform/column_plan.hpp"
#include "transform/dictionary_builder.hpp"
#include "transform/pipeline.hpp"
#include "types/column_type.hpp"

namespace gdx::transform {

// The metadata table's column pipeline: columns_metadata in order (names absent from the data
// are missing), `replace` as whole-cell matches and `dateformat`, bound positionally to the
// table's loadable columns so that a value the warehouse would reject fails with its line.
// Throws ConfigError when the table's column count differs from columns_metadata.
ColumnPlan cmslite_metadata_plan(const config::CmsliteConfig& cfg,
                                 const types::TableSchema& metadata);

// One object's split. Rows go in one at a time; the metadata batch is written as they come,
// the dictionaries and lookups once every row is in.
class CmsliteSplit {
public:
    // `plan` is cmslite_metadata_plan(cfg, …); `metadata` receives the metadata rows (its header
    // is written by the caller); `label` names the object in warnings.
    CmsliteSplit(const config::CmsliteConfig& cfg, const ColumnPlan& plan,
                 csv::BatchWriter& metadata, std::string label);

    // Writes the row's metadata row and stages its look-up cells. Throws DataError.
    void add(const csv::Row& row);
    // After the last row: builds the dictionaries (ids in the original's order).
    void finish();

    size_t lookup_columns() const { return nested_.size(); }
    uint64_t unwrapped_cells() const { return unwrapped_cells_; }
    // Batch of look-up column i's dictionary table / lookup table, under `header`.
    void write_dictionary(size_t i, const std::vector<std::string>& header,
                          csv::BatchWriter& out) const;
    void write_lookup(size_t i, const std::vector<std::string>& header,
                      csv::BatchWriter& out) const;

private:
    // Where a look-up column comes from in a parsed row.
    struct NestedSource {
        int field = -1;  // input field; -1 when the column is not in the data (always missing)
        std::vector<std::pair<std::string, std::string>> replace;  // whole-cell
    };
    // The text of a field after NA and whole-cell replace; nullopt when missing.
    std::optional<std::string_view> cell(
        const csv::Row& row, int field,
        const std::vector<std::pair<std::string, std::string>>& replace) const;

    const config::CmsliteConfig& cfg_;
    const ColumnPlan& plan_;
    csv::BatchWriter& metadata_;
    std::string label_;
    RowTransformer transformer_;
    int node_field_;
    std::vector<NestedSource> sources_;
    std::vector<NestedColumn> nested_;
    RowKeys keys_;
    uint64_t unwrapped_cells_ = 0;
};

}  // namespace gdx::transform
