// Where the tests find the source tree, the gdx binary and the default original-configs folder.
// The values live in one generated file of the build tree (tests/CMakeLists.txt), not in
// compile definitions, so that test sources compile to the same object in every checkout and
// the compiler cache is shared between them.
#pragma once

#include <string>

namespace gdx::testing {

std::string source_dir();
std::string gdx_binary();
std::string original_configs_default();

}  // namespace gdx::testing
