#pragma once

#include <cstddef>
#include <filesystem>

namespace gw::bench {

/// What the webhooks bench measured (issue 15, docs/bench.md).
struct webhooks_figures {
  /// Node events posted to the gateway per second (open loop) and each
  /// tenant hook's share: every event goes to `hooks` hooks.
  double events_per_s = 0;
  std::size_t events = 0;
  std::size_t hooks = 0;
  std::size_t delivered = 0;
  /// From the node's POST to the hook's receiving it (ms).
  double delivery_p50_ms = 0;
  double delivery_p99_ms = 0;
  double delivery_p999_ms = 0;
  /// The baseline in the same run: the same POSTs straight to a receiver.
  double direct_p99_ms = 0;
  /// The node's POST answered (the deliveries are in the outbox then).
  double ack_p99_ms = 0;
  /// Whole-process CPU per node event (gateway, receivers, sender).
  double cpu_us_per_event = 0;
  /// The outbox alone: writing and later removing one event's deliveries
  /// (`hooks` rows, one transaction per event), per event.
  double outbox_write_us_per_event = 0;
  /// A receiver down while an hour of events at `down_rate` arrives for
  /// it: resident memory after 10 % and after all of them (KiB), and the
  /// deliveries waiting in the outbox at the end.
  double down_rate = 0;
  std::size_t down_events = 0;
  double rss_at_10pct_kib = 0;
  double rss_at_end_kib = 0;
  std::size_t outbox_rows = 0;
};

/// Runs the webhooks scenarios on loopback: an in-process gateway with one
/// (simulated) node, receivers for the hooks, and senders posting node
/// events signed with the node's secret.
webhooks_figures run_webhooks_bench(bool smoke,
                                    const std::filesystem::path& dir);

} // namespace gw::bench
