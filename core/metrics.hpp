#pragma once

// Counters and histograms that one thread writes and a scrape reads:
// relaxed atomics, no lock, no message (design.md §9). A writer owns its
// instance (one per io thread, or one actor's); the scrape only loads.
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace gw {

/// The latency buckets of every histogram (seconds, upper bounds; +Inf
/// implied).
inline constexpr std::array<double, 14> latency_buckets{
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
  0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   2.5};

/// A Prometheus histogram (non-cumulative buckets; the scrape adds them
/// up).
struct latency_histogram {
  std::array<std::atomic<uint64_t>, latency_buckets.size() + 1> buckets{};
  std::atomic<uint64_t> count{0};
  std::atomic<uint64_t> sum_ns{0};

  void observe(std::chrono::nanoseconds d) {
    auto s = std::chrono::duration<double>(d).count();
    std::size_t i = 0;
    while (i < latency_buckets.size() && s > latency_buckets[i])
      ++i;
    buckets[i].fetch_add(1, std::memory_order_relaxed);
    count.fetch_add(1, std::memory_order_relaxed);
    sum_ns.fetch_add(static_cast<uint64_t>(d.count() < 0 ? 0 : d.count()),
                     std::memory_order_relaxed);
  }
};

/// The store actor's figures: each commit's duration, and how many writes
/// its last group commit took (those that queued up while the commit
/// before ran).
struct store_metrics {
  latency_histogram commits;
  std::atomic<int64_t> queued{0};
};

/// A plain snapshot of histograms added together (scrape side).
struct histogram_sum {
  std::array<uint64_t, latency_buckets.size() + 1> buckets{};
  uint64_t count = 0;
  double sum_seconds = 0;

  void add(const latency_histogram& h) {
    for (std::size_t i = 0; i < buckets.size(); ++i)
      buckets[i] += h.buckets[i].load(std::memory_order_relaxed);
    count += h.count.load(std::memory_order_relaxed);
    sum_seconds +=
      static_cast<double>(h.sum_ns.load(std::memory_order_relaxed)) / 1e9;
  }
};

} // namespace gw
