// Splitting of nested cells and the dictionary ids of the CMS Lite job.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "string_writer.hpp"
#include "transform/dictionary_builder.hpp"
#include "transform/nested_cell.hpp"

using namespace gdx::transform;

namespace {

std::vector<std::string> split_cell(std::string_view cell, char delim = '|') {
    std::vector<std::string> out;
    for_each_nested_element(cell, delim, [&](std::string_view e) { out.emplace_back(e); });
    return out;
}

}  // namespace

TEST(NestedCell, StripsOneCharacterEachEndAndSplitsInOrderKeepingDuplicates) {
    EXPECT_EQ(split_cell("|Guide|Form|Guide|"),
              (std::vector<std::string>{"Guide", "Form", "Guide"}));
    EXPECT_EQ(split_cell("|English |"), (std::vector<std::string>{"English "}));
}

TEST(NestedCell, SkipsEmptyElements) {
    EXPECT_TRUE(split_cell("||").empty());
    EXPECT_TRUE(split_cell("|").empty());
    EXPECT_TRUE(split_cell("").empty());
    EXPECT_TRUE(split_cell("|||").empty());
    EXPECT_EQ(split_cell("|a||b|"), (std::vector<std::string>{"a", "b"}));
}

TEST(NestedCell, UnwrappedCellIsStillStrippedTheOriginalWay) {
    EXPECT_FALSE(nested_cell_is_wrapped("English", '|'));
    EXPECT_EQ(split_cell("English"), (std::vector<std::string>{"nglis"}));
    EXPECT_TRUE(nested_cell_is_wrapped("||", '|'));
    EXPECT_FALSE(nested_cell_is_wrapped("|", '|'));
    EXPECT_FALSE(nested_cell_is_wrapped("|a", '|'));
}

TEST(NestedCell, OtherDelimiterAndSpecialCharactersAreData) {
    EXPECT_EQ(split_cell(";a|b;\"q\";back\\slash;line\nbreak;-;", ';'),
              (std::vector<std::string>{"a|b", "\"q\"", "back\\slash", "line\nbreak", "-"}));
}

TEST(NestedDictionary, IdsAreZeroBasedCodePointOrder) {
    NestedDictionary d;
    const uint32_t guide = d.intern("Guide");
    const uint32_t form = d.intern("Form");
    EXPECT_EQ(d.intern("Guide"), guide);  // interned once
    const uint32_t lower = d.intern("form");
    const uint32_t e_acute = d.intern("\xC3\xA9t\xC3\xA9");  // été: after every ASCII value
    const uint32_t z = d.intern("z");
    d.finalize();
    ASSERT_EQ(d.size(), 5u);
    EXPECT_EQ(d.final_id(form), 0u);
    EXPECT_EQ(d.final_id(guide), 1u);
    EXPECT_EQ(d.final_id(lower), 2u);
    EXPECT_EQ(d.final_id(z), 3u);
    EXPECT_EQ(d.final_id(e_acute), 4u);
    EXPECT_EQ(d.value(0), "Form");
    EXPECT_EQ(d.value(4), "\xC3\xA9t\xC3\xA9");
}

TEST(NestedDictionary, ManyValuesKeepStableKeys) {
    // The map's keys view into the stored values: they must survive growth.
    NestedDictionary d;
    for (int i = 999; i >= 0; --i) d.intern("value-with-a-long-enough-text-" + std::to_string(i));
    for (int i = 0; i < 1000; ++i)
        EXPECT_EQ(d.intern("value-with-a-long-enough-text-" + std::to_string(i)),
                  static_cast<uint32_t>(999 - i));
    d.finalize();
    EXPECT_EQ(d.value(0), "value-with-a-long-enough-text-0");
    EXPECT_EQ(d.value(1), "value-with-a-long-enough-text-1");
    EXPECT_EQ(d.value(2), "value-with-a-long-enough-text-10");
}

TEST(NestedDictionary, ValuesThatShareBytesStayDistinct) {
    // Every length around the hash's 4- and 8-byte reads, values that differ in one byte only
    // (first, middle, last) or in length only, and a NUL inside a value.
    std::vector<std::string> values;
    for (size_t n = 1; n <= 40; ++n) {
        std::string base(n, 'a');
        values.push_back(base);
        for (size_t at : {size_t{0}, n / 2, n - 1}) {
            std::string v = base;
            v[at] = 'b';
            values.push_back(v);
        }
    }
    values.push_back(std::string("a\0a", 3));
    std::set<std::string> distinct(values.begin(), values.end());

    NestedDictionary d;
    std::map<std::string, uint32_t> provisional;
    for (const auto& v : values) {
        const uint32_t id = d.intern(v);
        auto [it, inserted] = provisional.emplace(v, id);
        EXPECT_EQ(it->second, id) << v;
    }
    for (const auto& v : values) EXPECT_EQ(d.intern(v), provisional.at(v)) << v;
    d.finalize();
    ASSERT_EQ(d.size(), distinct.size());
    uint32_t final_id = 0;
    for (const auto& v : distinct) {  // std::set orders std::string by unsigned bytes too
        EXPECT_EQ(d.value(final_id), v);
        EXPECT_EQ(d.final_id(provisional.at(v)), final_id);
        ++final_id;
    }
}

TEST(RowKeys, StoresKeysInOneArena) {
    RowKeys k;
    EXPECT_EQ(k.add("N1"), 0u);
    EXPECT_EQ(k.add(""), 1u);
    EXPECT_EQ(k.add("N3"), 2u);
    EXPECT_EQ(k.size(), 3u);
    EXPECT_EQ(k[0], "N1");
    EXPECT_EQ(k[1], "");
    EXPECT_EQ(k[2], "N3");
}

TEST(NestedColumn, CountsLookupRowsInInputOrder) {
    NestedColumn c('|');
    c.add_cell(0, "|Guide|Form|Guide|");
    c.add_cell(2, "|form|");
    c.add_cell(3, "||");
    c.finalize();
    EXPECT_EQ(c.lookup_rows(), 4u);
    EXPECT_EQ(c.dictionary().size(), 3u);
}

namespace {

// Collects what a BatchWriter writes.
}  // namespace

TEST(NestedColumn, WritesDictionaryAndLookupsWithFinalIds) {
    // a..l seen in reverse order, then "b\\c": final ids 0..12 (two digits from 10).
    NestedColumn c('|'), other('|');
    std::string cell = "|";
    for (char v = 'l'; v >= 'a'; --v) cell += std::string(1, v) + "|";
    c.stage_cell(0, cell);
    other.stage_cell(0, "|x|");
    c.stage_cell(1, "|k|a|k|");  // staged before the first commit: same dictionary entries
    c.commit_staged();
    other.commit_staged();
    c.add_cell(2, "|b\\c|");
    c.finalize();
    other.finalize();

    RowKeys keys;
    keys.add("N0");
    keys.add("N|1");
    keys.add("N2");
    gdx::test::StringWriter dict_sink, lookup_sink;
    {
        gdx::csv::BatchWriter w(dict_sink);
        c.write_dictionary({"id", "value"}, w);
        w.flush();
    }
    {
        gdx::csv::BatchWriter w(lookup_sink);
        c.write_lookup(keys, {"node_id", "id"}, w);
        w.flush();
    }
    EXPECT_EQ(dict_sink.data,
              "id|value\n0|a\n1|b\n2|b\\\\c\n3|c\n4|d\n5|e\n6|f\n7|g\n8|h\n9|i\n10|j\n11|k\n"
              "12|l\n");
    EXPECT_EQ(lookup_sink.data,
              "node_id|id\nN0|12\nN0|11\nN0|10\nN0|9\nN0|8\nN0|7\nN0|6\nN0|5\nN0|4\nN0|3\nN0|1\n"
              "N0|0\nN\\|1|11\nN\\|1|0\nN\\|1|11\nN2|2\n");
    EXPECT_EQ(other.dictionary().size(), 1u);
    EXPECT_EQ(other.lookup_rows(), 1u);
}
