// interrupt.cpp — a signal handler that only sets a flag (see interrupt.hpp).
//
// A signal handler may run between any two instructions of the program, so it must not
// allocate, print or save: it only stores to a lock-free atomic flag, the one thing POSIX
// promises is safe there. All real work happens in the training loop when it reads the flag.
#include "tinyattn/app/interrupt.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace tinyattn {

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag must be safe to set from a signal handler");

extern "C" void on_interrupt(int signal) {
    if (g_interrupted.load()) {       // the second one: give up waiting, die the default way
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    g_interrupted.store(true);
}

}  // namespace

void install_interrupt_handler() {
    struct sigaction action = {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;     // a read() or write() in progress continues, not EINTR
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() { return g_interrupted.load(); }
void clear_interrupt() { g_interrupted.store(false); }

void exit_after_interrupt(const std::string& saved_checkpoint) {
    if (saved_checkpoint.empty())
        std::printf("\ninterrupted: this phase keeps no checkpoint, nothing was saved\n");
    else
        std::printf("\ninterrupted: saved %s — continue with --resume %s (the interrupted epoch starts again)\n",
                    saved_checkpoint.c_str(), saved_checkpoint.c_str());
    std::fflush(stdout);
    std::exit(130);  // the shell's convention for "stopped by Ctrl-C" (128 + SIGINT)
}

}  // namespace tinyattn
