#pragma once
// Source-object encodings: Python codec names -> a decoder that streams UTF-8.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "csv/byte_source.hpp"

namespace gdx::csv {

struct Encoding {
    // Canonical name, e.g. "utf-8", "latin-1", "utf-16", "cp1252".
    std::string name;
    // Name understood by glibc iconv, e.g. "ISO-8859-1" (empty for utf-8, which is validated
    // without iconv).
    std::string iconv_name;
};

// Python's codec-name normalisation and alias lookup (docs/config-reference.md, `encoding`), so
// every name the original accepted works, e.g. "ISO-8859-1'" -> latin-1. Unknown names throw
// gdx::ConfigError.
Encoding resolve_encoding(std::string_view python_codec_name);

// Python's encodings.normalize_encoding after lower-casing: runs of characters other than
// [a-z0-9.] become one '_', leading/trailing '_' dropped. Exposed for tests.
std::string normalize_codec_name(std::string_view name);

// Called once per decoder, with the 1-based line of the first NUL byte of the object.
using NulHandler = std::function<void(uint64_t line)>;

// Streams `raw` decoded to UTF-8 (strict, like Python's "strict" errors). A leading UTF-8 BOM
// is dropped; utf-16/utf-32 consume a BOM and default to little-endian without one.
// An undecodable byte throws gdx::DataError{what="cannot decode as <enc>", line=<1-based line
// of the byte>, value=<bytes as hex, e.g. "0xff">}. `raw` must outlive the decoder.
// A NUL byte becomes a space (no warehouse stores NUL in text: PostgreSQL refuses it, SQLite
// would cut the value short in most clients); `on_nul` hears of the first one.
std::unique_ptr<ByteSource> make_decoder(ByteSource& raw, const Encoding& enc,
                                         NulHandler on_nul = {});

}  // namespace gdx::csv
