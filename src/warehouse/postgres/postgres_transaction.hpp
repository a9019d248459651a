#pragma once
// One transaction on a PostgresWarehouse's connection (also used by RedshiftWarehouse).
#include "warehouse/postgres/postgres_warehouse.hpp"

namespace gdx::warehouse {

class PgTransaction : public Transaction {
public:
    explicit PgTransaction(PostgresWarehouse& warehouse) : w_(warehouse) {}
    ~PgTransaction() override;

    std::optional<LedgerEntry> claim(const std::string& bucket, const std::string& key) override;
    uint64_t load(const std::string& table, const BatchRef& batch, LoadMode mode) override;
    void execute(const std::string& sql) override;
    void insert_row(const std::string& table,
                    const std::vector<std::optional<std::string>>& values) override;
    void record(const LedgerEntry& entry) override;
    void commit() override;

private:
    void check_open() const;
    uint64_t replace(const pg::QualifiedName& target, const BatchRef& batch);
    // Runs fn; any exception marks the transaction failed (it can then only roll back).
    template <class Fn>
    auto guarded(Fn&& fn) -> decltype(fn());

    PostgresWarehouse& w_;
    bool finished_ = false;
    bool failed_ = false;
};

}  // namespace gdx::warehouse
