// Codec-name resolution (Python's names) and streaming decoders.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "csv/encoding.hpp"
#include "csv_test_support.hpp"

namespace gdx::csv::test {
namespace {

std::string decode(std::string_view bytes, std::string_view encoding,
                   size_t max_chunk = static_cast<size_t>(-1), size_t read_size = 1 << 16) {
    StringSource raw(bytes, max_chunk);
    auto dec = make_decoder(raw, resolve_encoding(encoding));
    std::string out;
    std::string buf(read_size, '\0');
    while (size_t n = dec->read(buf.data(), buf.size())) out.append(buf.data(), n);
    return out;
}

// ASCII/BMP text (given as code points) as UTF-16LE bytes.
std::string utf16le(std::u16string_view s) {
    std::string out;
    for (char16_t c : s) {
        out += static_cast<char>(c & 0xFF);
        out += static_cast<char>(c >> 8);
    }
    return out;
}
std::string utf16be(std::u16string_view s) {
    std::string out;
    for (char16_t c : s) {
        out += static_cast<char>(c >> 8);
        out += static_cast<char>(c & 0xFF);
    }
    return out;
}

TEST(ResolveEncoding, PythonNamesAndAliases) {
    const std::pair<const char*, const char*> table[] = {
        {"utf-8", "utf-8"},         {"UTF8", "utf-8"},          {"u8", "utf-8"},
        {"utf_8", "utf-8"},         {"  UTF--8 ", "utf-8"},     {"utf-8-sig", "utf-8"},
        {"ISO-8859-1'", "latin-1"}, {"iso-8859-1", "latin-1"},  {"ISO8859-1", "latin-1"},
        {"latin1", "latin-1"},      {"Latin-1", "latin-1"},     {"L1", "latin-1"},
        {"8859", "latin-1"},        {"cp819", "latin-1"},       {"latin", "latin-1"},
        {"utf-16", "utf-16"},       {"UTF16", "utf-16"},        {"UTF-16LE", "utf-16-le"},
        {"utf_16_be", "utf-16-be"}, {"windows-1252", "cp1252"}, {"CP1252", "cp1252"},
        {"US-ASCII", "ascii"},      {"ascii", "ascii"},         {"ANSI_X3.4-1968", "ascii"},
        {"Shift_JIS", "shift_jis"}, {"latin9", "iso-8859-15"},  {"utf-32", "utf-32"},
    };
    for (const auto& [name, canonical] : table) {
        SCOPED_TRACE(name);
        EXPECT_EQ(resolve_encoding(name).name, canonical);
    }
}

// The last alias of the last codec: the lookup reads every alias list on the way. The fuzz
// build (clang, ASan) found those lists read after their storage was gone.
TEST(ResolveEncoding, EveryAliasListIsReadable) {
    EXPECT_EQ(resolve_encoding("uhc").name, "cp949");
    EXPECT_EQ(resolve_encoding("utf8").name, "utf-8");
}

TEST(ResolveEncoding, NormalisationMatchesPython) {
    EXPECT_EQ(normalize_codec_name("ISO-8859-1'"), "iso_8859_1");
    EXPECT_EQ(normalize_codec_name("  Latin 1 "), "latin_1");
    EXPECT_EQ(normalize_codec_name("ANSI_X3.4-1968"), "ansi_x3.4_1968");
}

TEST(ResolveEncoding, UnknownNameIsAConfigErrorNamingTheValue) {
    try {
        resolve_encoding("klingon-8");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("klingon-8"), std::string::npos) << e.what();
    }
    EXPECT_THROW(resolve_encoding(""), ConfigError);
}

TEST(Utf8Decoder, PassesValidTextThroughAtAnyChunking) {
    const std::string text = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9D\x84\x9E\nz\xF4\x8F\xBF\xBF";
    for (size_t chunk : {size_t(1), size_t(2), size_t(3), size_t(-1)}) {
        EXPECT_EQ(decode(text, "utf-8", chunk), text);
        EXPECT_EQ(decode(text, "utf-8", chunk, 1), text);  // tiny destination buffers
        EXPECT_EQ(decode(text, "utf-8", chunk, 5), text);
    }
}

TEST(Utf8Decoder, DropsLeadingBomOnly) {
    EXPECT_EQ(decode("\xEF\xBB\xBF"
                     "a,b\n",
                     "utf-8"),
              "a,b\n");
    EXPECT_EQ(decode("\xEF\xBB\xBF"
                     "a,b\n",
                     "utf-8", 1),
              "a,b\n");
    EXPECT_EQ(decode("a\xEF\xBB\xBF", "utf-8"), "a\xEF\xBB\xBF");
    EXPECT_EQ(decode("\xEF\xBB\xBF", "utf-8"), "");
}

TEST(Utf8Decoder, InvalidByteReportsItsOwnLineNotTheLast) {
    const std::string text = "a,b\n1,2\nx\xFFy\n3,4\n5,6\n";
    for (size_t chunk : {size_t(1), size_t(4), size_t(-1)}) {
        SCOPED_TRACE(chunk);
        const DataErrorInfo e = expect_data_error([&] { decode(text, "utf-8", chunk); });
        EXPECT_EQ(e.what, "cannot decode as utf-8");
        EXPECT_EQ(e.line, 3u);
        EXPECT_EQ(e.column, 0u);
        EXPECT_EQ(e.value, "0xff");
    }
}

TEST(Utf8Decoder, LineCountsCrlfAndLoneCr) {
    EXPECT_EQ(expect_data_error([] { decode("a\r\nb\r\n\xFF", "utf-8", 1); }).line, 3u);
    EXPECT_EQ(expect_data_error([] { decode("a\rb\r\xFF", "utf-8", 1); }).line, 3u);
    EXPECT_EQ(expect_data_error([] { decode("a\r\xFF", "utf-8"); }).line, 2u);
    EXPECT_EQ(expect_data_error([] { decode("\xFF\n\n", "utf-8"); }).line, 1u);
}

// Long inputs: the decoder counts lines 16 bytes at a time over ASCII stretches (more than
// 255 blocks between sums), byte by byte elsewhere; the line of a bad byte must not depend
// on where the chunks or the vector blocks fall.
TEST(Utf8Decoder, LineOfABadByteInLongMixedText) {
    std::mt19937 rng(7);
    const std::vector<std::string> pieces = {
        "abc,def",     "\n", "\r\n", "\r", "\xC3\xA9", "x", "0123456789012345678901234567890",
        "\xE2\x82\xAC"};
    for (int round = 0; round < 12; ++round) {
        std::string text;
        const size_t target = round % 3 == 0 ? 20000 : 300 + rng() % 3000;
        const bool ascii_only = round % 2 == 0;
        while (text.size() < target) {
            const std::string& piece = pieces[rng() % pieces.size()];
            if (ascii_only && static_cast<unsigned char>(piece[0]) >= 0x80) continue;
            text += piece;
        }
        // Physical lines before the bad byte: \n, \r\n and a lone \r each end one.
        uint64_t line = 1;
        for (size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n' ||
                (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
                ++line;
        if (!text.empty() && text.back() == '\r') text += 'z';  // keep the count above exact
        const std::string bad = text + "\xFF" + "tail\n";
        for (size_t chunk :
             {size_t(1), size_t(15), size_t(16), size_t(17), size_t(4096), size_t(-1)}) {
            SCOPED_TRACE(testing::Message() << "round " << round << " chunk " << chunk);
            EXPECT_EQ(expect_data_error([&] { decode(bad, "utf-8", chunk); }).line, line);
            EXPECT_EQ(decode(text, "utf-8", chunk), text);
        }
    }
}

TEST(Utf8Decoder, RejectsWhatPythonRejects) {
    const std::pair<std::string, std::string> bad[] = {
        {"ab\xE2\x82", "0xe2 0x82"},   // truncated at end of data
        {"\xE2\x28\xA1", "0xe2"},      // invalid continuation
        {"\xC0\xAF", "0xc0"},          // overlong
        {"\xED\xA0\x80", "0xed"},      // surrogate
        {"\xF4\x90\x80\x80", "0xf4"},  // above U+10FFFF
        {"\x80", "0x80"},              // lone continuation byte
        {"\xE2\x82\xAC\xF0\x9F\x98", "0xf0 0x9f 0x98"},
    };
    for (const auto& [input, value] : bad) {
        for (size_t chunk : {size_t(1), size_t(-1)}) {
            // An init-capture: clang 14 cannot capture the structured binding itself.
            const DataErrorInfo e =
                expect_data_error([&, &in = input] { decode(in, "utf-8", chunk); });
            EXPECT_EQ(e.what, "cannot decode as utf-8");
            EXPECT_EQ(e.value, value) << value;
            EXPECT_EQ(e.line, 1u);
        }
    }
}

TEST(IconvDecoder, Utf16WithAndWithoutBom) {
    const std::u16string text = u"id,name\n1,caf\u00e9 \U0001D11E\n";
    const std::string expected = "id,name\n1,caf\xC3\xA9 \xF0\x9D\x84\x9E\n";
    for (size_t chunk : {size_t(1), size_t(3), size_t(-1)}) {
        SCOPED_TRACE(chunk);
        EXPECT_EQ(decode("\xFF\xFE" + utf16le(text), "utf-16", chunk), expected);
        EXPECT_EQ(decode("\xFE\xFF" + utf16be(text), "utf-16", chunk), expected);
        EXPECT_EQ(decode(utf16le(text), "utf-16", chunk), expected);  // no BOM: little-endian
        EXPECT_EQ(decode(utf16be(text), "utf-16-be", chunk), expected);
        EXPECT_EQ(decode(utf16le(text), "UTF-16LE", chunk, 3), expected);
    }
}

TEST(IconvDecoder, Utf16LeKeepsBomWhichTheReaderIgnores) {
    const std::string bytes = utf16le(u"\ufeffa,b\n");
    EXPECT_EQ(decode(bytes, "utf-16-le"),
              "\xEF\xBB\xBF"
              "a,b\n");
    StringSource raw(bytes);
    auto dec = make_decoder(raw, resolve_encoding("utf-16-le"));
    const Parsed got = parse_all(*dec, CsvOptions{});
    EXPECT_EQ(got.rows, (Rows{{"a", "b"}}));
}

TEST(IconvDecoder, Utf16Errors) {
    const DataErrorInfo odd = expect_data_error([] { decode(utf16le(u"a\n") + "b", "utf-16"); });
    EXPECT_EQ(odd.what, "cannot decode as utf-16");
    EXPECT_EQ(odd.line, 2u);
    EXPECT_EQ(odd.value, "0x62");
    const DataErrorInfo surrogate = expect_data_error([] {
        decode(utf16le(u"a\nb\n") + std::string("\x00\xDC", 2) + utf16le(u"c"), "utf-16", 1);
    });
    EXPECT_EQ(surrogate.what, "cannot decode as utf-16");
    EXPECT_EQ(surrogate.line, 3u);
    EXPECT_EQ(surrogate.value, "0x00 0xdc");
}

TEST(IconvDecoder, Latin1NeverFails) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    const std::string out = decode(all, "ISO-8859-1'", 7);
    EXPECT_EQ(out.size(), 128u + 2 * 128u);
    EXPECT_EQ(decode("caf\xE9\n", "latin-1"), "caf\xC3\xA9\n");
}

TEST(IconvDecoder, Cp1252) {
    EXPECT_EQ(decode("\x80 \x93q\x94", "cp1252"), "\xE2\x82\xAC \xE2\x80\x9Cq\xE2\x80\x9D");
    const DataErrorInfo e = expect_data_error([] { decode("a\nb\r\nc\x81", "windows-1252", 1); });
    EXPECT_EQ(e.what, "cannot decode as cp1252");
    EXPECT_EQ(e.line, 3u);
    EXPECT_EQ(e.value, "0x81");
}

TEST(IconvDecoder, AsciiRejectsHighBytes) {
    EXPECT_EQ(decode("plain\n", "us-ascii"), "plain\n");
    const DataErrorInfo e = expect_data_error([] { decode("ok\n\xE9", "ascii"); });
    EXPECT_EQ(e.line, 2u);
    EXPECT_EQ(e.value, "0xe9");
}

TEST(IconvDecoder, FeedsTheReaderThroughTinyBuffers) {
    const std::string bytes = "\xFF\xFE" + utf16le(u"\"a,\u00e9\",b\r\n\r\n c,d\r\n");
    StringSource raw(bytes, 3);
    auto dec = make_decoder(raw, resolve_encoding("utf-16"));
    CsvOptions opt;
    opt.buffer_size = 7;
    const Parsed got = parse_all(*dec, opt);
    EXPECT_EQ(got.rows, (Rows{{"a,\xC3\xA9", "b"}, {" c", "d"}}));
    EXPECT_EQ(got.lines, (std::vector<uint64_t>{1, 3}));
}

// An object store reader over a string, to check ObjectSource passes bytes through untouched.
class StringObjectReader : public store::ObjectReader {
public:
    explicit StringObjectReader(std::string data) : data_(std::move(data)) {}
    size_t read(char* dst, size_t capacity) override {
        const size_t n = std::min({capacity, data_.size() - pos_, size_t(3)});
        std::memcpy(dst, data_.data() + pos_, n);
        pos_ += n;
        return n;
    }

private:
    std::string data_;
    size_t pos_ = 0;
};

TEST(ObjectSource, RawBytesThroughDecoderAndReader) {
    StringObjectReader object("\xEF\xBB\xBFid,v\r\n1,\"caf\xC3\xA9\"\r\n");
    ObjectSource raw(object);
    auto dec = make_decoder(raw, resolve_encoding("utf8"));
    const Parsed got = parse_all(*dec, CsvOptions{});
    EXPECT_EQ(got.rows, (Rows{{"id", "v"}, {"1", "caf\xC3\xA9"}}));
}

TEST(MakeDecoder, AcceptsAnEncodingBuiltFromItsName) {
    StringSource raw("caf\xE9");
    auto dec = make_decoder(raw, Encoding{"latin-1", ""});
    char buf[64];
    const size_t n = dec->read(buf, sizeof buf);
    EXPECT_EQ(std::string(buf, n), "caf\xC3\xA9");
}

// Decodes `bytes` in chunks of `max_chunk`, recording the lines the NUL handler hears of.
std::string decode_hearing_nuls(std::string_view bytes, std::string_view encoding,
                                std::vector<uint64_t>& heard, size_t max_chunk = 1 << 20) {
    StringSource raw(bytes, max_chunk);
    auto dec = make_decoder(raw, resolve_encoding(encoding),
                            [&](uint64_t line) { heard.push_back(line); });
    std::string out;
    std::string buf(1 << 16, '\0');
    while (size_t n = dec->read(buf.data(), buf.size())) out.append(buf.data(), n);
    return out;
}

TEST(NulBytes, BecomeSpacesAndTheFirstIsReportedWithItsLine) {
    const std::string text = std::string("a,b\r\nx,y\ncaf\xC3\xA9 ") + '\0' + "z,w\n" + '\0' + "\n";
    for (size_t chunk : {size_t{1}, size_t{3}, size_t{1} << 20}) {
        std::vector<uint64_t> heard;
        EXPECT_EQ(decode_hearing_nuls(text, "utf-8", heard, chunk),
                  "a,b\r\nx,y\ncaf\xC3\xA9  z,w\n \n")
            << "chunk " << chunk;
        EXPECT_EQ(heard, std::vector<uint64_t>{3}) << "chunk " << chunk;
    }
}

TEST(NulBytes, ThroughIconvToo) {
    std::vector<uint64_t> heard;
    const std::string text = utf16le(u"a\nb") + std::string(2, '\0') + utf16le(u"c\n");
    EXPECT_EQ(decode_hearing_nuls(text, "utf-16-le", heard), "a\nb c\n");
    EXPECT_EQ(heard, std::vector<uint64_t>{2});
}

TEST(NulBytes, TextWithoutNulIsNotReported) {
    std::vector<uint64_t> heard;
    EXPECT_EQ(decode_hearing_nuls("a,b\n1,2\n", "latin-1", heard), "a,b\n1,2\n");
    EXPECT_TRUE(heard.empty());
}

}  // namespace
}  // namespace gdx::csv::test
