// The Redshift load path end to end as far as PostgreSQL and moto allow (no Redshift here):
// RedshiftWarehouse::open_batch writes the batch as zstd parts and a manifest to moto, and the
// load sends the one COPY … MANIFEST ZSTD to a real PostgreSQL, which cannot run it (Redshift's
// syntax) but shows the statement it received in pg_stat_activity. Checked: the objects in the
// bucket and their sizes, every row in exactly one part, and the statement byte for byte.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "../store/s3_test_support.hpp"
#include "pg_test_support.hpp"
#include "store/zstd_writer.hpp"
#include "warehouse/redshift/redshift_warehouse.hpp"

namespace gdx::test::redshift_copy_pg {

using warehouse::redshift::BatchLayout;
using warehouse::redshift::PartedBatchWriter;

constexpr uint64_t kMiB = 1ull << 20;

// GDX_REDSHIFT_SLICES for one test (PostgreSQL has no stv_slices).
struct SlicesForTest {
    explicit SlicesForTest(const char* n) { ::setenv("GDX_REDSHIFT_SLICES", n, 1); }
    ~SlicesForTest() { ::unsetenv("GDX_REDSHIFT_SLICES"); }
};

TEST(RedshiftCopyOnPostgres, PartsManifestAndTheGoldenCopyReachTheirServers) {
    const std::string endpoint = gdx::testing::moto_server().url();
    const std::string bucket = gdx::testing::make_bucket(endpoint, "rs-copy");
    store::S3Store s3(gdx::testing::s3_test_config(endpoint));
    const std::string url = pg_fresh_database("gdx_rs_copy");
    psql(url, "CREATE SCHEMA t; CREATE TABLE t.calls (id INTEGER, note VARCHAR(40))");

    SlicesForTest slices("4");
    warehouse::WarehouseOptions options;
    options.iam_role = "arn:aws:iam::123456789012:role/gdx-load";
    const std::string app = "gdx_rs_copy_" + std::to_string(::getpid());
    const char* joiner = url.find('?') == std::string::npos ? "?" : "&";
    warehouse::RedshiftWarehouse wh(url + joiner + "application_name=" + app, options);

    // A 20 MiB batch for a 32 MiB object on 4 slices: parts of 8 MiB of input (the least),
    // so three parts, the last one shorter. Each row's note escapes a '|' and a line feed.
    const std::string key = "processed/batch/client/calls.csv";
    auto out = wh.open_batch(s3, bucket, key, 32 * kMiB);
    auto* parted = dynamic_cast<PartedBatchWriter*>(out.get());
    ASSERT_NE(parted, nullptr);
    const std::string header = "id|note\n";
    std::string body;
    uint64_t rows = 0;
    for (; body.size() < 20 * kMiB; ++rows)
        body += std::to_string(rows) + "|row\\|" + std::to_string(rows * 7919 % 100003) +
                (rows % 5 == 0 ? "\\\nnext" : "") + "\n";
    out->write(header);
    for (size_t pos = 0; pos < body.size(); pos += 65536)
        out->write(std::string_view(body).substr(pos, 65536));
    out->commit();
    const BatchLayout layout = parted->layout();
    ASSERT_EQ(layout.parts.size(), 3u);
    EXPECT_EQ(layout.rows, rows);

    // The bucket holds the parts and the manifest, nothing under the batch key itself.
    std::map<std::string, uint64_t> stored;
    for (const auto& o : s3.list(bucket, key)) stored[o.key] = o.size;
    std::vector<std::string> keys;
    for (const auto& part : layout.parts) keys.push_back(part.key);
    const std::string manifest = warehouse::redshift::manifest_json(bucket, keys);
    std::map<std::string, uint64_t> wanted{{key + ".manifest", manifest.size()}};
    for (const auto& part : layout.parts) wanted[part.key] = part.bytes_out;
    EXPECT_EQ(stored, wanted);
    EXPECT_EQ(s3.get_bytes(bucket, key + ".manifest"), manifest);

    // Every row in exactly one part, in order; every part but the last of 8 MiB of rows or a
    // row more, and none over the 125 MB COPY recommends.
    std::string joined;
    for (size_t i = 0; i < layout.parts.size(); ++i) {
        const auto& part = layout.parts[i];
        const std::string text = store::zstd_decompress(s3.get_bytes(bucket, part.key));
        EXPECT_EQ(text.size(), part.bytes_in);
        ASSERT_TRUE(text.starts_with(header)) << part.key;
        const uint64_t row_bytes = text.size() - header.size();
        if (i + 1 < layout.parts.size()) {
            EXPECT_GE(row_bytes, 8 * kMiB) << part.key;
        }
        EXPECT_LT(part.bytes_out, 125'000'000u);
        joined += text.substr(header.size());
    }
    EXPECT_EQ(joined, body);

    // The load: PostgreSQL refuses Redshift's COPY, and shows what it was sent.
    auto tx = wh.begin();
    EXPECT_THROW(tx->load("t.calls", {&s3, bucket, key}, warehouse::LoadMode::Append),
                 BackendError);
    const std::string sent =
        psql(url, "SELECT query FROM pg_stat_activity WHERE application_name = '" + app + "'");
    EXPECT_EQ(sent,
              "COPY \"t\".\"calls\" (\"id\", \"note\") FROM 's3://" + bucket +
                  "/processed/batch/client/calls.csv.manifest' IAM_ROLE "
                  "'arn:aws:iam::123456789012:role/gdx-load' MANIFEST ZSTD DELIMITER '|' ESCAPE "
                  "NULL AS '\\\\N' IGNOREHEADER 1 MAXERROR 0 ENCODING UTF8\n");
    EXPECT_EQ(psql(url, "SELECT count(*) FROM t.calls"), "0\n");
}

}  // namespace gdx::test::redshift_copy_pg
