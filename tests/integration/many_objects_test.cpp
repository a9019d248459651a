// Many objects under one prefix (docs/architecture.md#many-objects): the next object is fetched
// while the current one loads (GDX_PREFETCH_MB) and selection checks the ledger once per prefix.
// Every test runs the same scenario with prefetching on (the default) and off (on the directory
// store) and expects the same outcome: load order, exactly-once, a bad object between good ones, a
// failing GET of the object that was being fetched ahead. On a directory + SQLite and on moto +
// PostgreSQL.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <tuple>

#include "../fakes/fault_proxy.hpp"
#include "harness.hpp"

using gdx::test::Backend;
using gdx::test::backend_name;
using gdx::test::base_config;
using gdx::test::RunResult;
using gdx::test::Workspace;
using nlohmann::json;

namespace {

constexpr int kManyObjects = 8;
constexpr int kRowsPerObject = 20;
const std::string kManyHeader = "id|n\n";

// Prefetching on (the default: objects up to 8 MiB) or off.
enum class Prefetch { On, Off };

class ManyObjects : public ::testing::TestWithParam<std::tuple<Backend, Prefetch>> {
protected:
    ManyObjects() : ws(std::get<0>(GetParam())), bucket(ws.bucket()) {
        ws.sql("CREATE SCHEMA IF NOT EXISTS t");
        ws.sql("CREATE TABLE t.rows (id VARCHAR(10) NOT NULL, n INTEGER)");
        auto cfg = base_config("t.rows", {"id", "n"});
        cfg["dtype_dic_ints"] = {"n"};
        cfg["bucket"] = bucket;
        config = ws.write_file("config.json", cfg.dump(2));
    }

    // Object i is the i-th to load. In the directory store the ages make the load order the
    // reverse of the key order; S3 stamps whole seconds, so there all objects share one second
    // (the key breaks the tie) and the test stays quick.
    bool embedded() const { return ws.backend() == Backend::Embedded; }
    std::string key_of(int i) const {
        return "client/dir/o" + std::to_string(embedded() ? kManyObjects - 1 - i : i) + ".csv";
    }
    // Puts every object, object i with bodies[i] when given.
    void put_all(const std::map<int, std::string>& bodies = {}) {
        for (int i = 0; i < kManyObjects; ++i) {
            auto b = bodies.find(i);
            ws.put(bucket, key_of(i), b != bodies.end() ? b->second : body(i),
                   std::chrono::seconds(embedded() ? 100 - i : 100));
        }
    }
    static std::string body(int i) {
        std::string b = kManyHeader;
        for (int j = 0; j < kRowsPerObject; ++j)
            b += std::to_string(i) + "-" + std::to_string(j) + "|1\n";
        return b;
    }

    std::map<std::string, std::string> env() const {
        if (std::get<1>(GetParam()) == Prefetch::Off) return {{"GDX_PREFETCH_MB", "0"}};
        return {};
    }
    RunResult run(std::vector<std::string> extra = {},
                  std::map<std::string, std::string> more_env = {}) {
        auto e = env();
        e.insert(more_env.begin(), more_env.end());
        report = ws.dir() / "report.json";
        extra.push_back("--report-json");
        extra.push_back(report.string());
        return ws.run_job("s3-to-redshift", config, extra, e);
    }
    json last_report() {
        std::ifstream in(report);
        return json::parse(in);
    }
    long rows_of(int i) {
        return ws
            .query("SELECT count(*) AS c FROM t.rows WHERE id LIKE '" + std::to_string(i) +
                   "-%'")[0]["c"]
            .get<long>();
    }
    long ledger_rows() {
        const std::string table = embedded() ? "gdx_ledger" : "public.gdx_ledger";
        return ws.query("SELECT count(*) AS c FROM " + table)[0]["c"].get<long>();
    }
    // Objects [0, n) loaded once each and copied to good, none of the others touched.
    void expect_loaded_exactly(int n, const std::string& when) {
        SCOPED_TRACE(when);
        for (int i = 0; i < kManyObjects; ++i) {
            SCOPED_TRACE(key_of(i));
            EXPECT_EQ(rows_of(i), i < n ? kRowsPerObject : 0);
            EXPECT_EQ(ws.exists(bucket, "processed/good/" + key_of(i)), i < n);
        }
        EXPECT_EQ(ledger_rows(), n);
    }

    Workspace ws;
    const std::string bucket;
    std::filesystem::path config;
    std::filesystem::path report;
};

// Prefetching works on the ObjectStore interface, whatever the store: its on/off comparison
// runs on the directory store, and moto + PostgreSQL runs the default (on) only, which keeps
// the suite's time down (these are among its longest tests under the sanitizers).
INSTANTIATE_TEST_SUITE_P(Backends, ManyObjects,
                         ::testing::Values(std::tuple{Backend::Embedded, Prefetch::On},
                                           std::tuple{Backend::Embedded, Prefetch::Off},
                                           std::tuple{Backend::S3Postgres, Prefetch::On}),
                         [](const auto& info) {
                             return backend_name(std::get<0>(info.param)) +
                                    (std::get<1>(info.param) == Prefetch::On ? "Prefetch"
                                                                             : "NoPrefetch");
                         });

TEST_P(ManyObjects, LoadsEveryObjectOnceOldestFirst) {
    put_all();
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_loaded_exactly(kManyObjects, "first run");
    std::vector<std::string> expected;
    for (int i = 0; i < kManyObjects; ++i) expected.push_back(key_of(i));
    EXPECT_EQ(last_report()["good_list"].get<std::vector<std::string>>(), expected);

    auto again = run();
    ASSERT_EQ(again.exit_code, 0) << again.err;
    expect_loaded_exactly(kManyObjects, "second run: nothing loaded twice");
    EXPECT_EQ(last_report()["loaded"], 0);
}

TEST_P(ManyObjects, ResumesFromTheLedgerWhenGoodCopiesAreMissing) {
    // The ledger, asked once for the prefix, decides: loaded objects without a good copy are
    // repaired (copied, not loaded again), the rest loaded.
    put_all();
    ASSERT_EQ(run().exit_code, 0);
    for (int i = 0; i < kManyObjects; i += 2) {
        ws.sql("DELETE FROM t.rows WHERE id LIKE '" + std::to_string(i) + "-%'");
        ws.sql(std::string("DELETE FROM ") + (embedded() ? "gdx_ledger" : "public.gdx_ledger") +
               " WHERE key = '" + key_of(i) + "'");
    }
    // Remove every good copy: the odd objects are still in the ledger.
    for (int i = 0; i < kManyObjects; ++i) ws.remove(bucket, "processed/good/" + key_of(i));
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_loaded_exactly(kManyObjects, "after the resume");
    EXPECT_EQ(last_report()["loaded"], kManyObjects / 2);
    EXPECT_EQ(last_report()["repaired"], kManyObjects / 2);
}

TEST_P(ManyObjects, BadObjectBetweenGoodOnes) {
    put_all({{3, kManyHeader + "3-0|not-a-number\n"}});
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    expect_loaded_exactly(3, "stopped at the bad object");
    EXPECT_TRUE(ws.exists(bucket, "processed/bad/" + key_of(3) + ".error.json"));

    auto keep_going = run({"--keep-going"});
    EXPECT_EQ(keep_going.exit_code, 0) << keep_going.err;  // nothing bad left to select
    for (int i = 0; i < kManyObjects; ++i)
        EXPECT_EQ(rows_of(i), i == 3 ? 0 : kRowsPerObject) << key_of(i);
    EXPECT_EQ(ledger_rows(), kManyObjects - 1);
}

TEST_P(ManyObjects, KeepGoingPastABadObject) {
    put_all({{2, kManyHeader + "2-0|x\n"}, {5, kManyHeader + "5-0|y\n"}});
    auto r = run({"--keep-going"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    for (int i = 0; i < kManyObjects; ++i) {
        const bool bad = i == 2 || i == 5;
        EXPECT_EQ(rows_of(i), bad ? 0 : kRowsPerObject) << key_of(i);
        EXPECT_EQ(ws.exists(bucket, "processed/bad/" + key_of(i)), bad) << key_of(i);
    }
    EXPECT_EQ(last_report()["bad_list"], json::array({key_of(2), key_of(5)}));
}

}  // namespace

namespace {

// A failing GET of the object being fetched ahead, through a fault proxy in front of moto:
// with prefetching the failure is the one of that object's turn, exactly as without.
class ManyObjectsGetFault : public ManyObjects {
protected:
    static gdx::testing::FaultProxy& proxy() {
        static gdx::testing::FaultProxy p(gdx::testing::moto_server().url());
        return p;
    }
    RunResult run_through_proxy() {
        return run({}, {{"AWS_ENDPOINT_URL", proxy().url()},
                        {"GDX_RETRY_BASE_MS", "5"},
                        {"GDX_RETRY_CAP_MS", "50"}});
    }
    void TearDown() override { proxy().reset(); }
};

INSTANTIATE_TEST_SUITE_P(S3, ManyObjectsGetFault,
                         ::testing::Combine(::testing::Values(Backend::S3Postgres),
                                            ::testing::Values(Prefetch::On, Prefetch::Off)),
                         [](const auto& info) {
                             return std::string(std::get<1>(info.param) == Prefetch::On
                                                    ? "Prefetch"
                                                    : "NoPrefetch");
                         });

TEST_P(ManyObjectsGetFault, RefusedGetStopsAtThatObject) {
    put_all();
    proxy().reset();
    proxy().faults(R"([{"method": "GET", "path_contains": "/)" + key_of(1) +
                   R"(", "action": "status", "status": 403, "code": "AccessDenied", "count": 1}])");
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("gdx: error: S3 "), std::string::npos) << r.err;
    expect_loaded_exactly(1, "stopped at the object whose GET was refused");
    EXPECT_FALSE(ws.exists(bucket, "processed/bad/" + key_of(1)));  // not the object's fault

    // A server error is retried by the GET itself, ahead of time or not.
    proxy().reset();
    proxy().faults(R"([{"method": "GET", "path_contains": "/)" + key_of(2) +
                   R"(", "action": "status", "status": 500, "count": 1}])");
    auto again = run_through_proxy();
    EXPECT_EQ(again.exit_code, 0) << again.err;
    expect_loaded_exactly(kManyObjects, "the next run");
}

// The copy to good is planned from the listing's size: an object costs its GET, its batch's
// PUT and the CopyObject, and no HeadObject of the object.
TEST_P(ManyObjectsGetFault, CopiesToGoodWithoutAskingForTheSize) {
    put_all();
    proxy().reset();
    auto r = run_through_proxy();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    expect_loaded_exactly(kManyObjects, "one run");
    int copies = 0;
    for (const auto& seen : proxy().seen()) {
        EXPECT_FALSE(seen.method == "HEAD" && seen.path.find("/client/dir/") != std::string::npos)
            << seen.method << " " << seen.path;
        if (seen.method == "PUT" && seen.path.find("/processed/good/") != std::string::npos)
            ++copies;
    }
    EXPECT_EQ(copies, kManyObjects);
}

// The same for the copy to bad: a bad object costs no HeadObject either.
TEST_P(ManyObjectsGetFault, CopiesToBadWithoutAskingForTheSize) {
    put_all({{2, kManyHeader + "2-0|x\n"}, {5, kManyHeader + "5-0|y\n"}});
    proxy().reset();
    auto r = run({"--keep-going"}, {{"AWS_ENDPOINT_URL", proxy().url()}});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    std::set<std::string> copied_to_bad;
    for (const auto& seen : proxy().seen()) {
        EXPECT_FALSE(seen.method == "HEAD" && seen.path.find("/client/dir/") != std::string::npos)
            << seen.method << " " << seen.path;
        const auto at = seen.path.find("/processed/bad/");
        if (seen.method == "PUT" && at != std::string::npos &&
            seen.path.find(".error.json") == std::string::npos)
            copied_to_bad.insert(seen.path.substr(at + std::string("/processed/bad/").size()));
    }
    EXPECT_EQ(copied_to_bad, (std::set<std::string>{key_of(2), key_of(5)}));
    for (int i = 0; i < kManyObjects; ++i) {
        const bool bad = i == 2 || i == 5;
        EXPECT_EQ(ws.exists(bucket, "processed/bad/" + key_of(i)), bad) << key_of(i);
        EXPECT_EQ(ws.exists(bucket, "processed/good/" + key_of(i)), !bad) << key_of(i);
    }
}

}  // namespace
