// The config loaders: the strict JSON reader, then every job's config parser on the document.
// Any input must end in a parsed config or a ConfigError (exit 2), never anything else.
#include <cstdint>
#include <string>

#include "config/cmslite_config.hpp"
#include "config/google_business_config.hpp"
#include "config/google_search_config.hpp"
#include "config/json_file.hpp"
#include "config/redshift_to_s3_config.hpp"
#include "config/s3_to_redshift_config.hpp"
#include "config/s3_to_sfts_config.hpp"
#include "util/error.hpp"

namespace {

using namespace gdx;

template <class Parse>
void expect_config_or_error(Parse parse) {
    try {
        parse();
    } catch (const ConfigError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    nlohmann::ordered_json doc;
    try {
        doc = config::parse_json_text(text, "fuzz.json");
    } catch (const ConfigError&) {
        return 0;
    }
    const std::string name = "fuzz.json";
    expect_config_or_error([&] { config::parse_s3_to_redshift_config(doc, name); });
    expect_config_or_error([&] {
        config::parse_s3_to_redshift_config(doc, name, config::S3ConfigFlavor::DerivedAssets);
    });
    expect_config_or_error([&] { config::parse_cmslite_config(doc, name); });
    expect_config_or_error([&] { config::parse_google_search_config(doc, name); });
    expect_config_or_error([&] { config::parse_google_business_config(doc, name); });
    expect_config_or_error([&] { config::parse_redshift_to_s3_config(doc, name); });
    expect_config_or_error([&] { config::parse_s3_to_sfts_config(doc, name); });
    return 0;
}
