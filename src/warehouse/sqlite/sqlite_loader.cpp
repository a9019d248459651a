#include "warehouse/sqlite/sqlite_loader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "csv/batch_reader.hpp"
#include "csv/byte_source.hpp"
#include "types/value_check.hpp"
#include "util/error.hpp"
#include "warehouse/sqlite/schema_names.hpp"
#include "warehouse/sqlite/sqlite_catalog.hpp"
#include "warehouse/sqlite/sqlite_db.hpp"

namespace gdx::warehouse::sqlite {
namespace {

bool same_name(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// Numbers as from_chars wants them: no surrounding spaces, no leading '+'.
std::string_view numeric_text(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (!v.empty() && v.front() == '+') v.remove_prefix(1);
    return v;
}

bool parse_int(std::string_view v, int64_t& out) {
    v = numeric_text(v);
    const auto r = std::from_chars(v.data(), v.data() + v.size(), out);
    return r.ec == std::errc() && r.ptr == v.data() + v.size();
}

bool parse_double(std::string_view v, double& out) {
    v = numeric_text(v);
    const auto r = std::from_chars(v.data(), v.data() + v.size(), out);
    return r.ec == std::errc() && r.ptr == v.data() + v.size();
}

// One loadable column: how its text is checked and bound.
struct Target {
    const types::TableColumn* column;
    std::string scratch;  // reused buffer for rewritten values (no per-row allocation)
};

class Loader {
public:
    Loader(sqlite3* db, const TableSchema& schema) : db_(db), schema_(schema) {}

    uint64_t run(const BatchRef& batch, LoadMode mode) {
        const std::string table = quote_identifier(storage_table_name(schema_.name));
        BatchInput input(batch);
        csv::ObjectSource source(input);
        try {
            csv::BatchReader batch_reader(source);
            check_header(batch_reader.header());
            if (mode == LoadMode::Replace) exec(db_, "DELETE FROM " + table);
            Statement insert(db_, insert_sql(table));
            start_identities(table);
            csv::BatchRow row;
            uint64_t rows = 0;
            try {
                while (batch_reader.next(row)) {
                    bind_row(insert, row);
                    step(insert, row.line());
                    ++rows;
                }
            } catch (LoadError& e) {
                e.batch_record = rows + 2;  // the header is record 1
                throw;
            }
            return rows;
        } catch (const DataError& e) {
            throw LoadError(e.info().what, e.info().line, e.info().column_name, e.info().value);
        }
    }

private:
    void check_header(const std::vector<std::string>& header) {
        std::vector<std::string> expected;
        for (const auto& column : schema_.columns) {
            if (column.type.identity) {
                identities_.push_back(Identity{&column, parse_identity(column.type.declared), 0});
            } else {
                targets_.push_back(Target{&column, {}});
                expected.push_back(column.name);
            }
        }
        bool same = header.size() == expected.size();
        for (size_t i = 0; same && i < header.size(); ++i) same = same_name(header[i], expected[i]);
        if (!same) {
            throw LoadError(
                fmt::format("batch columns ({}) do not match the loadable columns of {} ({})",
                            join(header), schema_.name, join(expected)),
                1);
        }
    }

    std::string insert_sql(const std::string& table) const {
        std::string columns, params;
        int n = 0;
        auto add = [&](const std::string& name) {
            columns += (n == 0 ? "" : ", ") + quote_identifier(name);
            params += fmt::format("{}?{}", n == 0 ? "" : ", ", n + 1);
            ++n;
        };
        for (const auto& t : targets_) add(t.column->name);
        for (const auto& id : identities_) add(id.column->name);
        return fmt::format("INSERT INTO {} ({}) VALUES ({})", table, columns, params);
    }

    // Identity values continue from the current maximum, as Redshift's generator would.
    void start_identities(const std::string& table) {
        for (auto& id : identities_) {
            Statement st(db_, fmt::format("SELECT max({}) FROM {}",
                                          quote_identifier(id.column->name), table));
            st.step();
            id.next = st.is_null(0) ? id.spec.seed : st.column_int(0) + id.spec.step;
        }
    }

    void bind_row(Statement& insert, const csv::BatchRow& row) {
        for (size_t i = 0; i < targets_.size(); ++i) {
            Target& target = targets_[i];
            const types::ColumnType& type = target.column->type;
            const int param = static_cast<int>(i) + 1;
            const std::string_view value = row[i];
            // Redshift COPY loads an empty field as NULL into every non-character column.
            if (row.is_null(i) || (value.empty() && !type.is_text())) {
                if (type.not_null) {
                    throw LoadError(
                        fmt::format("Missing data for not-null field {}", target.column->name),
                        row.line(), target.column->name, row.is_null(i) ? "\\N" : "");
                }
                insert.bind_null(param);
                continue;
            }
            if (const char* problem = types::check_value(type, value)) {
                throw LoadError(problem, row.line(), target.column->name, std::string(value));
            }
            bind_value(insert, param, target, value);
        }
        const int first_identity = static_cast<int>(targets_.size()) + 1;
        for (size_t j = 0; j < identities_.size(); ++j) {
            insert.bind_int(first_identity + static_cast<int>(j), identities_[j].next);
            identities_[j].next += identities_[j].spec.step;
        }
    }

    // Storage: integers as INTEGER, floats as REAL, DECIMAL(p,s) as REAL rounded to s
    // (INTEGER when s = 0; exact to 15 significant digits, which covers the DDLs in use),
    // booleans as 0/1, dates, times, timestamps and text as TEXT.
    static void bind_value(Statement& insert, int param, Target& target, std::string_view value) {
        const types::ColumnType& type = target.column->type;
        int64_t i = 0;
        double d = 0;
        switch (type.kind) {
            case types::TypeKind::SmallInt:
            case types::TypeKind::Integer:
            case types::TypeKind::BigInt:
                if (parse_int(value, i)) return insert.bind_int(param, i);
                break;
            case types::TypeKind::Real:
            case types::TypeKind::Double:
                if (parse_double(value, d)) {
                    sqlite3_bind_double(insert.get(), param, d);
                    return;
                }
                break;
            case types::TypeKind::Decimal: {
                const int scale = type.scale < 0 ? 0 : type.scale;
                if (scale == 0 && parse_int(value, i)) return insert.bind_int(param, i);
                if (parse_double(value, d)) {
                    const double factor = std::pow(10.0, scale);
                    d = std::round(d * factor) / factor;
                    if (scale == 0 && std::fabs(d) < 9.0e15)
                        return insert.bind_int(param, static_cast<int64_t>(d));
                    sqlite3_bind_double(insert.get(), param, d);
                    return;
                }
                break;
            }
            case types::TypeKind::Boolean:
                return insert.bind_int(param, types::storage_bool(value) ? 1 : 0);
            case types::TypeKind::Timestamp:
            case types::TypeKind::TimestampTz:
                if (value.size() == 10) {  // date only: Redshift stores midnight
                    target.scratch.assign(value);
                    target.scratch += " 00:00:00";
                    return insert.bind_text(param, target.scratch);
                }
                break;
            default:
                break;
        }
        insert.bind_text(param, value);
    }

    void step(Statement& insert, uint64_t line) {
        const int rc = sqlite3_step(insert.get());
        if (rc != SQLITE_DONE) {
            if (classify_result_code(rc) == ErrorKind::Data) {
                const std::string message = sqlite3_errmsg(db_);
                sqlite3_reset(insert.get());
                throw LoadError(message, line);
            }
            throw_sqlite_error(db_, rc, "loading " + schema_.name);
        }
        sqlite3_reset(insert.get());
    }

    struct Identity {
        const types::TableColumn* column;
        IdentitySpec spec;
        int64_t next;
    };

    sqlite3* db_;
    const TableSchema& schema_;
    std::vector<Target> targets_;
    std::vector<Identity> identities_;
};

}  // namespace

uint64_t load_batch(sqlite3* db, const TableSchema& schema, const BatchRef& batch, LoadMode mode) {
    if (batch.store == nullptr)
        throw BackendError("load of " + schema.name + ": no object store given");
    return Loader(db, schema).run(batch, mode);
}

}  // namespace gdx::warehouse::sqlite
