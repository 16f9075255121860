#pragma once

#include <cstdint>
#include <string>
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

/// What a restarted gateway resumes: the next free relay id and the
/// destinations with relays pending (their relays are loaded a window at a
/// time, so memory stays bounded however many wait).
struct outbox_summary {
  int64_t next_id = 1;
  std::vector<std::string> destinations;
};

/// The relays owed to clients, durably (migrations 5 and 8). Used by the
/// store actor only (blocking).
class outbox_repo {
public:
  virtual ~outbox_repo() = default;

  /// The next id and the destinations with pending relays.
  virtual expected<outbox_summary> outbox_summary_now() = 0;

  /// Up to `limit` pending relays to `dest` with an id above `after_id`,
  /// oldest first.
  virtual expected<std::vector<relay_job>>
  load_outbox(const std::string& dest, int64_t after_id, int64_t limit) = 0;

  /// Every pending relay, oldest first (tests, tools).
  virtual expected<std::vector<relay_job>> load_outbox() = 0;

  /// Applies `writes` in order, all or nothing.
  virtual expected<void>
  write_outbox(const std::vector<outbox_write>& writes) = 0;
};

} // namespace gw::store
