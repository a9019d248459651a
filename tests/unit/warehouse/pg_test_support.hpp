#pragma once
// A real PostgreSQL 15 for the tests: GDX_TEST_PG_URL when set, else one throw-away cluster
// per test binary (scripts/pg-cluster.sh), started on first use and stopped at exit.
#include <filesystem>
#include <memory>
#include <string>

#include "store/object_store.hpp"

namespace gdx::test {

// URL of the server's `postgres` database.
const std::string& pg_server_url();
// A new, empty database on that server; returns its URL.
std::string pg_fresh_database(const std::string& prefix);
// Runs SQL with psql (the independent client) and returns its unaligned output.
std::string psql(const std::string& url, const std::string& sql);

// A local object store in a fresh temporary directory.
struct TempStore {
    TempStore();
    ~TempStore();
    std::filesystem::path dir;
    std::unique_ptr<store::ObjectStore> store;
};

}  // namespace gdx::test
