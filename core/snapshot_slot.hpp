#pragma once

#include <atomic>
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
  }

private:
  std::shared_ptr<const T> value_;
};

} // namespace gw
