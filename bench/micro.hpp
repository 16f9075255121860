#pragma once

#include <string>
#include <vector>

namespace gw::bench {

/// One micro-benchmark result.
struct micro_result {
  std::string name;
  /// Nanoseconds per iteration (wall clock).
  double ns = 0;
};

/// Runs the Google Benchmark micro-benchmarks (bench/micro.cpp) whose name
/// matches `filter` (a regular expression; empty: all); `smoke` keeps each
/// one to a few milliseconds.
std::vector<micro_result> run_micro(bool smoke, const std::string& filter = {});

} // namespace gw::bench
