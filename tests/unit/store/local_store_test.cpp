#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "store/local_store.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using gdx::store::LocalStore;

namespace {
class LocalStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() /
               ("gdx-local-store-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root);
    }
    void TearDown() override { fs::remove_all(root); }
    fs::path root;
};
}  // namespace

TEST_F(LocalStoreTest, PutGetHeadRoundTrip) {
    LocalStore store(root);
    std::string body("a|b\n\0binary\xff", 13);
    store.put_bytes("bucket", "client/dir/x y+'é.csv", body);
    EXPECT_EQ(store.get_bytes("bucket", "client/dir/x y+'é.csv"), body);
    auto info = store.head("bucket", "client/dir/x y+'é.csv");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->size, body.size());
    EXPECT_FALSE(info->etag.empty());
    EXPECT_FALSE(store.head("bucket", "client/dir/missing.csv"));
    EXPECT_TRUE(fs::exists(root / "bucket/client/dir/x y+'é.csv"));
}

TEST_F(LocalStoreTest, UncommittedWriteLeavesNothing) {
    LocalStore store(root);
    {
        auto w = store.put("bucket", "k/partial.csv");
        w->write("half");
    }
    EXPECT_FALSE(store.head("bucket", "k/partial.csv"));
    EXPECT_TRUE(store.list("bucket", "k/").empty());
}

std::vector<std::string> temp_files(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(".gdx-tmp-", 0) == 0)
            names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// A writer killed with SIGKILL leaves its temp file; the next write into that directory removes
// it, and only it: a live process's temp file and another host's are kept.
TEST_F(LocalStoreTest, TempFileOfAKilledWriterIsRemovedByTheNextWriteThere) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        LocalStore store(root);
        auto w = store.put("bucket", "k/partial.csv");
        w->write("half");
        std::raise(SIGKILL);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    const fs::path dir = root / "bucket/k";
    const auto left = temp_files(dir);
    ASSERT_EQ(left.size(), 1u);
    const std::string host = left[0].substr(0, left[0].find('-', 9) + 1);  // .gdx-tmp-<host>-
    std::ofstream(dir / (host + "1-0-live")) << "init is alive";
    std::ofstream(dir / (".gdx-tmp-0badc0de-" + std::to_string(child) + "-0-x")) << "other host";
    LocalStore store(root);
    EXPECT_TRUE(store.list("bucket", "k/").empty());
    store.put_bytes("bucket", "k/next.csv", "x");
    const std::vector<std::string> expected = {
        ".gdx-tmp-0badc0de-" + std::to_string(child) + "-0-x", host + "1-0-live"};
    EXPECT_EQ(temp_files(dir), expected);
    EXPECT_EQ(store.get_bytes("bucket", "k/next.csv"), "x");
}

TEST_F(LocalStoreTest, ListFiltersByPrefixAndSortsByKey) {
    LocalStore store(root);
    store.put_bytes("b", "client/d/2.csv", "2");
    store.put_bytes("b", "client/d/1.csv", "1");
    store.put_bytes("b", "client/d/sub/3.csv", "3");
    store.put_bytes("b", "client/dx/4.csv", "4");
    store.put_bytes("b", "processed/good/client/d/1.csv", "1");
    auto all = store.list("b", "client/d/");
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].key, "client/d/1.csv");
    EXPECT_EQ(all[1].key, "client/d/2.csv");
    EXPECT_EQ(all[2].key, "client/d/sub/3.csv");
    EXPECT_EQ(store.list("b", "client/d").size(), 4u);  // prefix, not a folder
    EXPECT_TRUE(store.list("nobucket", "client/").empty());
}

// A key is the path below the bucket as listed, not as resolved: fs::relative resolved links
// (a prefix folder that is a symlink listed keys "../…", which no prefix matched: nothing was
// listed) and read the file system for every entry, so a temp file another writer renamed
// meanwhile made the listing throw "cannot make canonical path" (100 runs of one config at once,
// docs/reliability.md, Load).
TEST_F(LocalStoreTest, ListsAPrefixFolderThatIsASymlinkUnderItsOwnKeys) {
    LocalStore store(root);
    store.put_bytes("elsewhere", "d/1.csv", "1");
    fs::create_directories(root / "b/client");
    fs::create_directory_symlink(root / "elsewhere/d", root / "b/client/d");
    auto listed = store.list("b", "client/d/");
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].key, "client/d/1.csv");
    EXPECT_EQ(store.get_bytes("b", listed[0].key), "1");
}

TEST_F(LocalStoreTest, CopyAndRemove) {
    LocalStore store(root);
    store.put_bytes("b", "src/a.csv", "data");
    store.copy("b", "src/a.csv", "b", "processed/good/src/a.csv");
    EXPECT_EQ(store.get_bytes("b", "processed/good/src/a.csv"), "data");
    EXPECT_EQ(store.get_bytes("b", "src/a.csv"), "data");
    store.remove("b", "src/a.csv");
    EXPECT_FALSE(store.head("b", "src/a.csv"));
}

TEST_F(LocalStoreTest, RejectsKeysEscapingTheBucket) {
    LocalStore store(root);
    EXPECT_THROW(store.put_bytes("b", "../evil", "x"), gdx::BackendError);
    EXPECT_THROW(store.put_bytes("b", "a/../../evil", "x"), gdx::BackendError);
    EXPECT_THROW(store.get("b", "/etc/passwd"), gdx::BackendError);
    EXPECT_THROW(store.put_bytes("../x", "k", "x"), gdx::BackendError);
}

TEST_F(LocalStoreTest, GetOfMissingObjectNamesIt) {
    LocalStore store(root);
    try {
        store.get("b", "nope.csv");
        FAIL();
    } catch (const gdx::BackendError& e) {
        EXPECT_NE(std::string(e.what()).find("b/nope.csv"), std::string::npos);
    }
}

// An object that reads shorter or longer than it was listed (a body cut short under a wrong
// Content-Length, or replaced since the listing) fails the read, retryably, naming both counts.
TEST_F(LocalStoreTest, GetListedFailsWhenTheBytesReadDifferFromTheListedSize) {
    LocalStore store(root);
    store.put_bytes("bucket", "k.csv", "0123456789");
    auto info = store.head("bucket", "k.csv");
    ASSERT_TRUE(info);
    auto read_all = [&](const gdx::store::ObjectInfo& listed) {
        auto in = store.get_listed("bucket", listed);
        std::string out;
        char buf[4];
        while (size_t n = in->read(buf, sizeof buf)) out.append(buf, n);
        return out;
    };
    EXPECT_EQ(read_all(*info), "0123456789");
    for (uint64_t listed_size : {11u, 9u}) {
        auto listed = *info;
        listed.size = listed_size;
        try {
            read_all(listed);
            FAIL() << "a size other than the listed one was read without an error";
        } catch (const gdx::BackendError& e) {
            EXPECT_TRUE(e.transient());
            EXPECT_NE(std::string(e.what()).find("bucket/k.csv: read 10 bytes, the listing said " +
                                                 std::to_string(listed_size)),
                      std::string::npos)
                << e.what();
        }
    }
}

// The copy to good prepared while an object loads: its bytes are copied and synced at once, but
// the key appears only at publish(); dropped unpublished, it leaves no file at all.
TEST_F(LocalStoreTest, PreparedCopyAppearsOnlyWhenPublished) {
    LocalStore store(root);
    EXPECT_TRUE(store.copies_ahead());
    std::string body(3 << 20, 'x');  // larger than one copy_file_range chunk of small files
    body.replace(1000, 5, "a|b\n\xff");
    store.put_bytes("bucket", "in/x.csv", body);
    { auto dropped = store.prepare_copy("bucket", "in/x.csv", "bucket", "good/in/x.csv"); }
    EXPECT_FALSE(store.head("bucket", "good/in/x.csv"));
    EXPECT_TRUE(temp_files(root / "bucket/good/in").empty());

    auto pending = store.prepare_copy("bucket", "in/x.csv", "bucket", "good/in/x.csv");
    EXPECT_FALSE(store.head("bucket", "good/in/x.csv"));
    pending->publish();
    EXPECT_EQ(store.get_bytes("bucket", "good/in/x.csv"), body);
    EXPECT_TRUE(temp_files(root / "bucket/good/in").empty());
    store.copy("bucket", "in/x.csv", "bucket", "good/in/y.csv");
    EXPECT_EQ(store.get_bytes("bucket", "good/in/y.csv"), body);
    EXPECT_THROW(store.prepare_copy("bucket", "in/missing.csv", "bucket", "good/m.csv"),
                 gdx::BackendError);
    EXPECT_TRUE(temp_files(root / "bucket/good").empty());
}
