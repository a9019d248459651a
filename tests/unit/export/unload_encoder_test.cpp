// Golden bytes of the UNLOAD text encoder, written through a real store (a directory).
#include <gtest/gtest.h>

#include <filesystem>

#include "export/export_query.hpp"
#include "export/unload_encoder.hpp"
#include "store/object_store.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using namespace gdx;
using exports::TextFormat;
using warehouse::QueryColumn;
using warehouse::QueryField;

namespace {

class UnloadEncoderTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gdx-encoder-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        store_ = store::open_store("file:" + dir_.string());
    }
    void TearDown() override { fs::remove_all(dir_); }

    // name (text), n (integer), note (text) with the awkward values, then a NULL row.
    std::string encode(const TextFormat& f) {
        exports::UnloadEncoder e(
            f, [&](unsigned i) { return store_->put("b", "k_part00" + std::to_string(i)); });
        e.begin({{"Name", true}, {"N", false}, {"note", true}});
        const QueryField r1[] = {{"a|b,c", false}, {"-12", false}, {"say \"hi\" it's", false}};
        const QueryField r2[] = {{"line1\nline2\r", false}, {"0", false}, {"C:\\tmp", false}};
        const QueryField r3[] = {{"", true}, {"", true}, {"Où est le café ☕", false}};
        e.row(r1);
        e.row(r2);
        e.row(r3);
        e.finish();
        EXPECT_EQ(e.rows(), 3u);
        EXPECT_EQ(e.parts(), 1u);
        return store_->get_bytes("b", "k_part000");
    }

    fs::path dir_;
    std::unique_ptr<store::ObjectStore> store_;
};

}  // namespace

TEST_F(UnloadEncoderTest, PipeDefaultRaw) {
    EXPECT_EQ(encode({'|', false, false, false, ""}),
              "a|b,c|-12|say \"hi\" it's\n"
              "line1\nline2\r|0|C:\\tmp\n"
              "||Où est le café ☕\n");
}

TEST_F(UnloadEncoderTest, PipeEscapeWithHeader) {
    EXPECT_EQ(encode({'|', false, true, true, ""}),
              "name|n|note\n"
              "a\\|b,c|-12|say \"hi\" it's\n"
              "line1\\\nline2\\\r|0|C:\\\\tmp\n"
              "||Où est le café ☕\n");
}

TEST_F(UnloadEncoderTest, CommaAddquotesWithoutEscapeDoesNotDoubleQuotes) {
    EXPECT_EQ(encode({',', true, false, true, ""}),
              "\"name\",\"n\",\"note\"\n"
              "\"a|b,c\",\"-12\",\"say \"hi\" it's\"\n"
              "\"line1\nline2\r\",\"0\",\"C:\\tmp\"\n"
              "\"\",\"\",\"Où est le café ☕\"\n");
}

TEST_F(UnloadEncoderTest, CommaAddquotesAndEscape) {
    EXPECT_EQ(encode({',', true, true, false, ""}),
              "\"a|b\\,c\",\"-12\",\"say \\\"hi\\\" it\\'s\"\n"
              "\"line1\\\nline2\\\r\",\"0\",\"C:\\\\tmp\"\n"
              "\"\",\"\",\"Où est le café ☕\"\n");
}

TEST_F(UnloadEncoderTest, NullAs) {
    EXPECT_EQ(encode({'|', false, false, false, "\\N"}),
              "a|b,c|-12|say \"hi\" it's\n"
              "line1\nline2\r|0|C:\\tmp\n"
              "\\N|\\N|Où est le café ☕\n");
}

TEST_F(UnloadEncoderTest, ZeroRowsWriteNoObjectEvenWithAHeader) {
    unsigned opened = 0;
    exports::UnloadEncoder e({'|', false, false, true, ""}, [&](unsigned i) {
        ++opened;
        return store_->put("b", "k" + std::to_string(i));
    });
    e.begin({{"a", true}});
    e.finish();
    EXPECT_EQ(opened, 0u);
    EXPECT_EQ(e.parts(), 0u);
    EXPECT_TRUE(store_->list("b", "").empty());
}

TEST_F(UnloadEncoderTest, PartsRollAtRowBoundariesEachWithItsHeader) {
    exports::UnloadEncoder e(
        {'|', false, false, true, ""},
        [&](unsigned i) { return store_->put("b", "k_part00" + std::to_string(i)); },
        /*part_limit=*/10);
    e.begin({{"c", true}});
    for (const char* v : {"aaaa", "bbbb", "cccc", "dddd"}) {
        const QueryField f[] = {{v, false}};
        e.row(f);
    }
    e.finish();
    EXPECT_EQ(e.parts(), 2u);
    EXPECT_EQ(store_->get_bytes("b", "k_part000"), "c\naaaa\nbbbb\n");
    EXPECT_EQ(store_->get_bytes("b", "k_part001"), "c\ncccc\ndddd\n");
}

TEST_F(UnloadEncoderTest, AWrongFieldCountIsAnError) {
    exports::UnloadEncoder e({}, [&](unsigned) { return store_->put("b", "x"); });
    e.begin({{"a", true}, {"b", true}});
    const QueryField f[] = {{"1", false}};
    EXPECT_THROW(e.row(f), BackendError);
}
