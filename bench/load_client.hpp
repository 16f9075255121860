#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gw::bench {

/// How to drive a server.
struct load_options {
  uint16_t port = 0;
  /// Pre-signed request targets (path and query), used round-robin, or in
  /// order per connection when `partitioned`.
  std::vector<std::string> targets;
  std::size_t connections = 32;
  std::chrono::milliseconds duration{2000};
  /// Requests per second over all connections; 0 is closed-loop (each
  /// connection sends its next request when the answer arrived).
  double rate = 0;
  /// Connection i uses targets[i * n/connections ...] in order (sequences
  /// such as create/end pairs).
  bool partitioned = false;
  /// Stop a partitioned run when a connection runs out of targets.
  std::string host = "127.0.0.1";
};

/// What a run measured. Latencies in microseconds; in open-loop mode from
/// the intended send time (no coordinated omission).
struct load_result {
  uint64_t requests = 0;
  uint64_t errors = 0;
  double seconds = 0;
  double rps = 0;
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  /// CPU time per answered request: the whole process (generator and the
  /// servers it drives) and the generator thread alone; the difference is
  /// what the server side spent. Unlike requests/s on a shared machine,
  /// these hardly move from run to run.
  double cpu_us_per_request = 0;
  double generator_cpu_us_per_request = 0;
  /// CPU time per answered request by thread group (thread name without
  /// its `-<n>` suffix: gw-io, sim-io, const-io, caf.*, bench-load).
  std::map<std::string, double> cpu_us_by_thread;
  std::map<unsigned, uint64_t> statuses;
};

/// Runs the load on one thread of its own (Beast client, keep-alive).
load_result run_load(const load_options& opts);

} // namespace gw::bench
