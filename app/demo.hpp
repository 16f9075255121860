#pragma once

#include <cstdint>
#include <string>

namespace gw {

/// Options of `bbbgate demo`.
struct demo_options {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  /// Stop after this many seconds (0: run until SIGINT/SIGTERM).
  int seconds = 0;
};

/// Runs a gateway with two simulated nodes and a demo tenant, printing the
/// tenant's API URL and secret. Returns the process exit code.
int run_demo(const demo_options& opts);

} // namespace gw
