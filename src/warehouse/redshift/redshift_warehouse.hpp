#pragma once
// The Redshift warehouse: PostgresWarehouse over libpq, except that batches are loaded by
// Redshift itself with COPY … FROM 's3://…' (the data never passes through gdx), claims
// serialise with LOCK on the ledger (no advisory locks on Redshift), and scripts are sent as
// written (already Redshift SQL). See docs/redshift.md for what is verified.
#include "warehouse/postgres/postgres_warehouse.hpp"
#include "warehouse/redshift/redshift_sql.hpp"

namespace gdx::warehouse {

class RedshiftWarehouse : public PostgresWarehouse {
  public:
    // uri: redshift://user[:password]@host[:5439]/db (sslmode=require unless given).
    explicit RedshiftWarehouse(const std::string& uri, const WarehouseOptions& options = {});

    std::string describe_table_sql() const override;
    // Redshift reads the stored batch from S3 itself: it must be complete before the COPY.
    bool loads_while_writing() const override { return false; }
    // Query results go to S3 with UNLOAD, written by the cluster itself.
    bool unloads_to_store() const override { return true; }
    void run_unload(const std::string& statement, const std::vector<std::string>& secrets) override;

  protected:
    std::vector<std::string> prepare_script(const std::string& sql) const override;
    void lock_object(const std::string& bucket, const std::string& key) override;
    bool has_savepoints() const override { return false; }
    pg::LikeFlavour like_flavour() const override { return pg::LikeFlavour::Redshift; }
    uint64_t copy_batch(const pg::QualifiedName& table, const BatchRef& batch) override;
};

}  // namespace gdx::warehouse
