#include "util/env.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "util/error.hpp"

using gdx::ConfigError;
using gdx::util::env_integer;

namespace {
std::string error_for(const char* value, long min_value, long max_value) {
    ::setenv("GDX_TEST_ENV_INTEGER", value, 1);
    try {
        env_integer("GDX_TEST_ENV_INTEGER", 7, min_value, max_value);
    } catch (const ConfigError& e) {
        ::unsetenv("GDX_TEST_ENV_INTEGER");
        return e.what();
    }
    ::unsetenv("GDX_TEST_ENV_INTEGER");
    return "no error";
}
}  // namespace

TEST(EnvInteger, UnsetOrEmptyGivesTheFallback) {
    ::unsetenv("GDX_TEST_ENV_INTEGER");
    EXPECT_EQ(env_integer("GDX_TEST_ENV_INTEGER", 7, 0), 7);
    ::setenv("GDX_TEST_ENV_INTEGER", "", 1);
    EXPECT_EQ(env_integer("GDX_TEST_ENV_INTEGER", 7, 0), 7);
    ::setenv("GDX_TEST_ENV_INTEGER", "1048576", 1);
    EXPECT_EQ(env_integer("GDX_TEST_ENV_INTEGER", 7, 0, 1 << 20), 1 << 20);
    ::unsetenv("GDX_TEST_ENV_INTEGER");
}

TEST(EnvInteger, AnythingButAnIntegerInRangeNamesTheVariableTheRangeAndTheValue) {
    EXPECT_EQ(error_for("lots", 0, 1 << 20),
              "GDX_TEST_ENV_INTEGER must be an integer from 0 to 1048576, got 'lots'");
    EXPECT_EQ(error_for("1048577", 0, 1 << 20),
              "GDX_TEST_ENV_INTEGER must be an integer from 0 to 1048576, got '1048577'");
    EXPECT_EQ(error_for("0", 1, LONG_MAX), "GDX_TEST_ENV_INTEGER must be an integer >= 1, got '0'");
    EXPECT_EQ(error_for("12x", 1, LONG_MAX),
              "GDX_TEST_ENV_INTEGER must be an integer >= 1, got '12x'");
    EXPECT_EQ(error_for("-3", 0, LONG_MAX),
              "GDX_TEST_ENV_INTEGER must be an integer >= 0, got '-3'");
}
