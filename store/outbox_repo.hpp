#pragma once

#include <cstdint>
#include <vector>

#include "core/expected.hpp"
#include "core/relay.hpp"

namespace gw::store {

/// One change to the outbox: a relay written, or the one with `job.id`
/// removed (delivered or given up).
struct outbox_write {
  bool erase = false;
  relay_job job;
};

/// The relays owed to clients, durably (migration 5). Used by the store
/// actor only (blocking).
class outbox_repo {
public:
  virtual ~outbox_repo() = default;

  /// Every pending relay, oldest first.
  virtual expected<std::vector<relay_job>> load_outbox() = 0;

  /// Applies `writes` in order, all or nothing.
  virtual expected<void>
  write_outbox(const std::vector<outbox_write>& writes) = 0;
};

} // namespace gw::store
