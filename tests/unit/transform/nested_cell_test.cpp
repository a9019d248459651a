// Splitting of nested cells and the dictionary ids of the CMS Lite job.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "transform/dictionary_builder.hpp"
#include "transform/nested_cell.hpp"

using namespace gdx::transform;

namespace {

std::vector<std::string> split(std::string_view cell, char delim = '|') {
    std::vector<std::string> out;
    for_each_nested_element(cell, delim, [&](std::string_view e) { out.emplace_back(e); });
    return out;
}

}  // namespace

TEST(NestedCell, StripsOneCharacterEachEndAndSplitsInOrderKeepingDuplicates) {
    EXPECT_EQ(split("|Guide|Form|Guide|"), (std::vector<std::string>{"Guide", "Form", "Guide"}));
    EXPECT_EQ(split("|English |"), (std::vector<std::string>{"English "}));
}

TEST(NestedCell, SkipsEmptyElements) {
    EXPECT_TRUE(split("||").empty());
    EXPECT_TRUE(split("|").empty());
    EXPECT_TRUE(split("").empty());
    EXPECT_TRUE(split("|||").empty());
    EXPECT_EQ(split("|a||b|"), (std::vector<std::string>{"a", "b"}));
}

TEST(NestedCell, UnwrappedCellIsStillStrippedTheOriginalWay) {
    EXPECT_FALSE(nested_cell_is_wrapped("English", '|'));
    EXPECT_EQ(split("English"), (std::vector<std::string>{"nglis"}));
    EXPECT_TRUE(nested_cell_is_wrapped("||", '|'));
    EXPECT_FALSE(nested_cell_is_wrapped("|", '|'));
    EXPECT_FALSE(nested_cell_is_wrapped("|a", '|'));
}

TEST(NestedCell, OtherDelimiterAndSpecialCharactersAreData) {
    EXPECT_EQ(split(";a|b;\"q\";back\\slash;line\nbreak;-;", ';'),
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
