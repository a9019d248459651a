// The main() of every test binary: GoogleTest's own, plus a listener that forgets the
// registered secrets after each test. Redaction is process-wide (util/redact.hpp), so a short
// secret registered by one test ("a", "at") would mask those letters in every later message
// of the binary when its tests run in one process (a whole binary, --gtest_filter=*, or
// under the sanitizers, tests/CMakeLists.txt), and the outcome of a test would depend on
// which tests ran before it.
#include <gtest/gtest.h>

#include "util/redact.hpp"

namespace gdx::testing {
namespace {

class ForgetSecretsAfterEachTest : public ::testing::EmptyTestEventListener {
    // After the fixture's TearDown: what the test and its fixture registered is gone.
    void OnTestEnd(const ::testing::TestInfo&) override { util::clear_secrets(); }
};

}  // namespace
}  // namespace gdx::testing

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::UnitTest::GetInstance()->listeners().Append(
        new gdx::testing::ForgetSecretsAfterEachTest);  // owned by gtest
    return RUN_ALL_TESTS();
}
