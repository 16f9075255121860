#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "bench/load_client.hpp"

namespace gw::bench {

/// What the recordings bench measured (issue 13's bar, docs/bench.md).
struct recordings_figures {
  std::size_t recordings = 0;
  /// getRecordings of one meetingID (3 recordings) vs a constant server.
  double one_meeting_ratio = 0;
  /// The same against a server answering a constant as large as one of
  /// those answers (`answer_bytes`).
  double one_meeting_same_size_ratio = 0;
  std::size_t answer_bytes = 0;
  /// A page of 100 with totalElements, open loop: p99.
  double page_p99_us = 0;
  double page_rate = 0;
  /// Joins (open loop) with no reconciliation running, and while every
  /// node's 10,000-recording list is reconciled each second.
  double joins_quiet_p99_us = 0;
  double joins_syncing_p99_us = 0;
  /// A gateway started on a store of `startup_recordings` recordings.
  std::size_t startup_recordings = 0;
  double startup_s = 0;
  double bytes_per_recording = 0;
};

/// Records one load run under a name (the report's scenario table).
using record_fn = std::function<void(const std::string&, const load_result&)>;

/// Runs the recordings scenarios: four simulated nodes holding
/// `recordings` recordings of one tenant, a gateway indexing them, and a
/// start-up with `startup_recordings` recordings in the store (its nodes
/// answer no BBB XML, so nothing changes the restored index).
recordings_figures run_recordings_bench(bool smoke, uint16_t constant_port,
                                        const std::filesystem::path& dir,
                                        const record_fn& record);

} // namespace gw::bench
