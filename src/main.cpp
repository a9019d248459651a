#include "cli/app.hpp"

int main(int argc, char** argv) {
    return gdx::cli::run(argc, argv);
}
