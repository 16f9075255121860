#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "bench/load_client.hpp"

namespace gw::bench {

/// What the operations bench measured (issue 16, docs/bench.md): the same
/// load on a gateway without and one with the access log on and /metrics
/// scraped every second, in alternating rounds.
struct operations_figures {
  load_result base;
  load_result subject;
  /// subject/base throughput of the median round, and every round's.
  double ratio = 0;
  std::vector<double> rounds;
  /// Scrapes made and their mean duration (ms); access-log lines written
  /// and requests answered during the subject's runs.
  std::size_t scrapes = 0;
  double scrape_ms = 0;
  std::size_t metrics_bytes = 0;
  std::size_t access_lines = 0;
  uint64_t subject_requests = 0;
};

/// Runs `base` and `subject` alternately for `rounds` rounds. During each
/// subject run a thread scrapes GET /metrics on `metrics_port` every second
/// and standard output (where the access log writes, as under journald)
/// goes to `access_file`.
operations_figures
run_operations_bench(load_options base, load_options subject,
                     uint16_t metrics_port, int rounds,
                     const std::filesystem::path& access_file);

} // namespace gw::bench
