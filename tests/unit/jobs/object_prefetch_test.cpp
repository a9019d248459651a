// ObjectPrefetch on a real directory store wrapped to count GETs and fail chosen ones: the next
// planned object is fetched while the current one is taken, objects above the cap are not, and
// a failed fetch is rethrown at that object's turn (a retry then GETs it again).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>

#include "jobs/object_prefetch.hpp"
#include "store/local_store.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using namespace gdx;

namespace {

struct GetLog {
    std::mutex mutex;
    std::vector<std::string> keys;  // every GET, in order
    std::set<std::string> failing;  // keys whose GET throws
};

class CountingStore : public store::LocalStore {
public:
    CountingStore(fs::path root, GetLog& log) : LocalStore(std::move(root)), log_(log) {}
    std::unique_ptr<store::ObjectReader> get(const std::string& b, const std::string& k) override {
        std::lock_guard lock(log_.mutex);
        log_.keys.push_back(k);
        if (log_.failing.count(k)) throw BackendError("GET " + k + ": refused", ErrorKind::Target);
        return LocalStore::get(b, k);
    }

private:
    GetLog& log_;
};

std::string read_all(store::ObjectReader& r) {
    std::string out;
    char buf[7];  // small, so that reads are split
    while (size_t n = r.read(buf, sizeof buf)) out.append(buf, n);
    return out;
}

class ObjectPrefetchTest : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() /
               ("gdx-prefetch-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root);
        store::LocalStore s(root);
        for (auto& [k, v] :
             std::vector<std::pair<std::string, std::string>>{{"a", "first object"},
                                                              {"b", "second"},
                                                              {"c", std::string(3000, 'c')},
                                                              {"d", ""},
                                                              {"e", "last"}})
            s.put_bytes("bkt", k, v);
        for (auto& o : s.list("bkt", "")) objects.push_back(o);
    }
    void TearDown() override { fs::remove_all(root); }
    std::unique_ptr<jobs::ObjectPrefetch> prefetch(size_t max_bytes) {
        auto p = std::make_unique<jobs::ObjectPrefetch>(std::make_unique<CountingStore>(root, log),
                                                        max_bytes);
        p->plan("bkt", objects);
        return p;
    }
    std::vector<std::string> gets() {
        std::lock_guard lock(log.mutex);
        return log.keys;
    }

    fs::path root;
    GetLog log;
    std::vector<store::ObjectInfo> objects;
};

TEST_F(ObjectPrefetchTest, EachTakeFetchesTheNextObject) {
    auto p = prefetch(1 << 20);
    EXPECT_EQ(p->take("bkt", "a"), nullptr);  // the first one is read by the caller
    for (std::string k : {"b", "c", "d", "e"}) {
        auto r = p->take("bkt", k);
        ASSERT_NE(r, nullptr) << k;
        EXPECT_EQ(read_all(*r), store::LocalStore(root).get_bytes("bkt", k)) << k;
    }
    EXPECT_EQ(gets(), (std::vector<std::string>{"b", "c", "d", "e"}));
    EXPECT_EQ(p->take("other-bucket", "b"), nullptr);
    EXPECT_EQ(p->take("bkt", "not-planned"), nullptr);
}

TEST_F(ObjectPrefetchTest, ObjectsAboveTheCapAreNotFetched) {
    auto p = prefetch(100);
    EXPECT_EQ(p->take("bkt", "b"), nullptr);  // starts "c": 3000 bytes, not fetched
    EXPECT_EQ(p->take("bkt", "c"), nullptr);
    EXPECT_NE(p->take("bkt", "d"), nullptr);  // the one after is fetched again
    EXPECT_NE(p->take("bkt", "e"), nullptr);
    EXPECT_EQ(gets(), (std::vector<std::string>{"d", "e"}));
}

TEST_F(ObjectPrefetchTest, AnObjectThatGrewPastTheCapIsReadByTheCaller) {
    auto p = prefetch(100);
    store::LocalStore(root).put_bytes("bkt", "b", std::string(500, 'b'));  // listed as 6 bytes
    p->take("bkt", "a");
    EXPECT_EQ(p->take("bkt", "b"), nullptr);
}

TEST_F(ObjectPrefetchTest, AFailedFetchIsThatObjectsFailureAndARetryGetsItAgain) {
    auto p = prefetch(1 << 20);
    log.failing.insert("c");
    p->take("bkt", "a");
    p->take("bkt", "b");  // starts "c", which fails
    try {
        p->take("bkt", "c");
        FAIL() << "no error";
    } catch (const BackendError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Target);
        EXPECT_NE(std::string(e.what()).find("GET c: refused"), std::string::npos);
    }
    EXPECT_EQ(p->take("bkt", "c"), nullptr);  // the retry reads it itself; "d" is on its way
    EXPECT_NE(p->take("bkt", "d"), nullptr);
}

TEST_F(ObjectPrefetchTest, OffWithoutAStoreOrACap) {
    jobs::ObjectPrefetch none(nullptr, 1 << 20);
    none.plan("bkt", objects);
    EXPECT_EQ(none.take("bkt", "a"), nullptr);
    EXPECT_EQ(none.take("bkt", "b"), nullptr);
    auto zero = prefetch(0);
    EXPECT_EQ(zero->take("bkt", "a"), nullptr);
    EXPECT_EQ(zero->take("bkt", "b"), nullptr);
    EXPECT_TRUE(gets().empty());
}

}  // namespace
