#include "util/progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>

using gdx::util::Progress;

namespace {
std::string contents(std::FILE* f) {
    std::fflush(f);
    std::rewind(f);
    std::string s;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
    return s;
}
}  // namespace

TEST(Progress, DisabledWritesNothing) {
    std::FILE* f = std::tmpfile();
    {
        Progress p("x.csv", 100, f, false);
        p.update(50, 5);
        p.finish();
        EXPECT_EQ(p.draws(), 0u);
    }
    EXPECT_EQ(contents(f), "");
    std::fclose(f);
}

TEST(Progress, NotInteractiveUnderCiOrWithoutTerminal) {
    ::setenv("CI", "1", 1);
    EXPECT_FALSE(Progress::interactive());
    Progress p("x", 1);
    EXPECT_FALSE(p.enabled());
    ::unsetenv("CI");
}

TEST(Progress, RateLimitedAndFinishedWithNewline) {
    std::FILE* f = std::tmpfile();
    Progress p("client/x.csv", 4 * 1024 * 1024, f, true);
    for (int i = 0; i < 100000; ++i) p.update(i, 0);  // far faster than 5 draws per second
    EXPECT_EQ(p.draws(), 0u);
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    // Totals, as the jobs report them: the line shows the latest figures, not a sum.
    p.update(2 * 1024 * 1024, 1234);
    EXPECT_EQ(p.draws(), 1u);
    p.finish();
    p.finish();
    EXPECT_EQ(p.draws(), 2u);
    const std::string s = contents(f);
    EXPECT_NE(s.find("\rclient/x.csv: 2.0/4.0 MiB (50%), 1234 rows, "), std::string::npos) << s;
    EXPECT_EQ(s.back(), '\n');
    std::fclose(f);
}
