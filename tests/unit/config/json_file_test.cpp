#include "config/json_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../../support/original_configs.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using gdx::ConfigError;
using gdx::config::load_json_file;
using gdx::config::parse_json_text;

namespace {

std::string json_text_error(std::string_view text) {
    try {
        parse_json_text(text, "x.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(JsonFile, ParsesAndKeepsKeyOrder) {
    auto j = parse_json_text(R"({"z": 1, "a": [true, null], "m": "é"})", "x.json");
    std::vector<std::string> keys;
    for (const auto& item : j.items()) keys.push_back(item.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"z", "a", "m"}));
    EXPECT_EQ(j["m"].get<std::string>(), "é");
}

TEST(JsonFile, EpdlookupFailsOnNoBreakSpaceAtLine2Column1) {
    GDX_REQUIRE_ORIGINAL_CONFIGS();
    const fs::path p = gdx::test::original_config("s3_to_redshift/config.d/epdlookup.json");
    try {
        load_json_file(p);
        FAIL() << "epdlookup.json must not parse";
    } catch (const ConfigError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(p.string() + ":2:1: "), std::string::npos) << msg;
        EXPECT_NE(msg.find("U+00A0 (no-break space)"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("last read"), std::string::npos) << msg;
    }
}

TEST(JsonFile, ColumnCountsCharactersNotBytes) {
    // "é" is two bytes; the stray 'x' is the 9th character of line 2.
    const std::string msg = json_text_error("{\n \"é\": 1 x}");
    EXPECT_NE(msg.find("x.json:2:9: "), std::string::npos) << msg;
    EXPECT_NE(msg.find("found 'x'"), std::string::npos) << msg;
}

TEST(JsonFile, NbspAfterMultibyteText) {
    const std::string msg = json_text_error("{\"a\": \"ü\",\xC2\xA0\"b\": 2}");
    EXPECT_NE(msg.find("x.json:1:11: "), std::string::npos) << msg;
    EXPECT_NE(msg.find("U+00A0"), std::string::npos) << msg;
}

TEST(JsonFile, TrailingCommaAndCommentsAreErrors) {
    EXPECT_NE(json_text_error("{\"a\": 1,}").find("x.json:1:9: "), std::string::npos)
        << json_text_error("{\"a\": 1,}");
    EXPECT_NE(json_text_error("{\"a\": 1} // c").find("x.json:1:10: "), std::string::npos)
        << json_text_error("{\"a\": 1} // c");
    EXPECT_NE(json_text_error("{\"a\": NaN}").find("found 'N'"), std::string::npos);
}

TEST(JsonFile, TruncatedInputNamesEndOfFile) {
    const std::string msg = json_text_error("{\"a\": [1,\n2");
    EXPECT_NE(msg.find("x.json:2:2: "), std::string::npos) << msg;
    EXPECT_NE(msg.find("end of file"), std::string::npos) << msg;
}

TEST(JsonFile, InvalidUtf8ByteIsNamed) {
    const std::string msg = json_text_error("{\"a\": 1,\xFF}");
    EXPECT_NE(msg.find("0xFF"), std::string::npos) << msg;
}

TEST(JsonFile, MissingFileNamesIt) {
    try {
        load_json_file("/nonexistent/dir/cfg.json");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/cfg.json"), std::string::npos);
    }
}

TEST(JsonFile, DirectoryIsNotAConfig) {
    EXPECT_THROW(load_json_file(fs::temp_directory_path()), ConfigError);
}

TEST(JsonFile, UnreadableFileNamesIt) {
    const fs::path p = fs::temp_directory_path() / "gdx_config_unreadable.json";
    { std::ofstream(p) << "{}"; }
    fs::permissions(p, fs::perms::none);
    std::ifstream probe(p);
    if (probe) {  // running as root: permissions do not apply
        fs::remove(p);
        GTEST_SKIP() << "permissions are not enforced for this user";
    }
    try {
        load_json_file(p);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos);
    }
    fs::remove(p);
}

TEST(JsonFile, DeepNestingIsAnErrorNotACrash) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_NE(
        json_text_error(deep).find("x.json: arrays and objects are nested more than 64 levels"),
        std::string::npos)
        << json_text_error(deep).substr(0, 200);
    const std::string deep_objects = [] {
        std::string s;
        for (int i = 0; i < 100000; ++i) s += "{\"a\":";
        return s + "1" + std::string(100000, '}');
    }();
    EXPECT_NE(json_text_error(deep_objects).find("nested more than 64 levels"), std::string::npos);
    const std::string ok = std::string(60, '[') + std::string(60, ']');
    EXPECT_EQ(json_text_error(ok), "(no error)");
}

namespace gdx::config {
namespace {

// Found by fuzz/config.cpp: a number beyond a double escaped as nlohmann's out_of_range
// instead of a config error (exit 2) naming the file.
TEST(JsonFile, NumberOutOfRangeIsAConfigErrorNamingTheFile) {
    try {
        parse_json_text(R"({"file_limit": 1E400})", "big.json");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("big.json: a number is out of range"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace gdx::config
