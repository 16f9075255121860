#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

namespace gw {

/// A single-writer, many-reader slot holding an immutable snapshot: the
/// owning actor publishes, io threads read without locks.
template <class T>
class snapshot_slot {
public:
  snapshot_slot() : value_(std::make_shared<const T>()) {}

  /// Returns the current snapshot.
  std::shared_ptr<const T> load() const {
    return std::atomic_load_explicit(&value_, std::memory_order_acquire);
  }

  /// Publishes a new snapshot (owning actor only).
  void store(std::shared_ptr<const T> v) {
    std::atomic_store_explicit(&value_, std::move(v),
                               std::memory_order_release);
    publications_.fetch_add(1, std::memory_order_relaxed);
  }

  /// How many snapshots were published (for /metrics).
  uint64_t publications() const {
    return publications_.load(std::memory_order_relaxed);
  }

private:
  std::shared_ptr<const T> value_;
  std::atomic<uint64_t> publications_{0};
};

} // namespace gw
