// Job-level fault injection: the real `gdx s3-to-redshift` against moto + PostgreSQL with
// tests/fakes/fault_proxy.py in between, injecting 500s, SlowDown, dropped connections,
// truncated bodies and stalls into listing, reading, batch upload and the copy to good.
// Whatever happens, a run either completes (exit 0, every object loaded once) or stops with
// exit 1 and a message; a clean re-run then completes. Never a half-recorded object.
#include <gtest/gtest.h>

#include "../fakes/fault_proxy.hpp"
#include "harness.hpp"

using gdx::test::Backend;
using gdx::test::base_config;
using gdx::test::RunResult;
using gdx::test::Workspace;
using nlohmann::json;

namespace {

constexpr int kObjects = 3;
const std::string kHeader = "id|name|n|day|flag|amount\n";

gdx::testing::FaultProxy& proxy() {
    static gdx::testing::FaultProxy p(gdx::testing::moto_server().url());
    return p;
}

class S3Faults : public ::testing::Test {
protected:
    S3Faults() : ws(Backend::S3Postgres), bucket(ws.bucket()) {
        ws.sql("CREATE SCHEMA IF NOT EXISTS t");
        ws.sql(
            "CREATE TABLE t.calls (id VARCHAR(10) NOT NULL, name VARCHAR(20), n INTEGER, "
            "day TIMESTAMP NOT NULL, flag BOOLEAN, amount DOUBLE PRECISION)");
        auto cfg = base_config("t.calls", {"id", "name", "n", "day", "flag", "amount"});
        cfg["dtype_dic_ints"] = {"n"};
        cfg["dateformat"] = json::array({{{"field", "day"}, {"format", "%Y%m%d"}}});
        cfg["bucket"] = bucket;
        config = ws.write_file("config.json", cfg.dump(2));
        // Object i holds 100 * (i + 1) rows with ids "i-j", so rows can be told apart.
        for (int i = 0; i < kObjects; ++i) {
            std::string body = kHeader;
            for (int j = 0; j < rows_of(i); ++j)
                body += std::to_string(i) + "-" + std::to_string(j) + "|x|1|20240105|True|1.5\n";
            ws.put(bucket, key_of(i), body);
        }
        proxy().reset();
    }
    ~S3Faults() override { proxy().reset(); }

    static std::string key_of(int i) { return "client/dir/f" + std::to_string(i) + ".csv"; }
    static int rows_of(int i) { return 100 * (i + 1); }

    // A run through the proxy; fast backoff and a short stall timeout keep the test quick.
    RunResult run_through_proxy() {
        return ws.run_job("s3-to-redshift", config, {},
                          {{"AWS_ENDPOINT_URL", proxy().url()},
                           {"GDX_RETRY_BASE_MS", "5"},
                           {"GDX_RETRY_CAP_MS", "50"},
                           {"GDX_S3_STALL_SECONDS", "1"}});
    }
    RunResult run_clean() { return ws.run_job("s3-to-redshift", config); }

    // What the warehouse and the store say about object i.
    struct State {
        long rows = 0;          // rows in the table
        bool ledger = false;    // has a ledger row
        long ledger_rows = -1;  // rows the ledger recorded
        bool good = false;      // processed/good copy exists
        bool bad = false;       // processed/bad copy exists
    };
    State state(int i) {
        State s;
        auto counts =
            ws.query("SELECT count(*) AS c FROM t.calls WHERE split_part(id, '-', 1) = '" +
                     std::to_string(i) + "'");
        s.rows = counts.at(0)["c"].get<long>();
        // The ledger table is created by the first run that gets as far as the warehouse.
        bool has_ledger =
            ws.query(
                "SELECT count(*) AS e FROM pg_tables WHERE tablename = 'gdx_ledger'")[0]["e"] == 1;
        auto ledger = has_ledger ? ws.query(
                                       "SELECT \"rows\" AS r FROM public.gdx_ledger WHERE "
                                       "\"key\" = '" +
                                       key_of(i) + "'")
                                 : std::vector<json>{};
        s.ledger = !ledger.empty();
        if (s.ledger) s.ledger_rows = ledger[0]["r"].get<long>();
        s.good = ws.exists(bucket, "processed/good/" + key_of(i));
        s.bad = ws.exists(bucket, "processed/bad/" + key_of(i));
        return s;
    }

    // Holds after every run, successful or not: no object is half-recorded.
    void expect_consistent(const std::string& when) {
        SCOPED_TRACE(when);
        for (int i = 0; i < kObjects; ++i) {
            SCOPED_TRACE(key_of(i));
            State s = state(i);
            EXPECT_FALSE(s.bad) << "good data was copied to bad";
            if (s.ledger) {
                EXPECT_EQ(s.rows, rows_of(i)) << "ledger row without (all) its rows";
                EXPECT_EQ(s.ledger_rows, rows_of(i));
            } else {
                EXPECT_EQ(s.rows, 0) << "rows without a ledger row";
                EXPECT_FALSE(s.good) << "good copy without a load";
            }
        }
    }
    void expect_all_loaded_once(const std::string& when) {
        SCOPED_TRACE(when);
        expect_consistent(when);
        for (int i = 0; i < kObjects; ++i) {
            State s = state(i);
            EXPECT_TRUE(s.ledger) << key_of(i);
            EXPECT_TRUE(s.good) << key_of(i);
        }
        EXPECT_EQ(ws.query("SELECT count(*) AS c FROM t.calls")[0]["c"], 600);
        EXPECT_EQ(ws.query("SELECT count(*) AS c FROM public.gdx_ledger")[0]["c"], kObjects);
    }

    // Requests of `method` whose path contains `part`, and how many of them got a fault.
    std::pair<int, int> requests(const std::string& method, const std::string& part) {
        int n = 0, faulted = 0;
        for (auto& r : proxy().seen()) {
            if (r.method != method || r.path.find(part) == std::string::npos) continue;
            ++n;
            if (!r.fault.empty()) ++faulted;
        }
        return {n, faulted};
    }

    // A run that either completes or stops cleanly; then a clean run finishes the work.
    void expect_complete_or_clean_stop(const RunResult& r) {
        if (r.exit_code == 0) {
            expect_all_loaded_once("after the faulty run (exit 0)");
        } else {
            EXPECT_EQ(r.exit_code, 1) << r.err;
            EXPECT_NE(r.err.find("gdx: error: S3 "), std::string::npos) << r.err;
            expect_consistent("after the faulty run (exit 1)");
        }
        auto again = run_clean();
        EXPECT_EQ(again.exit_code, 0) << again.err;
        expect_all_loaded_once("after the clean re-run");
    }

    Workspace ws;
    const std::string bucket;
    std::filesystem::path config;
};

TEST_F(S3Faults, ListSurvivesServerErrorsThrottlingAndDrops) {
    proxy().faults(R"([
        {"method": "GET", "path_contains": "list-type=2", "action": "status", "status": 500, "count": 1},
        {"method": "GET", "path_contains": "list-type=2", "action": "status", "status": 503, "code": "SlowDown", "count": 1},
        {"method": "GET", "path_contains": "list-type=2", "action": "drop", "count": 1},
        {"method": "GET", "path_contains": "list-type=2", "action": "delay", "seconds": 0.3, "count": 2}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("GET", "list-type=2").second, 5);
    expect_all_loaded_once("listing faults retried");
}

TEST_F(S3Faults, GetSurvivesServerErrorsTruncationAndStalls) {
    proxy().faults(R"([
        {"method": "GET", "path_contains": "/client/dir/f0.csv", "action": "status", "status": 500, "count": 1},
        {"method": "GET", "path_contains": "/client/dir/f1.csv", "action": "truncate", "count": 1},
        {"method": "GET", "path_contains": "/client/dir/f1.csv", "action": "drop", "count": 1},
        {"method": "GET", "path_contains": "/client/dir/f2.csv", "action": "delay", "seconds": 2.5, "count": 1},
        {"method": "GET", "path_contains": "/client/dir/f2.csv", "action": "status", "status": 503, "code": "SlowDown", "count": 1}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("GET", "/client/dir/f").second, 5);
    expect_all_loaded_once("read faults retried");
}

TEST_F(S3Faults, BatchUploadSurvivesServerErrorsAndDrops) {
    proxy().faults(R"([
        {"method": "PUT", "path_contains": "/processed/batch/", "action": "status", "status": 500, "count": 1},
        {"method": "PUT", "path_contains": "/processed/batch/", "action": "drop", "count": 1},
        {"method": "PUT", "path_contains": "/processed/batch/", "action": "status", "status": 503, "code": "SlowDown", "count": 1},
        {"method": "PUT", "path_contains": "/processed/batch/", "action": "delay", "seconds": 0.3, "count": 1}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("PUT", "/processed/batch/").second, 4);
    expect_all_loaded_once("batch upload faults retried");
}

TEST_F(S3Faults, CopyToGoodSurvivesServerErrorsAndDrops) {
    proxy().faults(R"([
        {"method": "PUT", "path_contains": "/processed/good/", "action": "status", "status": 500, "count": 1},
        {"method": "PUT", "path_contains": "/processed/good/", "action": "drop", "count": 1},
        {"method": "PUT", "path_contains": "/processed/good/", "action": "status", "status": 503, "code": "SlowDown", "count": 1}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("PUT", "/processed/good/").second, 3);
    expect_all_loaded_once("copy faults retried");
}

TEST_F(S3Faults, ListingDownForGoodStopsBeforeLoadingAnything) {
    proxy().faults(R"([{"method": "GET", "path_contains": "list-type=2", "action": "status",
                        "status": 503, "code": "SlowDown", "count": 99}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("SlowDown"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("gave up after"), std::string::npos) << r.err;
    for (int i = 0; i < kObjects; ++i) EXPECT_FALSE(state(i).ledger);
    expect_complete_or_clean_stop(r);
}

TEST_F(S3Faults, BatchUploadDownForGoodLeavesTheObjectUnloaded) {
    // The first batch upload goes through, then the store keeps failing.
    proxy().faults(R"([{"method": "PUT", "path_contains": "/processed/batch/client/dir/f1.csv",
                        "action": "status", "status": 500, "count": 99}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("processed/batch/client/dir/f1.csv"), std::string::npos) << r.err;
    EXPECT_TRUE(state(0).good);
    EXPECT_FALSE(state(1).ledger);
    EXPECT_FALSE(state(2).ledger);  // the run stopped
    expect_complete_or_clean_stop(r);
}

TEST_F(S3Faults, CopyToGoodDownForGoodIsRepairedWithoutReloading) {
    proxy().faults(R"([{"method": "PUT", "path_contains": "/processed/good/client/dir/f1.csv",
                        "action": "drop", "count": 99}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("processed/good/client/dir/f1.csv"), std::string::npos) << r.err;
    State s1 = state(1);
    EXPECT_TRUE(s1.ledger);  // committed before the copy
    EXPECT_FALSE(s1.good);
    EXPECT_FALSE(state(2).ledger);
    auto again = run_clean();
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("repaired"), std::string::npos) << again.out;
    expect_all_loaded_once("after the repair run");
}

TEST_F(S3Faults, PermanentAccessDeniedIsNotRetriedAndLeavesTheObjectUnprocessed) {
    proxy().faults(R"([{"method": "GET", "path_contains": "/client/dir/f1.csv", "action": "status",
                        "status": 403, "code": "AccessDenied", "count": 99}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("HTTP 403 AccessDenied"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("client/dir/f1.csv"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("gave up after"), std::string::npos) << r.err;
    EXPECT_EQ(requests("GET", "/client/dir/f1.csv").first, 1) << "a 403 was retried";
    EXPECT_TRUE(state(0).good);
    State s1 = state(1);
    EXPECT_FALSE(s1.ledger);
    EXPECT_FALSE(s1.good);
    EXPECT_FALSE(s1.bad) << "an access problem is no reason to call the data bad";
    EXPECT_FALSE(ws.exists(bucket, "processed/bad/" + key_of(1) + ".error.json"));
    expect_complete_or_clean_stop(r);
}

// Faults everywhere at once, some of them exhausting the retries: whatever the outcome of
// the faulty run, the clean re-run completes without duplicates.
TEST_F(S3Faults, MixedScheduleNeverHalfRecordsAnObject) {
    proxy().faults(R"([
        {"method": "GET", "path_contains": "list-type=2", "action": "status", "status": 500, "count": 2},
        {"method": "GET", "path_contains": "/client/dir/f0.csv", "action": "truncate", "count": 1},
        {"method": "PUT", "path_contains": "/processed/batch/client/dir/f0.csv", "action": "drop", "count": 2},
        {"method": "PUT", "path_contains": "/processed/good/client/dir/f0.csv", "action": "status", "status": 503, "code": "SlowDown", "count": 2},
        {"method": "GET", "path_contains": "/client/dir/f1.csv", "action": "delay", "seconds": 0.5, "count": 1},
        {"method": "PUT", "path_contains": "/processed/good/client/dir/f1.csv", "action": "status", "status": 500, "count": 99},
        {"method": "HEAD", "action": "drop", "count": 2}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.out;  // f1's copy never succeeds
    expect_complete_or_clean_stop(r);
}

}  // namespace
