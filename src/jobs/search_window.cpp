#include "jobs/search_window.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "csv/encoding.hpp"
#include "google/settings.hpp"
#include "transform/column_plan.hpp"
#include "util/error.hpp"

namespace gdx::jobs {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

}  // namespace

std::string site_fqdn(const std::string& site) {
    std::string s = site;
    if (!s.empty() && s.back() == '/') s.pop_back();
    for (const char* scheme : {"https://", "http://"})
        if (s.starts_with(scheme)) return s.substr(std::strlen(scheme));
    return s;
}

std::string search_object_key_prefix(const std::string& prefix, const std::string& site,
                                     const std::string& start) {
    return fmt::format("{}googlesearch-{}-{}-", prefix, site_fqdn(site), start);
}

std::string search_object_key(const std::string& prefix, const std::string& site,
                              const std::string& start, const std::string& max_date) {
    return search_object_key_prefix(prefix, site, start) + max_date + ".csv";
}

TransformSpec search_object_spec(const types::TableSchema& table) {
    TransformSpec spec;
    spec.encoding = csv::resolve_encoding("utf-8");
    spec.csv.delimiter = '|';
    spec.csv.quoting = false;
    spec.has_header = true;
    transform::ColumnEdits edits;
    edits.columns = {"site", "date",     "query",  "country", "device",
                     "page", "position", "clicks", "ctr",     "impressions"};
    edits.keep_default_na = false;
    for (size_t i = 0; i < table.columns.size() && i < edits.columns.size(); ++i) {
        const auto& type = table.columns[i].type;
        if (type.is_text() && type.length > 0)
            edits.string_limits.push_back({edits.columns[i], type.length});
    }
    spec.plan = transform::compile_column_plan(edits, &table);
    return spec;
}

WindowSpool::WindowSpool(const std::string& site) : csv_(site), file_(std::tmpfile()) {
    if (!file_)
        throw BackendError(fmt::format("cannot create a temporary file: {}", std::strerror(errno)));
    buffer_.reserve(kFlushBytes + 64 * 1024);
    buffer_ += google::kSearchCsvHeader;
}

WindowSpool::~WindowSpool() {
    std::fclose(file_);
}

void WindowSpool::add_rows(const nlohmann::json& rows) {
    for (const auto& row : rows) {
        std::string_view day = csv_.append_row(buffer_, row);
        if (day > max_date_) max_date_ = day;
        ++rows_;
        if (buffer_.size() >= kFlushBytes) flush();
    }
}

void WindowSpool::flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
        throw BackendError(fmt::format("cannot write a temporary file: {}", std::strerror(errno)));
    bytes_ += buffer_.size();
    buffer_.clear();
}

void WindowSpool::upload(store::ObjectStore& store, const std::string& bucket,
                         const std::string& key) {
    flush();
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
        throw BackendError(
            fmt::format("cannot read back a temporary file: {}", std::strerror(errno)));
    auto out = store.put(bucket, key);
    std::string chunk(kFlushBytes, '\0');
    for (;;) {
        size_t n = std::fread(chunk.data(), 1, chunk.size(), file_);
        if (n > 0) out->write(std::string_view(chunk.data(), n));
        if (n < chunk.size()) break;
    }
    if (std::ferror(file_)) throw BackendError("cannot read back a temporary file");
    out->commit();
}

}  // namespace gdx::jobs
