// LoaderRun::load_object on a warehouse that, like Redshift, fetches the stored batch itself
// (loads_while_writing() false): the batch must be complete in the store before the load
// begins, and every outcome (good, bad data, rejected, load error) ends as on the streaming
// path. Real components: a directory store and a SQLite warehouse; the wrapper only turns
// the capability off and records what the load saw.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "jobs/loader_run.hpp"
#include "store/local_store.hpp"
#include "util/error.hpp"
#include "warehouse/sqlite/sqlite_warehouse.hpp"

namespace fs = std::filesystem;
using namespace gdx;
using warehouse::BatchRef;
using warehouse::LoadMode;

namespace {

struct LoadSeen {
    int loads = 0;
    int transient_failures = 0;  // loads still to fail with a transient BackendError
    bool live_stream = false;    // a live stream was handed over (must not be)
    std::string stored_batch;    // the batch object's bytes when the load began
};

class RecordingTransaction : public warehouse::Transaction {
public:
    RecordingTransaction(std::unique_ptr<warehouse::Transaction> inner, LoadSeen& seen)
        : inner_(std::move(inner)), seen_(seen) {}
    std::optional<warehouse::LedgerEntry> claim(const std::string& b,
                                                const std::string& k) override {
        return inner_->claim(b, k);
    }
    uint64_t load(const std::string& table, const BatchRef& batch, LoadMode mode) override {
        ++seen_.loads;
        if (seen_.transient_failures > 0) {
            --seen_.transient_failures;
            throw BackendError("database is busy", ErrorKind::Transient);
        }
        seen_.live_stream = batch.live != nullptr;
        seen_.stored_batch = batch.store->get_bytes(batch.bucket, batch.key);
        return inner_->load(table, batch, mode);
    }
    void execute(const std::string& sql) override { inner_->execute(sql); }
    void insert_row(const std::string& table,
                    const std::vector<std::optional<std::string>>& values) override {
        inner_->insert_row(table, values);
    }
    void record(const warehouse::LedgerEntry& e) override { inner_->record(e); }
    void commit() override { inner_->commit(); }

private:
    std::unique_ptr<warehouse::Transaction> inner_;
    LoadSeen& seen_;
};

class FetchesStoredBatch : public warehouse::Warehouse {
public:
    FetchesStoredBatch(std::unique_ptr<warehouse::Warehouse> inner, LoadSeen& seen)
        : inner_(std::move(inner)), seen_(seen) {}
    std::optional<warehouse::TableSchema> describe_table(const std::string& t) override {
        return inner_->describe_table(t);
    }
    std::unique_ptr<warehouse::Transaction> begin() override {
        return std::make_unique<RecordingTransaction>(inner_->begin(), seen_);
    }
    bool loads_while_writing() const override { return false; }
    std::optional<warehouse::LedgerEntry> ledger_lookup(const std::string& b,
                                                        const std::string& k) override {
        return inner_->ledger_lookup(b, k);
    }
    std::set<std::string> ledger_keys(const std::string& b, const std::string& p) override {
        return inner_->ledger_keys(b, p);
    }
    void run_script(const std::string& sql, const warehouse::RowCallback& on_row) override {
        inner_->run_script(sql, on_row);
    }
    std::string describe() const override { return "write-first " + inner_->describe(); }

private:
    std::unique_ptr<warehouse::Warehouse> inner_;
    LoadSeen& seen_;
};

class LoadObjectWriteFirst : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() /
               ("gdx-loadobj-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root / "store");
        auto sqlite =
            std::make_unique<warehouse::sqlite::SqliteWarehouse>((root / "w.db").string());
        sqlite->run_script("CREATE SCHEMA t; CREATE TABLE t.x (a INTEGER, b VARCHAR(5))", nullptr);
        auto store = std::make_unique<store::LocalStore>(root / "store");
        store_ = store.get();
        warehouse_ = std::make_unique<FetchesStoredBatch>(std::move(sqlite), seen);
        wh_ = warehouse_.get();
        run = std::make_unique<jobs::LoaderRun>(jobs::RunOptions{}, "s3-to-redshift");
        run->use_backends(std::move(store), std::move(warehouse_));
        store_->put_bytes("bkt", "in/x.csv", "source bytes");
        object = *store_->head("bkt", "in/x.csv");
        ref = run->object_ref("bkt", "processed", "in/x.csv");
    }
    void TearDown() override { fs::remove_all(root); }

    jobs::ObjectOutcome load(const std::function<void(store::ObjectWriter&)>& write,
                             const std::string& post_load_sql = {}) {
        return run->load_object(object, ref, write,
                                [&](warehouse::Transaction& tx, const BatchRef& batch) {
                                    auto n = tx.load("t.x", batch, LoadMode::Append);
                                    if (!post_load_sql.empty())
                                        jobs::execute_in_load(tx, post_load_sql, "post-load SQL");
                                    return n;
                                });
    }
    // The run's loop over one selected object: exit code of process_objects.
    int process_one(const std::function<void(store::ObjectWriter&)>& write) {
        jobs::Selection selection;
        selection.selected.push_back({object, false});
        run->begin_objects(selection);
        return run->process_objects(
            selection, "bkt", "processed",
            [&](const store::ObjectInfo&, const jobs::ObjectRef&) { return load(write); });
    }
    size_t rows() {
        size_t n = 0;
        wh_->run_script("SELECT count(*) FROM t.x", [&](const warehouse::ResultRow& r) {
            n = static_cast<size_t>(std::get<int64_t>(r.values[0]));
        });
        return n;
    }
    nlohmann::json sidecar() {
        return nlohmann::json::parse(store_->get_bytes("bkt", "processed/bad/in/x.csv.error.json"));
    }

    fs::path root;
    LoadSeen seen;
    store::LocalStore* store_ = nullptr;
    std::unique_ptr<warehouse::Warehouse> warehouse_;
    warehouse::Warehouse* wh_ = nullptr;
    std::unique_ptr<jobs::LoaderRun> run;
    store::ObjectInfo object;
    jobs::ObjectRef ref;
};

}  // namespace

TEST_F(LoadObjectWriteFirst, TheBatchIsCompleteInTheStoreBeforeTheLoadBegins) {
    const std::string batch = "a|b\n1|x\n2|y\n";
    EXPECT_EQ(load([&](store::ObjectWriter& out) {
                  out.write("a|b\n1|x\n");
                  out.write("2|y\n");
              }),
              jobs::ObjectOutcome::Good);
    EXPECT_EQ(seen.loads, 1);
    EXPECT_FALSE(seen.live_stream);
    EXPECT_EQ(seen.stored_batch, batch);
    EXPECT_EQ(rows(), 2u);
    EXPECT_TRUE(store_->head("bkt", "processed/good/in/x.csv"));
    auto ledger = wh_->ledger_lookup("bkt", "in/x.csv");
    ASSERT_TRUE(ledger);
    EXPECT_EQ(ledger->rows, 2u);
    EXPECT_EQ(ledger->batch_key, "processed/batch/in/x.csv");
}

TEST_F(LoadObjectWriteFirst, BadDataNeverReachesTheWarehouse) {
    auto outcome = load([&](store::ObjectWriter& out) {
        out.write("a|b\n1|x\n");
        DataErrorInfo info;
        info.what = "cannot parse 'zz' as an integer";
        info.line = 3;
        info.column = 1;
        info.column_name = "a";
        info.value = "zz";
        throw DataError(info);
    });
    EXPECT_EQ(outcome, jobs::ObjectOutcome::Bad);
    EXPECT_EQ(seen.loads, 0);
    EXPECT_EQ(rows(), 0u);
    EXPECT_FALSE(store_->head("bkt", "processed/batch/in/x.csv")) << "an abandoned batch";
    EXPECT_TRUE(store_->head("bkt", "processed/bad/in/x.csv"));
    auto s = sidecar();
    EXPECT_EQ(s["stage"], "transform");
    EXPECT_EQ(s["line"], 3);
    EXPECT_EQ(s["value"], "zz");
    EXPECT_FALSE(wh_->ledger_lookup("bkt", "in/x.csv"));
}

TEST_F(LoadObjectWriteFirst, ARejectedObjectIsBadAndCountedEmpty) {
    auto outcome = load([&](store::ObjectWriter& out) {
        out.write("a|b\n");
        throw jobs::ObjectRejected(
            jobs::Failure::simple(FailureStage::Empty, "the object has a header but no data rows"),
            true);
    });
    EXPECT_EQ(outcome, jobs::ObjectOutcome::Bad);
    EXPECT_EQ(seen.loads, 0);
    EXPECT_EQ(run->report().empty, 1u);
    EXPECT_EQ(sidecar()["stage"], "empty");
}

// Another run committed the object between our selection and our claim: nothing is loaded
// twice, and the report lists the object as skipped.
TEST_F(LoadObjectWriteFirst, AnObjectClaimedByAnotherRunIsReportedSkipped) {
    {
        auto tx = wh_->begin();
        ASSERT_FALSE(tx->claim("bkt", "in/x.csv"));
        warehouse::LedgerEntry other;
        other.job = "s3-to-redshift";
        other.bucket = "bkt";
        other.key = "in/x.csv";
        other.status = "good";
        tx->record(other);
        tx->commit();
    }
    EXPECT_EQ(load([&](store::ObjectWriter& out) { out.write("a|b\n1|x\n"); }),
              jobs::ObjectOutcome::LoadedElsewhere);
    EXPECT_EQ(rows(), 0u);
    EXPECT_EQ(run->report().skipped_list, std::vector<std::string>{"in/x.csv"});
    EXPECT_NE(util::format_report_text(run->report(), "x.log")
                  .find("List of objects skipped (claimed by another run):\n1: in/x.csv\n"),
              std::string::npos);
}

// --report-json's bad objects: the error, where it was, and the sidecar that says more.
TEST_F(LoadObjectWriteFirst, ABadObjectIsListedWithLineColumnAndSidecar) {
    load([&](store::ObjectWriter&) {
        DataErrorInfo info;
        info.what = "cannot parse 'zz' as an integer";
        info.line = 3;
        info.column = 1;
        info.value = "zz";
        throw DataError(info);
    });
    ASSERT_EQ(run->report().bad_objects.size(), 1u);
    const auto& bad = run->report().bad_objects[0];
    EXPECT_EQ(bad.key, "in/x.csv");
    EXPECT_EQ(bad.line, 3u);
    EXPECT_EQ(bad.column, 1u);
    EXPECT_EQ(bad.sidecar, "processed/bad/in/x.csv.error.json");
    EXPECT_NE(bad.error.find("zz"), std::string::npos) << bad.error;
}

TEST_F(LoadObjectWriteFirst, ARejectedLoadRollsBackAndNamesTheBatchLine) {
    auto outcome = load([&](store::ObjectWriter& out) { out.write("a|b\n1|x\n2|toolong\n"); });
    EXPECT_EQ(outcome, jobs::ObjectOutcome::Bad);
    EXPECT_EQ(seen.loads, 1);
    EXPECT_EQ(rows(), 0u);
    auto s = sidecar();
    EXPECT_EQ(s["stage"], "load");
    EXPECT_EQ(s["batch_line"], 3);
    EXPECT_EQ(s["value"], "toolong");
    EXPECT_FALSE(wh_->ledger_lookup("bkt", "in/x.csv"));
    EXPECT_FALSE(store_->head("bkt", "processed/good/in/x.csv"));
}

TEST_F(LoadObjectWriteFirst, AFailingPostLoadStatementIsBadAtStagePostLoad) {
    auto outcome = load([&](store::ObjectWriter& out) { out.write("a|b\n1|x\n"); },
                        "UPDATE t.no_such_table SET a = 1");
    EXPECT_EQ(outcome, jobs::ObjectOutcome::Bad);
    EXPECT_EQ(rows(), 0u);
    auto s = sidecar();
    EXPECT_EQ(s["stage"], "post-load");
    EXPECT_NE(s["server_message"].get<std::string>().find("post-load SQL failed"),
              std::string::npos)
        << s.dump(2);
}

TEST_F(LoadObjectWriteFirst, ATableDroppedBetweenSelectionAndLoadStopsTheRunObjectStaysPending) {
    wh_->run_script("DROP TABLE t.x", nullptr);
    EXPECT_EQ(process_one([&](store::ObjectWriter& out) { out.write("a|b\n1|x\n"); }), 1);
    EXPECT_FALSE(store_->head("bkt", "processed/bad/in/x.csv")) << "sent to bad";
    EXPECT_FALSE(store_->head("bkt", "processed/good/in/x.csv"));
    EXPECT_FALSE(wh_->ledger_lookup("bkt", "in/x.csv"));
    EXPECT_EQ(run->report().bad, 0u);
    EXPECT_EQ(run->report().incomplete_list, std::vector<std::string>{"in/x.csv"});
}

TEST_F(LoadObjectWriteFirst, ATransientLoadFailureIsRetriedAndTheObjectLoadsOnce) {
    seen.transient_failures = 1;
    EXPECT_EQ(process_one([&](store::ObjectWriter& out) { out.write("a|b\n1|x\n"); }), 0);
    EXPECT_EQ(seen.loads, 2);
    EXPECT_EQ(rows(), 1u);
    EXPECT_TRUE(store_->head("bkt", "processed/good/in/x.csv"));
}

TEST_F(LoadObjectWriteFirst, ATransientFailureThatOutlastsTheRetriesStopsTheRunObjectStaysPending) {
    seen.transient_failures = 1000;
    EXPECT_EQ(process_one([&](store::ObjectWriter& out) { out.write("a|b\n1|x\n"); }), 1);
    EXPECT_EQ(seen.loads, util::RetryPolicy::from_env().max_attempts);
    EXPECT_EQ(rows(), 0u);
    EXPECT_FALSE(store_->head("bkt", "processed/bad/in/x.csv")) << "sent to bad";
    EXPECT_EQ(run->report().incomplete_list, std::vector<std::string>{"in/x.csv"});
}
