// The Redshift batch in parts: the plan, the part writer end to end against the directory store
// and moto (the parts decompress to exactly the batch, cut at row ends), the manifest and COPY
// text byte for byte, and the way a rejected row's part line maps back to its batch line.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "../store/s3_test_support.hpp"
#include "store/local_store.hpp"
#include "store/zstd_writer.hpp"
#include "warehouse/postgres/identifiers.hpp"
#include "warehouse/redshift/batch_parts.hpp"
#include "warehouse/redshift/redshift_sql.hpp"

namespace gdx::warehouse::redshift {
namespace {

constexpr uint64_t MiB = 1ull << 20;

TEST(PlanParts, MultipleOfSlicesEachUnderTheMaximum) {
    PartPlan p = plan_parts(1000 * MiB, 4);  // 4 slices: 4 parts would hold 250 MiB each
    EXPECT_EQ(p.parts, 12u);
    EXPECT_LE(p.part_bytes, kMaxPartInput);
    EXPECT_GE(p.part_bytes * p.parts, 1000 * MiB);
    p = plan_parts(64 * MiB, 8);  // one part per slice, 8 MiB each
    EXPECT_EQ(p.parts, 8u);
    EXPECT_EQ(p.part_bytes, 8 * MiB);
}

TEST(PlanParts, SmallBatchesUseFewerPartsNeverTinyOnes) {
    PartPlan p = plan_parts(40 * MiB, 16);  // 16 parts would be 2.5 MiB: 5 parts of 8 MiB
    EXPECT_EQ(p.parts, 5u);
    EXPECT_EQ(p.part_bytes, 8 * MiB);
    p = plan_parts(100 * MiB, 4);  // one per slice
    EXPECT_EQ(p.parts, 4u);
    EXPECT_EQ(p.part_bytes, 25 * MiB);
    p = plan_parts(100 * MiB, 16);  // 16 would be under 8 MiB: as many 8 MiB parts as fit
    EXPECT_EQ(p.parts, 12u);
    p = plan_parts(10 * 1024, 32);  // one part
    EXPECT_EQ(p.parts, 1u);
    EXPECT_EQ(p.part_bytes, 10u * 1024);
    EXPECT_EQ(plan_parts(0, 0).parts, 1u);
}

TEST(RedshiftPartsSql, ManifestListsEveryPartInOrderGolden) {
    EXPECT_EQ(manifest_json("sp-bucket",
                            std::vector<std::string>{"b/a.csv.0001.zst", "b/a.csv.0002.zst"}),
              R"({"entries":[{"mandatory":true,"url":"s3://sp-bucket/b/a.csv.0001.zst"},)"
              R"({"mandatory":true,"url":"s3://sp-bucket/b/a.csv.0002.zst"}]})");
}

TEST(RedshiftPartsSql, CopyOfZstdPartsGolden) {
    CopyAuth auth;
    auth.iam_role = "arn:aws:iam::123456789012:role/gdx-load";
    EXPECT_EQ(
        copy_sql(pg::parse_table_name("servicebc.office_info"), {"id", "SDB Site"}, "sp-bucket",
                 "processed/batch/client/a.csv.manifest", auth, CopyCompression::Zstd),
        "COPY \"servicebc\".\"office_info\" (\"id\", \"SDB Site\") FROM "
        "'s3://sp-bucket/processed/batch/client/a.csv.manifest' IAM_ROLE "
        "'arn:aws:iam::123456789012:role/gdx-load' MANIFEST ZSTD DELIMITER '|' ESCAPE NULL "
        "AS '\\\\N' IGNOREHEADER 1 MAXERROR 0 ENCODING UTF8");
    EXPECT_EQ(slice_count_sql(), "SELECT COUNT(*) FROM stv_slices");
    EXPECT_EQ(part_key("processed/batch/a.csv", 0), "processed/batch/a.csv.0001.zst");
    EXPECT_EQ(manifest_key("processed/batch/a.csv"), "processed/batch/a.csv.manifest");
}

TEST(RedshiftPartsSql, LoadErrorQueriesNameTheFile) {
    auto queries = load_error_queries();
    ASSERT_EQ(queries.size(), 2u);
    EXPECT_NE(queries[0].find("error_code, TRIM(file_name) FROM sys_load_error_detail"),
              std::string::npos);
    EXPECT_NE(queries[1].find("err_code, TRIM(filename) FROM stl_load_errors"), std::string::npos);
}

TEST(BatchLineOf, MapsAPartLineToItsBatchLine) {
    BatchLayout layout;
    layout.bucket = "b";
    layout.parts = {{"k.0001.zst", 2, 10, 0, 0}, {"k.0002.zst", 12, 5, 0, 0}};
    EXPECT_EQ(batch_line_of(layout, "s3://b/k.0001.zst", 2), 2u);
    EXPECT_EQ(batch_line_of(layout, "s3://b/k.0002.zst", 2), 12u);
    EXPECT_EQ(batch_line_of(layout, "s3://b/k.0002.zst", 6), 16u);
    EXPECT_EQ(batch_line_of(layout, "s3://b/k.0003.zst", 2), std::nullopt);
    EXPECT_EQ(batch_line_of(layout, "s3://b/k.0002.zst", 1), std::nullopt);  // a header
    // Cut short by the view's width: only an unambiguous prefix counts.
    EXPECT_EQ(batch_line_of(layout, "s3://b/k.0002", 3), 13u);
    EXPECT_EQ(batch_line_of(layout, "s3://b/k.000", 3), std::nullopt);
}

// A batch as csv::BatchWriter writes it, with the escapes that make row ends hard to find: an
// escaped LF inside a field, a field ending in an escaped backslash right before the row end,
// escaped CR and '|'.
struct Batch {
    std::string header = "id|note|SDB\\|Site\n";
    std::string body;
    uint64_t rows = 0;
};

Batch make_batch(size_t approx_bytes, unsigned seed) {
    std::mt19937 rng(seed);
    Batch b;
    while (b.body.size() < approx_bytes) {
        ++b.rows;
        b.body += std::to_string(b.rows) + "|";
        switch (rng() % 5) {
            case 0:
                b.body += "line one\\\nline two";
                break;
            case 1:
                b.body += "ends in a backslash\\\\";
                break;
            case 2:
                b.body += "\\\\\\\ncr\\\rpipe\\|x";
                break;
            case 3:
                b.body += "\\N";
                break;
            default:
                b.body += std::string(rng() % 300, 'a' + static_cast<char>(rng() % 26));
        }
        b.body += "|";
        b.body += (rng() % 2) ? "\\\\" : "x";
        b.body += "\n";
    }
    return b;
}

uint64_t count_records(std::string_view text) {
    uint64_t rows = 0;
    bool escaped = false;
    for (char c : text) {
        if (escaped) {
            escaped = false;
        } else if (c == '\\') {
            escaped = true;
        } else if (c == '\n') {
            ++rows;
        }
    }
    return rows;
}

class PartWriterTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "directory") {
            dir_ = gdx::testing::make_temp_dir("parts");
            std::filesystem::create_directories(dir_ + "/bkt");
            store_ = std::make_unique<store::LocalStore>(dir_);
            bucket_ = "bkt";
        } else {
            const std::string endpoint = gdx::testing::moto_server().url();
            bucket_ = gdx::testing::make_bucket(endpoint, "parts");
            store_ = std::make_unique<store::S3Store>(gdx::testing::s3_test_config(endpoint));
        }
    }
    std::string dir_;
    std::string bucket_;
    std::unique_ptr<store::ObjectStore> store_;
};

TEST_P(PartWriterTest, PartsDecompressToExactlyTheBatchCutAtRowEnds) {
    const Batch batch = make_batch(3 * MiB, 11);
    const std::string all = batch.header + batch.body;
    PartPlan plan;
    plan.part_bytes = 256 * 1024;
    std::optional<BatchLayout> committed;
    PartedBatchWriter writer(*store_, bucket_, "batch/dir/a.csv", plan, 1,
                             [&](BatchLayout l) { committed = std::move(l); });
    // Uneven chunks, some of one byte, so that escapes and row ends straddle writes.
    std::mt19937 rng(5);
    for (size_t pos = 0; pos < all.size();) {
        size_t n = (rng() % 4 == 0) ? 1 + rng() % 3 : 1 + rng() % 70000;
        n = std::min(n, all.size() - pos);
        writer.write(std::string_view(all).substr(pos, n));
        pos += n;
    }
    EXPECT_FALSE(committed);
    writer.commit();
    ASSERT_TRUE(committed);
    const BatchLayout& layout = *committed;
    EXPECT_EQ(layout.columns, (std::vector<std::string>{"id", "note", "SDB|Site"}));
    EXPECT_EQ(layout.rows, batch.rows);
    ASSERT_GE(layout.parts.size(), 10u);

    auto manifest = nlohmann::json::parse(store_->get_bytes(bucket_, "batch/dir/a.csv.manifest"));
    ASSERT_EQ(manifest["entries"].size(), layout.parts.size());
    std::string joined;
    uint64_t next_line = 2;
    for (size_t i = 0; i < layout.parts.size(); ++i) {
        const BatchPart& part = layout.parts[i];
        EXPECT_EQ(part.key, part_key("batch/dir/a.csv", i));
        EXPECT_EQ(manifest["entries"][i]["url"], "s3://" + bucket_ + "/" + part.key);
        EXPECT_EQ(manifest["entries"][i]["mandatory"], true);
        const std::string stored = store_->get_bytes(bucket_, part.key);
        EXPECT_EQ(stored.size(), part.bytes_out);
        const std::string text = store::zstd_decompress(stored);
        EXPECT_EQ(text.size(), part.bytes_in);
        ASSERT_EQ(text.substr(0, batch.header.size()), batch.header) << part.key;
        const std::string rows = text.substr(batch.header.size());
        EXPECT_EQ(count_records(rows), part.rows) << part.key;
        EXPECT_EQ(part.first_line, next_line);
        next_line += part.rows;
        if (i + 1 < layout.parts.size()) {
            EXPECT_GE(part.bytes_in, plan.part_bytes);
            EXPECT_LT(part.bytes_in, plan.part_bytes + 4096);  // ends at the next row end
        }
        EXPECT_LT(part.bytes_out, part.bytes_in);
        joined += rows;
    }
    EXPECT_EQ(joined, batch.body);

    // Row 1000 of the batch (batch line 1001) is found again through its part's line.
    const uint64_t wanted = 1001;
    for (const BatchPart& part : layout.parts) {
        if (wanted >= part.first_line && wanted < part.first_line + part.rows) {
            const uint64_t part_line = wanted - part.first_line + 2;
            EXPECT_EQ(batch_line_of(layout, "s3://" + bucket_ + "/" + part.key, part_line), wanted);
        }
    }
}

TEST_P(PartWriterTest, ABatchWithoutRowsIsOnePartWithItsHeader) {
    PartedBatchWriter writer(*store_, bucket_, "batch/empty.csv", PartPlan{}, 1);
    writer.write("a|b\n");
    writer.commit();
    ASSERT_EQ(writer.layout().parts.size(), 1u);
    EXPECT_EQ(store::zstd_decompress(store_->get_bytes(bucket_, "batch/empty.csv.0001.zst")),
              "a|b\n");
    EXPECT_EQ(writer.layout().rows, 0u);
}

INSTANTIATE_TEST_SUITE_P(Stores, PartWriterTest, ::testing::Values("directory", "moto"));

}  // namespace
}  // namespace gdx::warehouse::redshift
