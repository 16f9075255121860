#include "app/signals.hpp"

#include <csignal>

#include <pthread.h>

namespace gw {

namespace {

sigset_t stop_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

} // namespace

void block_stop_signals() {
  auto set = stop_set();
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A closed client socket must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
}

int wait_for_stop_signal(int seconds) {
  auto set = stop_set();
  if (seconds <= 0) {
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
  }
  timespec timeout{seconds, 0};
  int sig = sigtimedwait(&set, nullptr, &timeout);
  return sig < 0 ? 0 : sig;
}

int wait_for_stop_or_reload() {
  auto set = stop_set();
  sigaddset(&set, SIGHUP);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

} // namespace gw
