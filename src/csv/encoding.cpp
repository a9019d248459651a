#include "csv/encoding.hpp"

#include <array>
#include <string_view>
#include <vector>

#include "csv/decoders.hpp"
#include "util/error.hpp"

namespace gdx::csv {
namespace {

struct Codec {
    const char* canonical;
    const char* iconv;  // "" = native UTF-8 validator
    // Normalised Python names (encodings.aliases). A vector, not an initializer_list: clang
    // 14 did not keep the array behind an initializer_list member of this static table
    // alive, and the lookup read a null alias (the fuzz build, docs/reliability.md).
    std::vector<std::string_view> aliases;
};

// A subset of Python's encodings.aliases covering what iconv also knows.
const std::array kCodecs = {
    Codec{"utf-8",
          "",
          {"utf_8", "u8", "utf", "utf8", "utf8_ucs2", "utf8_ucs4", "cp65001", "utf_8_sig",
           "utf8_sig"}},
    Codec{"utf-16", "UTF-16", {"utf_16", "u16", "utf16"}},
    Codec{"utf-16-le", "UTF-16LE", {"utf_16_le", "utf_16le", "unicodelittleunmarked"}},
    Codec{"utf-16-be", "UTF-16BE", {"utf_16_be", "utf_16be", "unicodebigunmarked"}},
    Codec{"utf-32", "UTF-32", {"utf_32", "u32", "utf32"}},
    Codec{"utf-32-le", "UTF-32LE", {"utf_32_le", "utf_32le"}},
    Codec{"utf-32-be", "UTF-32BE", {"utf_32_be", "utf_32be"}},
    Codec{"latin-1",
          "ISO-8859-1",
          {"latin_1", "latin1", "latin", "l1", "iso_8859_1", "iso8859_1", "iso8859", "8859",
           "cp819", "ibm819", "csisolatin1", "iso_8859_1_1987", "iso_ir_100"}},
    Codec{"ascii",
          "ASCII",
          {"ascii", "us_ascii", "646", "ansi_x3.4_1968", "ansi_x3_4_1968", "ansi_x3.4_1986",
           "cp367", "csascii", "ibm367", "iso646_us", "iso_646.irv_1991", "iso_ir_6", "us"}},
    Codec{"cp1250", "CP1250", {"cp1250", "windows_1250", "1250"}},
    Codec{"cp1251", "CP1251", {"cp1251", "windows_1251", "1251"}},
    Codec{"cp1252", "CP1252", {"cp1252", "windows_1252", "1252"}},
    Codec{"cp1253", "CP1253", {"cp1253", "windows_1253", "1253"}},
    Codec{"cp1254", "CP1254", {"cp1254", "windows_1254", "1254"}},
    Codec{"cp1255", "CP1255", {"cp1255", "windows_1255", "1255"}},
    Codec{"cp1256", "CP1256", {"cp1256", "windows_1256", "1256"}},
    Codec{"cp1257", "CP1257", {"cp1257", "windows_1257", "1257"}},
    Codec{"cp1258", "CP1258", {"cp1258", "windows_1258", "1258"}},
    Codec{"iso-8859-2",
          "ISO-8859-2",
          {"iso8859_2", "iso_8859_2", "latin2", "l2", "csisolatin2", "iso_8859_2_1987",
           "iso_ir_101"}},
    Codec{"iso-8859-5",
          "ISO-8859-5",
          {"iso8859_5", "iso_8859_5", "cyrillic", "csisolatincyrillic", "iso_ir_144"}},
    Codec{"iso-8859-7", "ISO-8859-7", {"iso8859_7", "iso_8859_7", "greek", "greek8"}},
    Codec{"iso-8859-9", "ISO-8859-9", {"iso8859_9", "iso_8859_9", "latin5", "l5"}},
    Codec{"iso-8859-15", "ISO-8859-15", {"iso8859_15", "iso_8859_15", "latin9", "l9"}},
    Codec{"cp437", "CP437", {"cp437", "437", "ibm437", "cspc8codepage437"}},
    Codec{"cp850", "CP850", {"cp850", "850", "ibm850", "cspc850multilingual"}},
    Codec{"mac-roman", "MACINTOSH", {"mac_roman", "macroman", "macintosh"}},
    Codec{"koi8-r", "KOI8-R", {"koi8_r", "cskoi8r"}},
    Codec{"koi8-u", "KOI8-U", {"koi8_u"}},
    Codec{"shift_jis", "SHIFT_JIS", {"shift_jis", "csshiftjis", "shiftjis", "sjis", "s_jis"}},
    Codec{"cp932", "CP932", {"cp932", "932", "ms932", "mskanji", "ms_kanji"}},
    Codec{"euc-jp", "EUC-JP", {"euc_jp", "eucjp", "ujis", "u_jis"}},
    Codec{"gb2312",
          "EUC-CN",
          {"gb2312", "chinese", "euc_cn", "euccn", "eucgb2312_cn", "gb2312_1980", "gb2312_80",
           "iso_ir_58", "csiso58gb231280"}},
    Codec{"gbk", "GBK", {"gbk", "936", "cp936", "ms936"}},
    Codec{"gb18030", "GB18030", {"gb18030", "gb18030_2000"}},
    Codec{"big5", "BIG5", {"big5", "big5_tw", "csbig5"}},
    Codec{"euc-kr",
          "EUC-KR",
          {"euc_kr", "euckr", "korean", "ksc5601", "ks_c_5601", "ks_c_5601_1987", "ksx1001",
           "ks_x_1001"}},
    Codec{"cp949", "CP949", {"cp949", "949", "ms949", "uhc"}},
};

const Codec* find_codec(std::string_view normalised) {
    for (const Codec& c : kCodecs)
        for (std::string_view alias : c.aliases)
            if (normalised == alias) return &c;
    return nullptr;
}

}  // namespace

std::string normalize_codec_name(std::string_view name) {
    std::string out;
    bool punct = false;
    for (char ch : name) {
        char c = ch;
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
        if (keep) {
            if (punct && !out.empty()) out += '_';
            out += c;
            punct = false;
        } else {
            punct = true;
        }
    }
    return out;
}

Encoding resolve_encoding(std::string_view python_codec_name) {
    const std::string norm = normalize_codec_name(python_codec_name);
    const Codec* codec = find_codec(norm);
    if (!codec) {  // Python retries with '.' -> '_'
        std::string dotless = norm;
        for (char& c : dotless)
            if (c == '.') c = '_';
        codec = find_codec(dotless);
    }
    if (!codec)
        throw ConfigError("unknown encoding '" + std::string(python_codec_name) +
                          "' (not a Python codec name gdx supports)");
    return Encoding{codec->canonical, codec->iconv};
}

std::unique_ptr<ByteSource> make_decoder(ByteSource& raw, const Encoding& enc, NulHandler on_nul) {
    // An Encoding built by hand may carry only its name.
    const Encoding e =
        (enc.iconv_name.empty() && enc.name != "utf-8") ? resolve_encoding(enc.name) : enc;
    std::unique_ptr<detail::StagedSource> decoder;
    if (e.iconv_name.empty())
        decoder = std::make_unique<detail::Utf8Decoder>(raw);
    else
        decoder = std::make_unique<detail::IconvDecoder>(raw, e);
    decoder->set_nul_handler(std::move(on_nul));
    return decoder;
}

}  // namespace gdx::csv
