#pragma once
// The Redshift warehouse: PostgresWarehouse over libpq, except that batches are loaded by
// Redshift itself with COPY … FROM 's3://…' (the data never passes through gdx), claims
// serialise with LOCK on the ledger (no advisory locks on Redshift), and scripts are sent as
// written (already Redshift SQL). See docs/redshift.md for what is verified.
#include <map>
#include <mutex>

#include "warehouse/postgres/postgres_warehouse.hpp"
#include "warehouse/redshift/batch_parts.hpp"
#include "warehouse/redshift/redshift_sql.hpp"

namespace gdx::warehouse {

class RedshiftWarehouse : public PostgresWarehouse {
public:
    // uri: redshift://user[:password]@host[:5439]/db (sslmode=require unless given).
    explicit RedshiftWarehouse(const std::string& uri, const WarehouseOptions& options = {});

    std::string describe_table_sql() const override;
    // Redshift reads the stored batch from S3 itself: it must be complete before the COPY.
    bool loads_while_writing() const override { return false; }
    // The batch in zstd parts, about a multiple of slice_count() of them, and a manifest.
    std::unique_ptr<store::ObjectWriter> open_batch(store::ObjectStore& store,
                                                    const std::string& bucket,
                                                    const std::string& key,
                                                    uint64_t expected_bytes) override;
    // GDX_REDSHIFT_SLICES, else the cluster's (stv_slices), asked once per run.
    uint64_t slice_count();
    // Query results go to S3 with UNLOAD, written by the cluster itself.
    bool unloads_to_store() const override { return true; }
    void run_unload(const std::string& statement, const std::vector<std::string>& secrets) override;

protected:
    sql::Translation prepare_script(const std::string& sql) const override;
    void lock_object(const std::string& bucket, const std::string& key) override;
    bool has_savepoints() const override { return false; }
    pg::LikeFlavour like_flavour() const override { return pg::LikeFlavour::Redshift; }
    uint64_t copy_batch(const pg::QualifiedName& table, const BatchRef& batch) override;

private:
    // Runs the COPY; maps a rejected row to a LoadError at its batch line (through `layout`
    // when the batch is in parts).
    void run_copy(const std::string& sql, const std::vector<std::string>& secrets,
                  const redshift::BatchLayout* layout);

    uint64_t slices_ = 0;  // 0 until asked
    std::mutex batches_mutex_;
    std::map<std::string, redshift::BatchLayout> batches_;  // by "bucket/key", from open_batch
};

}  // namespace gdx::warehouse
