#include "cli/app.hpp"

#include <cstdio>

namespace gdx::cli {
int run(int, char**) {
    std::fputs("gdx: not yet implemented\n", stderr);
    return 2;
}
}  // namespace gdx::cli
