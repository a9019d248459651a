#pragma once
// The blocks of `gdx google-search` below the orchestration: one window's object (fetched day by
// day into a spool file, then stored under its final key), and how that object is read back into a
// batch by the shared loader.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include <date/date.h>

#include "google/search_console.hpp"
#include "google/search_csv.hpp"
#include "jobs/transform_object.hpp"
#include "store/object_store.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::jobs {

// The site's host part of the object key: one trailing '/' and a leading http(s):// removed.
std::string site_fqdn(const std::string& site);
// "<prefix>googlesearch-<fqdn>-<start>-<max_date>.csv"
std::string search_object_key(const std::string& prefix, const std::string& site,
                              const std::string& start, const std::string& max_date);
// What every key of a window starting on `start` begins with:
// "<prefix>googlesearch-<fqdn>-<start>-".
std::string search_object_key_prefix(const std::string& prefix, const std::string& site,
                                     const std::string& start);

// How the shared loader reads a search object: '|' separated, no quoting, a header line, no
// NA tokens (a query "null" is text), every VARCHAR cut to its size as COPY's TRUNCATECOLUMNS.
TransformSpec search_object_spec(const types::TableSchema& table);

// One window's CSV, spooled to an unlinked temporary file while the pages arrive, so memory
// stays flat however many rows a window has.
class WindowSpool {
public:
    explicit WindowSpool(const std::string& site);
    ~WindowSpool();
    WindowSpool(const WindowSpool&) = delete;
    WindowSpool& operator=(const WindowSpool&) = delete;

    // Appends the lines of one page's rows.
    void add_rows(const nlohmann::json& rows);
    uint64_t rows() const { return rows_; }
    uint64_t bytes() const { return bytes_ + buffer_.size(); }  // CSV bytes so far, header included
    const std::string& max_date() const { return max_date_; }   // "0" when no rows
    // Writes everything (header + rows) to the store and commits it.
    void upload(store::ObjectStore& store, const std::string& bucket, const std::string& key);

private:
    void flush();

    google::SearchCsv csv_;
    std::string buffer_;
    std::FILE* file_ = nullptr;
    uint64_t rows_ = 0;
    uint64_t bytes_ = 0;
    std::string max_date_ = "0";
};

}  // namespace gdx::jobs
