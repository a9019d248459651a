// Job-level fault injection: the real `gdx s3-to-redshift` against moto + PostgreSQL with
// tests/fakes/fault_proxy.py in between, injecting 500s, SlowDown, dropped and reset
// connections, truncated bodies, stalls, lying Content-Lengths and 200s carrying an error into
// listing, reading, batch upload and the copy to good. Whatever happens, a run either completes
// (exit 0, every object loaded once) or stops with exit 1 and a message; a clean re-run then
// completes. Never a half-recorded object.
//
// Each test is one row of the fault table of docs/reliability.md (its "fault" property); the
// rows that only repeat a mechanism another row already checks in the normal suite are
// DISABLED_ there and run by `scripts/reliability.sh --only faults`.
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
    RunResult run_through_proxy(const std::map<std::string, std::string>& extra_env = {}) {
        std::map<std::string, std::string> env{{"AWS_ENDPOINT_URL", proxy().url()},
                                               {"GDX_RETRY_BASE_MS", "5"},
                                               {"GDX_RETRY_CAP_MS", "50"},
                                               {"GDX_S3_STALL_SECONDS", "1"}};
        for (const auto& [k, v] : extra_env) env[k] = v;
        return ws.run_job("s3-to-redshift", config, {}, env);
    }
    // The row of the fault table this test is (scripts/reliability.sh reads the properties).
    static void row(const std::string& fault) {
        RecordProperty("fault", fault);
        RecordProperty("backend", "S3 (moto) + PostgreSQL 15");
    }
    // Object i stays pending: no rows, no ledger row, no good or bad copy.
    void expect_pending(int i) {
        SCOPED_TRACE(key_of(i));
        State s = state(i);
        EXPECT_EQ(s.rows, 0);
        EXPECT_FALSE(s.ledger);
        EXPECT_FALSE(s.good);
        EXPECT_FALSE(s.bad);
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
            EXPECT_NE(r.err.find("gdx: error: "), std::string::npos) << r.err;
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
    row("ListObjectsV2: 500, 503 SlowDown, dropped connection, 0.3 s stalls (retried)");
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
    row("GetObject: 500, truncated body, dropped connection, stall past the timeout, 503 SlowDown "
        "(retried)");
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
    row("PutObject (batch): 500, dropped connection, 503 SlowDown, stall (retried)");
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
    row("CopyObject (to good): 500, dropped connection, 503 SlowDown (retried)");
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
    row("ListObjectsV2: SlowDown until the retries are exhausted");
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
    row("PutObject (batch): 500 until the retries are exhausted");
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
    row("CopyObject (to good): dropped until the retries are exhausted (repaired next run)");
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
    row("GetObject: 403 AccessDenied (not retried)");
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
    row("everything at once, the copy of one object failing for good");
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

TEST_F(S3Faults, GetConnectionResetMidBodyIsResumed) {
    row("GetObject: connection reset (TCP RST) mid-body, twice (resumed)");
    proxy().faults(
        R"([{"method": "GET", "path_contains": "/client/dir/f2.csv", "action": "reset", "count": 2}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("GET", "/client/dir/f2.csv").second, 2);
    expect_all_loaded_once("resets retried");
}

TEST_F(S3Faults, BatchUploadConnectionResetMidBodyIsResent) {
    row("PutObject (batch): connection reset mid-request-body, twice (resent)");
    proxy().faults(
        R"([{"method": "PUT", "path_contains": "/processed/batch/client/dir/f1.csv", "action": "reset_upload", "count": 2}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("PUT", "/processed/batch/client/dir/f1.csv").second, 2);
    expect_all_loaded_once("upload resets retried");
}

TEST_F(S3Faults, DISABLED_ServerErrorAndSlowDownBurstsAreRetriedThenSucceed) {
    row("500 burst on GetObject, 503 SlowDown burst on CopyObject: 4 in a row each (retried)");
    proxy().faults(R"([
        {"method": "GET", "path_contains": "/client/dir/f0.csv", "action": "status", "status": 500, "count": 4},
        {"method": "PUT", "path_contains": "/processed/good/client/dir/f1.csv", "action": "status", "status": 503, "code": "SlowDown", "count": 4}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("GET", "/client/dir/f0.csv").second, 4);
    EXPECT_EQ(requests("PUT", "/processed/good/client/dir/f1.csv").second, 4);
    expect_all_loaded_once("bursts retried");
}

TEST_F(S3Faults, SlowDownBurstThatOutlastsTheRetriesLeavesTheObjectPending) {
    row("GetObject: 503 SlowDown until the retries are exhausted");
    proxy().faults(R"([{"method": "GET", "path_contains": "/client/dir/f1.csv", "action": "status",
                        "status": 503, "code": "SlowDown", "count": 99}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("gdx: error: S3 GetObject s3://" + bucket +
                         "/client/dir/f1.csv failed: "
                         "HTTP 503 SlowDown"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("gave up after 5 attempts"), std::string::npos) << r.err;
    EXPECT_EQ(requests("GET", "/client/dir/f1.csv").first, 5) << "retried by an outer loop too";
    EXPECT_TRUE(state(0).good);
    expect_pending(1);
    expect_pending(2);
    expect_complete_or_clean_stop(r);
}

TEST_F(S3Faults, DISABLED_StallMidBodyIsCutByTheStallTimeoutAndResumed) {
    row("GetObject: body stalls half-way for 3 s (stall timeout 1 s; resumed)");
    proxy().faults(
        R"([{"method": "GET", "path_contains": "/client/dir/f2.csv", "action": "stall_body", "seconds": 3, "count": 1}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("GET", "/client/dir/f2.csv").second, 1);
    expect_all_loaded_once("stall retried");
}

TEST_F(S3Faults, DISABLED_StallsThatOutlastTheRetriesLeaveTheObjectPending) {
    row("GetObject: every answer stalls past the timeout until the retries are exhausted");
    proxy().faults(
        R"([{"method": "GET", "path_contains": "/client/dir/f0.csv", "action": "delay", "seconds": 2, "count": 99}])");
    auto r = run_through_proxy({{"GDX_RETRY_MAX_ATTEMPTS", "2"}});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("gdx: error: S3 GetObject s3://" + bucket +
                         "/client/dir/f0.csv failed: "
                         "Timeout was reached"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("gave up after 2 attempts"), std::string::npos) << r.err;
    for (int i = 0; i < kObjects; ++i) expect_pending(i);
    expect_complete_or_clean_stop(r);
}

TEST_F(S3Faults, DISABLED_TruncatedBodiesThatOutlastTheRetriesLeaveTheObjectPending) {
    row("GetObject: truncated body on every attempt until the retries are exhausted");
    proxy().faults(
        R"([{"method": "GET", "path_contains": "/client/dir/f2.csv", "action": "truncate", "count": 99}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("client/dir/f2.csv"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("gave up after 5 attempts"), std::string::npos) << r.err;
    EXPECT_TRUE(state(1).good);
    expect_pending(2);
    expect_complete_or_clean_stop(r);
}

// A Content-Length below the body's: libcurl stops at the declared length and reports success,
// so without the check against the listed size the object would load short (its last line cut,
// the rest lost) under the listed ETag.
TEST_F(S3Faults, ContentLengthBelowTheBodyIsCaughtAndTheObjectReadAgain) {
    row("GetObject: Content-Length 7 bytes below the body's (read again)");
    proxy().faults(
        R"([{"method": "GET", "path_contains": "/client/dir/f1.csv", "action": "short_length", "count": 1}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("GET", "/client/dir/f1.csv").first, 2);
    expect_all_loaded_once("short Content-Length caught");
}

TEST_F(S3Faults, DISABLED_ContentLengthBelowTheBodyEveryTimeLeavesTheObjectPending) {
    row("GetObject: Content-Length below the body's on every attempt");
    proxy().faults(
        R"([{"method": "GET", "path_contains": "/client/dir/f1.csv", "action": "short_length", "count": 99}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("the listing said"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("client/dir/f1.csv"), std::string::npos) << r.err;
    EXPECT_TRUE(state(0).good);
    expect_pending(1);
    expect_complete_or_clean_stop(r);
}

TEST_F(S3Faults, DISABLED_ContentLengthAboveTheBodyIsResumed) {
    row("GetObject: Content-Length 7 bytes above the body's, then the connection closes (resumed)");
    proxy().faults(
        R"([{"method": "GET", "path_contains": "/client/dir/f0.csv", "action": "long_length", "count": 2}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("GET", "/client/dir/f0.csv").second, 2);
    expect_all_loaded_once("long Content-Length resumed");
}

TEST_F(S3Faults, CopyObjectAnsweringTwoHundredWithAnErrorIsRetried) {
    row("CopyObject (to good): 200 with an S3 Error document, twice (retried)");
    proxy().faults(
        R"([{"method": "PUT", "path_contains": "/processed/good/client/dir/f0.csv", "action": "error_200", "padding": 64, "count": 2}])");
    auto r = run_through_proxy();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(requests("PUT", "/processed/good/client/dir/f0.csv").second, 2);
    expect_all_loaded_once("200-with-error retried");
}

TEST_F(S3Faults, DISABLED_CopyObjectAnsweringTwoHundredWithAnErrorForGoodIsRepairedNextRun) {
    row("CopyObject (to good): 200 with an S3 Error document until the retries are exhausted "
        "(repaired "
        "next run)");
    proxy().faults(
        R"([{"method": "PUT", "path_contains": "/processed/good/client/dir/f1.csv", "action": "error_200", "code": "InternalError", "count": 99}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("gdx: error: S3 CopyObject s3://" + bucket +
                         "/processed/good/client/dir/f1.csv failed: HTTP 200 InternalError"),
              std::string::npos)
        << r.err;
    State s1 = state(1);
    EXPECT_TRUE(s1.ledger);
    EXPECT_FALSE(s1.good) << "a 200 with an error was taken for a copy";
    expect_pending(2);
    auto again = run_clean();
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("repaired"), std::string::npos) << again.out;
    expect_all_loaded_once("after the repair run");
}

// One object large enough for a multipart batch upload and a multipart copy to good, so that
// CompleteMultipartUpload runs for both.
class S3MultipartFaults : public ::testing::Test {
protected:
    S3MultipartFaults() : ws(Backend::S3Postgres), bucket(ws.bucket()) {
        ws.sql("CREATE SCHEMA IF NOT EXISTS t");
        ws.sql("CREATE TABLE t.big (id INTEGER NOT NULL, name VARCHAR(80))");
        auto cfg = base_config("t.big", {"id", "name"});
        cfg["bucket"] = bucket;
        cfg["directory"] = "big";
        config = ws.write_file("config.json", cfg.dump(2));
        std::string body = "id|name\n";
        const std::string name(60, 'n');
        for (int i = 0; i < kRows; ++i) body += std::to_string(i) + "|" + name + "\n";
        ws.put(bucket, key, body);
        proxy().reset();
    }
    ~S3MultipartFaults() override { proxy().reset(); }

    RunResult run(bool through_proxy) {
        std::map<std::string, std::string> env{{"GDX_S3_PART_SIZE", std::to_string(5 << 20)},
                                               {"GDX_S3_COPY_PART_SIZE", std::to_string(5 << 20)},
                                               {"GDX_RETRY_BASE_MS", "5"},
                                               {"GDX_RETRY_CAP_MS", "50"}};
        if (through_proxy) env["AWS_ENDPOINT_URL"] = proxy().url();
        return ws.run_job("s3-to-redshift", config, {}, env);
    }
    long rows() { return ws.query("SELECT count(*) AS c FROM t.big")[0]["c"].get<long>(); }
    long ledger_rows() {
        return ws.query("SELECT count(*) AS c FROM public.gdx_ledger")[0]["c"].get<long>();
    }
    int completes(const std::string& part) {
        int n = 0;
        for (auto& r : proxy().seen())
            n += r.method == "POST" && r.path.find(part) != std::string::npos &&
                 r.path.find("uploadId=") != std::string::npos;
        return n;
    }

    static constexpr int kRows = 90000;  // about 6 MB: two parts of 5 MiB
    const std::string key = "client/big/big.csv";
    Workspace ws;
    const std::string bucket;
    std::filesystem::path config;
};

TEST_F(S3MultipartFaults, CompleteMultipartUploadAnsweringTwoHundredWithAnErrorIsRetried) {
    RecordProperty("fault",
                   "CompleteMultipartUpload (batch and copy to good): 200 with an S3 Error "
                   "document (retried)");
    RecordProperty("backend", "S3 (moto) + PostgreSQL 15");
    proxy().faults(R"([
        {"method": "POST", "path_contains": "/processed/batch/client/big/big.csv?uploadId=", "action": "error_200", "padding": 64, "count": 2},
        {"method": "POST", "path_contains": "/processed/good/client/big/big.csv?uploadId=", "action": "error_200", "code": "SlowDown", "count": 1}])");
    auto r = run(true);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(completes("/processed/batch/"), 3);
    EXPECT_EQ(completes("/processed/good/"), 2) << "the copy to good was not a multipart copy";
    EXPECT_EQ(rows(), kRows);
    EXPECT_EQ(ledger_rows(), 1);
    EXPECT_TRUE(ws.exists(bucket, "processed/good/" + key));
    EXPECT_EQ(ws.read(bucket, "processed/good/" + key), ws.read(bucket, key));
}

TEST_F(
    S3MultipartFaults,
    DISABLED_CompleteMultipartUploadAnsweringTwoHundredWithAnErrorForGoodLeavesTheObjectPending) {
    RecordProperty(
        "fault",
        "CompleteMultipartUpload (batch): 200 with an S3 Error document until the retries "
        "are exhausted");
    RecordProperty("backend", "S3 (moto) + PostgreSQL 15");
    proxy().faults(
        R"([{"method": "POST", "path_contains": "/processed/batch/client/big/big.csv?uploadId=", "action": "error_200", "count": 99}])");
    auto r = run(true);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("CompleteMultipartUpload s3://" + bucket +
                         "/processed/batch/client/big/big.csv failed: HTTP 200 InternalError"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(rows(), 0);
    EXPECT_EQ(ledger_rows(), 0);
    EXPECT_FALSE(ws.exists(bucket, "processed/good/" + key));
    EXPECT_FALSE(ws.exists(bucket, "processed/batch/" + key)) << "a failed upload became visible";
    auto again = run(false);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(rows(), kRows);
    EXPECT_EQ(ledger_rows(), 1);
    EXPECT_TRUE(ws.exists(bucket, "processed/good/" + key));
}

// S3 completed the upload but its answer was lost: the retried CompleteMultipartUpload finds no
// such upload. The run may stop (the object pending) but must not lose or double anything.
TEST_F(S3MultipartFaults, DISABLED_CompleteMultipartUploadWhoseAnswerIsLost) {
    RecordProperty("fault", "CompleteMultipartUpload (batch): completed, but the answer is lost");
    RecordProperty("backend", "S3 (moto) + PostgreSQL 15");
    proxy().faults(
        R"([{"method": "POST", "path_contains": "/processed/batch/client/big/big.csv?uploadId=", "action": "lose_answer", "count": 1}])");
    auto r = run(true);
    RecordProperty("first_run", r.exit_code == 0 ? std::string("completed")
                                                 : r.err.substr(r.err.find("gdx: error:")));
    if (r.exit_code == 0) {
        EXPECT_EQ(rows(), kRows);
        EXPECT_EQ(ledger_rows(), 1);
    } else {
        EXPECT_EQ(r.exit_code, 1) << r.err;
        EXPECT_NE(r.err.find("gdx: error: S3 CompleteMultipartUpload"), std::string::npos) << r.err;
        EXPECT_EQ(rows(), 0);
        EXPECT_EQ(ledger_rows(), 0);
    }
    auto again = run(false);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(rows(), kRows);
    EXPECT_EQ(ledger_rows(), 1);
    EXPECT_TRUE(ws.exists(bucket, "processed/good/" + key));
}

}  // namespace
