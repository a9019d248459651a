#pragma once
// The warehouse seam (docs/semantics.md#backends): sqlite:FILE (embedded), postgresql://,
// redshift://. Jobs only ever talk to this interface.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/object_store.hpp"
#include "types/column_type.hpp"
#include "util/error.hpp"

namespace gdx::warehouse {

using types::ColumnType;
using types::TableColumn;
using types::TableSchema;
using types::TypeKind;

// The batch object to load (format: docs/batch-format.md, written by csv::BatchWriter).
struct BatchRef {
    store::ObjectStore* store = nullptr;
    std::string bucket;
    std::string key;
    // When set, the batch's bytes are read from this stream while they are still being written
    // to (bucket, key); the object there is complete once the stream has ended. Only given to
    // a warehouse whose loads_while_writing() is true.
    store::ObjectReader* live = nullptr;
};

// The bytes of a batch to load: its live stream when attached, else the stored object.
class BatchInput : public store::ObjectReader {
public:
    explicit BatchInput(const BatchRef& batch)
        : owned_(batch.live ? nullptr : batch.store->get(batch.bucket, batch.key)),
          reader_(batch.live ? *batch.live : *owned_) {}
    size_t read(char* dst, size_t capacity) override { return reader_.read(dst, capacity); }

private:
    std::unique_ptr<store::ObjectReader> owned_;
    store::ObjectReader& reader_;
};

// One row of the exactly-once ledger (docs/semantics.md#exactly-once).
struct LedgerEntry {
    std::string job;
    std::string config;
    std::string bucket;
    std::string key;
    std::string etag;
    uint64_t size = 0;
    uint64_t rows = 0;
    std::string status;  // "good"
    std::string batch_key;
    std::string loaded_at;  // ISO-8601 UTC, filled by the warehouse when recording
};

enum class LoadMode {
    Append,   // add the batch's rows to the table
    Replace,  // the table's content becomes the batch; owner and privileges are kept
};

// A load the warehouse rejected because of the object's data (ErrorKind::Data): the object goes
// to bad. Holds the server's message and, when known, where.
class LoadError : public std::runtime_error {
public:
    LoadError(const std::string& message, uint64_t batch_line = 0, std::string column = {},
              std::string value = {}, FailureStage stage = FailureStage::Load)
        : std::runtime_error(message),
          batch_line(batch_line),
          column(std::move(column)),
          value(std::move(value)),
          stage(stage) {}
    uint64_t batch_line;  // 1-based line of the batch object (the header is line 1)
    // 1-based record of the batch (the header is record 1; differs from batch_line once a
    // field holds an escaped line feed): what the job maps back to the source object's line.
    uint64_t batch_record = 0;
    uint64_t source_line = 0;  // set by the job that wrote the batch, when it knows it
    std::string column;
    std::string value;
    FailureStage stage;
};

// A statement of a script (run_script) failed: the backend's error, same kind, and the script
// line where that statement began (`gdx sql -f FILE` prints FILE:LINE, as psql does).
class ScriptError : public BackendError {
public:
    ScriptError(const BackendError& cause, size_t line)
        : BackendError(cause.what(), cause.kind()), line_(line) {}
    size_t line() const { return line_; }

private:
    size_t line_;
};

// One transaction. Destroying it without commit() rolls everything back.
class Transaction {
public:
    virtual ~Transaction() = default;
    // Serialises with concurrent runs on (bucket, key) for the rest of the transaction and
    // returns the ledger row if that object was already loaded.
    virtual std::optional<LedgerEntry> claim(const std::string& bucket, const std::string& key) = 0;
    // Loads the batch into table; returns the number of rows loaded. Throws LoadError when
    // the data is rejected, BackendError on infrastructure failure.
    virtual uint64_t load(const std::string& table, const BatchRef& batch, LoadMode mode) = 0;
    // Runs SQL (Redshift dialect, translated for the backend) inside the transaction.
    virtual void execute(const std::string& sql) = 0;
    // Appends one row of text values (nullopt = NULL), in the table's column order, binding the
    // values as parameters (no SQL is built from them). Throws LoadError when the values are
    // rejected, BackendError (ErrorKind::Target) when the table does not exist.
    virtual void insert_row(const std::string& table,
                            const std::vector<std::optional<std::string>>& values) = 0;
    virtual void record(const LedgerEntry& entry) = 0;
    virtual void commit() = 0;
};

using Value = std::variant<std::monostate, int64_t, double, std::string>;  // monostate = NULL
struct ResultRow {
    const std::vector<std::string>* names = nullptr;
    std::vector<Value> values;
    bool first = false;  // the first row of its result set (a script may return several)
};
using RowCallback = std::function<void(const ResultRow&)>;

// A streamed query result (stream_query): column descriptions first, then one call per row.
struct QueryColumn {
    std::string name;        // as the server names it
    bool character = false;  // CHAR/VARCHAR/TEXT: the values UNLOAD's ESCAPE applies to
};
// One cell as Redshift prints it in text (integers plain, dates YYYY-MM-DD, booleans t/f).
struct QueryField {
    std::string_view text;  // valid only during the row() call
    bool null = false;
};
class QueryRowSink {
public:
    virtual ~QueryRowSink() = default;
    virtual void begin(const std::vector<QueryColumn>& columns) = 0;
    virtual void row(std::span<const QueryField> fields) = 0;
};

class Warehouse {
public:
    virtual ~Warehouse() = default;
    // nullopt when the table does not exist. Name as in the config, e.g. "servicebc.office_info".
    virtual std::optional<TableSchema> describe_table(const std::string& table) = 0;
    virtual std::unique_ptr<Transaction> begin() = 0;
    // True when load() reads the batch's bytes itself (BatchInput), so they can stream in while
    // the batch is written; false when the server fetches the stored object (Redshift COPY).
    virtual bool loads_while_writing() const { return false; }
    // Opens the writer of the batch object (bucket, key), whose source object is about
    // `expected_bytes` long. The batch is one object unless the warehouse stores it otherwise
    // (Redshift: compressed parts and a manifest, docs/redshift.md#parallel-copy); load() of the
    // same (bucket, key) then reads it as stored.
    virtual std::unique_ptr<store::ObjectWriter> open_batch(store::ObjectStore& store,
                                                            const std::string& bucket,
                                                            const std::string& key,
                                                            uint64_t expected_bytes) {
        (void)expected_bytes;
        return store.put(bucket, key);
    }
    // Ledger row of an object, outside any transaction (selection).
    virtual std::optional<LedgerEntry> ledger_lookup(const std::string& bucket,
                                                     const std::string& key) = 0;
    // Keys of `bucket` that start with `prefix` and have a ledger row, in one query (selection
    // of a prefix with many objects asks once, not once per object).
    virtual std::set<std::string> ledger_keys(const std::string& bucket,
                                              const std::string& prefix) = 0;
    // `gdx sql`: runs a script (Redshift DDL/SQL accepted and translated); each result row of
    // each statement goes to on_row (may be empty).
    virtual void run_script(const std::string& sql, const RowCallback& on_row) = 0;
    // Runs one query (Redshift dialect, translated for the backend) and hands its rows to
    // `sink` one by one as the server produces them: the result is never held in memory.
    // Throws BackendError (the query failed) or what the sink throws.
    virtual void stream_query(const std::string& query, QueryRowSink& sink);
    // True when query results are exported by the warehouse itself (Redshift UNLOAD writes to
    // S3); then run_unload() is used instead of stream_query().
    virtual bool unloads_to_store() const { return false; }
    // Runs an UNLOAD statement; every value in `secrets` is removed from any error text.
    virtual void run_unload(const std::string& statement, const std::vector<std::string>& secrets);
    // Human description for logs (never contains a password).
    virtual std::string describe() const = 0;
};

struct WarehouseOptions {
    // For redshift:// COPY FROM 's3://…': IAM role ARN, or empty to use the store's keys.
    std::string iam_role;
};

// The URI the warehouse options default to (GDX_WAREHOUSE, then this).
inline constexpr const char* kDefaultWarehouseUri = "sqlite:gdx.db";
// The warehouse a command names: `given` (its --warehouse) when set, else GDX_WAREHOUSE, else
// kDefaultWarehouseUri.
std::string warehouse_uri_or_default(const std::string& given);

// "sqlite:FILE" (or a path ending .db/.sqlite), "postgresql://…"/"postgres://…",
// "redshift://…". Throws ConfigError on a malformed URI, BackendError when unreachable.
std::unique_ptr<Warehouse> open_warehouse(const std::string& uri,
                                          const WarehouseOptions& options = {});

}  // namespace gdx::warehouse
