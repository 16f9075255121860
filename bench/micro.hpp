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

/// Runs the Google Benchmark micro-benchmarks (bench/micro.cpp); `smoke`
/// keeps each one to a few milliseconds.
std::vector<micro_result> run_micro(bool smoke);

} // namespace gw::bench
