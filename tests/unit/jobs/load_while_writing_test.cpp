// load_while_writing on the real local store: the batch object and the load see the same bytes,
// and every way of failing ends with the right error and no committed object.
#include "jobs/load_while_writing.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "jobs/outcome.hpp"
#include "store/local_store.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using gdx::BackendError;
using gdx::DataError;
using gdx::DataErrorInfo;
using gdx::jobs::load_while_writing;
using gdx::store::LocalStore;
using gdx::store::ObjectWriter;
using gdx::warehouse::BatchInput;
using gdx::warehouse::BatchRef;

namespace {
class LoadWhileWritingTest : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() /
               ("gdx-lww-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root);
        store = std::make_unique<LocalStore>(root);
    }
    void TearDown() override { fs::remove_all(root); }

    // Reads the whole batch through BatchInput, as the SQLite and PostgreSQL loaders do.
    static std::string read_all(const BatchRef& batch) {
        BatchInput input(batch);
        std::string out;
        char buf[4096];
        while (size_t n = input.read(buf, sizeof buf)) out.append(buf, n);
        return out;
    }

    fs::path root;
    std::unique_ptr<LocalStore> store;
};

std::string lines(int n) {
    std::string s = "a|b\n";
    for (int i = 0; i < n; ++i) s += std::to_string(i) + "|x\n";
    return s;
}
}  // namespace

TEST_F(LoadWhileWritingTest, LoadSeesTheBatchAsWrittenAndTheObjectIsCommittedFirst) {
    const std::string batch = lines(500'000);  // several MB: larger than the pipe
    std::string loaded;
    bool object_existed_at_end = false;
    uint64_t rows = load_while_writing(
        *store, "bkt", "processed/batch/x.csv",
        [&](ObjectWriter& out) {
            for (size_t at = 0; at < batch.size(); at += 65536)
                out.write(std::string_view(batch).substr(at, 65536));
        },
        [&](const BatchRef& ref) {
            EXPECT_NE(ref.live, nullptr);
            loaded = read_all(ref);
            object_existed_at_end = store->head("bkt", "processed/batch/x.csv").has_value();
            return uint64_t{500'000};
        });
    EXPECT_EQ(rows, 500'000u);
    EXPECT_TRUE(loaded == batch);
    EXPECT_TRUE(object_existed_at_end) << "the stream ends only after the object is committed";
    EXPECT_EQ(store->get_bytes("bkt", "processed/batch/x.csv"), batch);
}

TEST_F(LoadWhileWritingTest, AWriterErrorWinsOverTheLoadErrorItCaused) {
    auto write = [&](ObjectWriter& out) {
        out.write(lines(1000));
        DataErrorInfo info;
        info.what = "cannot parse 'x' as an integer";
        info.line = 17;
        throw DataError(info);
    };
    auto load = [&](const BatchRef& ref) -> uint64_t {
        try {
            read_all(ref);
        } catch (const DataError&) {
            throw gdx::warehouse::LoadError("the loader wraps what it read");
        }
        return 0;
    };
    try {
        load_while_writing(*store, "bkt", "processed/batch/x.csv", write, load);
        FAIL() << "expected the writer's DataError";
    } catch (const DataError& e) {
        EXPECT_EQ(e.info().line, 17u);
    }
    EXPECT_FALSE(store->head("bkt", "processed/batch/x.csv")) << "no batch object is left";
}

TEST_F(LoadWhileWritingTest, ALoadErrorStopsTheWriterAndNothingIsCommitted) {
    bool writer_stopped = false;
    auto write = [&](ObjectWriter& out) {
        try {
            // Far more than the spool holds: only the cancellation can end this loop.
            const std::string block = lines(10'000);
            for (int i = 0; i < 1'000'000; ++i) out.write(block);
        } catch (...) {
            writer_stopped = true;
            throw;
        }
    };
    auto load = [&](const BatchRef& ref) -> uint64_t {
        char buf[100];
        BatchInput input(ref);
        input.read(buf, sizeof buf);
        throw gdx::warehouse::LoadError("value too long for type character varying(3)", 2, "b");
    };
    EXPECT_THROW(load_while_writing(*store, "bkt", "processed/batch/x.csv", write, load),
                 gdx::warehouse::LoadError);
    EXPECT_TRUE(writer_stopped);
    EXPECT_FALSE(store->head("bkt", "processed/batch/x.csv"));
}

TEST_F(LoadWhileWritingTest, ARejectedObjectNeverReachesTheEndOfTheLoad) {
    bool load_finished = false;
    auto write = [&](ObjectWriter& out) {
        out.write("a|b\n");
        throw gdx::jobs::ObjectRejected(
            gdx::jobs::Failure::simple(gdx::FailureStage::Empty,
                                       "the object has a header but no data rows"),
            true);
    };
    auto load = [&](const BatchRef& ref) -> uint64_t {
        read_all(ref);
        load_finished = true;
        return 0;
    };
    try {
        load_while_writing(*store, "bkt", "processed/batch/x.csv", write, load);
        FAIL() << "expected ObjectRejected";
    } catch (const gdx::jobs::ObjectRejected& e) {
        EXPECT_TRUE(e.empty);
        EXPECT_EQ(e.failure.stage, gdx::FailureStage::Empty);
    }
    EXPECT_FALSE(load_finished);
}

TEST_F(LoadWhileWritingTest, ALoadThatStopsReadingEarlyIsAnError) {
    auto write = [&](ObjectWriter& out) { out.write(lines(1'000'000)); };
    auto load = [&](const BatchRef& ref) -> uint64_t {
        char buf[10];
        BatchInput input(ref);
        input.read(buf, sizeof buf);
        return 1;  // a loader bug: returns before the end of the batch
    };
    EXPECT_THROW(load_while_writing(*store, "bkt", "processed/batch/x.csv", write, load),
                 BackendError);
}
