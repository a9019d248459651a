#include "warehouse/sqlite/sqlite_ledger.hpp"

#include "warehouse/sqlite/sqlite_db.hpp"

namespace gdx::warehouse::sqlite {

void create_bookkeeping_tables(sqlite3* db) {
    exec(db,
         "CREATE TABLE IF NOT EXISTS gdx_ledger ("
         " job TEXT NOT NULL, config TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL,"
         " etag TEXT NOT NULL, size INTEGER NOT NULL, rows INTEGER NOT NULL, status TEXT NOT NULL,"
         " batch_key TEXT NOT NULL, loaded_at TEXT NOT NULL, PRIMARY KEY (bucket, key));"
         "CREATE TABLE IF NOT EXISTS gdx_schemas (name TEXT PRIMARY KEY);");
}

std::optional<LedgerEntry> find_ledger_entry(sqlite3* db, const std::string& bucket,
                                             const std::string& key) {
    Statement st(db,
                 "SELECT job, config, bucket, key, etag, size, rows, status, batch_key, loaded_at"
                 " FROM gdx_ledger WHERE bucket = ?1 AND key = ?2");
    st.bind_text(1, bucket);
    st.bind_text(2, key);
    if (!st.step()) return std::nullopt;
    LedgerEntry e;
    e.job = st.column_text(0);
    e.config = st.column_text(1);
    e.bucket = st.column_text(2);
    e.key = st.column_text(3);
    e.etag = st.column_text(4);
    e.size = static_cast<uint64_t>(st.column_int(5));
    e.rows = static_cast<uint64_t>(st.column_int(6));
    e.status = st.column_text(7);
    e.batch_key = st.column_text(8);
    e.loaded_at = st.column_text(9);
    return e;
}

std::set<std::string> ledger_keys_with_prefix(sqlite3* db, const std::string& bucket,
                                              const std::string& prefix) {
    // The primary key's index in byte order (BINARY collation): the keys with the prefix
    // follow each other from the first key >= prefix.
    Statement st(db, "SELECT key FROM gdx_ledger WHERE bucket = ?1 AND key >= ?2 ORDER BY key");
    st.bind_text(1, bucket);
    st.bind_text(2, prefix);
    std::set<std::string> keys;
    while (st.step()) {
        std::string key = st.column_text(0);
        if (!key.starts_with(prefix)) break;
        keys.insert(std::move(key));
    }
    return keys;
}

void insert_ledger_entry(sqlite3* db, const LedgerEntry& entry) {
    Statement st(db,
                 "INSERT INTO gdx_ledger (job, config, bucket, key, etag, size, rows, status,"
                 " batch_key, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                 " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    st.bind_text(1, entry.job);
    st.bind_text(2, entry.config);
    st.bind_text(3, entry.bucket);
    st.bind_text(4, entry.key);
    st.bind_text(5, entry.etag);
    st.bind_int(6, static_cast<int64_t>(entry.size));
    st.bind_int(7, static_cast<int64_t>(entry.rows));
    st.bind_text(8, entry.status);
    st.bind_text(9, entry.batch_key);
    st.step();
}

}  // namespace gdx::warehouse::sqlite
