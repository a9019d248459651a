#include "util/interrupt.hpp"

#include <csignal>

namespace gdx::util {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int) {
    g_interrupted = 1;
    std::signal(SIGINT, SIG_DFL);
}

}  // namespace

void catch_interrupt() {
    std::signal(SIGINT, on_interrupt);
}

bool interrupted() {
    return g_interrupted != 0;
}

}  // namespace gdx::util
