// The handler only stores the signal number: everything else happens in the training loop.
#include "train/signals.h"

#include <csignal>

namespace mlc {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void note_stop_signal(int signal) {
  if (g_stop_signal == 0) g_stop_signal = signal;
  // A second signal of either kind ends the process at once (SA_RESETHAND resets only this one).
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

void set_action(int signal, void (*handler)(int)) {
  struct sigaction sa = {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = handler == SIG_DFL ? 0 : SA_RESETHAND | SA_RESTART;  // file I/O continues
  sigaction(signal, &sa, nullptr);
}

}  // namespace

void install_stop_handlers() {
  g_stop_signal = 0;
  set_action(SIGINT, note_stop_signal);
  set_action(SIGTERM, note_stop_signal);
}

void remove_stop_handlers() {
  set_action(SIGINT, SIG_DFL);
  set_action(SIGTERM, SIG_DFL);
}

int pending_stop_signal() { return g_stop_signal; }

const char* signal_name(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "a signal";
  }
}

int signal_exit_status(int signal) { return 128 + signal; }

}  // namespace mlc
