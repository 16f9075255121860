#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "actors/interfaces.hpp"
#include "core/metrics.hpp"
#include "store/repositories.hpp"

namespace gw {

/// State of the store actor: the repositories and the meeting writes
/// waiting for the next commit.
struct store_state {
  store::repositories repos;
  std::vector<store::meeting_write> pending;
  /// Who waits for each pending write (empty for erases): called with
  /// whether it was committed.
  std::vector<std::function<void(bool)>> waiting;
  /// Outbox writes waiting for the next commit, and who waits for each.
  std::vector<store::outbox_write> outbox;
  std::vector<std::function<void(bool)>> outbox_waiting;
  /// Each commit's duration and the queue (the metrics read it; may be
  /// null).
  std::shared_ptr<store_metrics> metrics;
  static inline const char* name = "gw.store";
};

/// Serves the database; spawn it detached (SQLite blocks). Meeting writes
/// are group-committed: each is queued with a `flush` behind it, and the
/// flush commits everything queued in one transaction before anyone who
/// wrote hears back (a create is durable before its SUCCESS, as before,
/// but many creates share one commit under load).
store_actor::behavior_type
store_service(store_actor::stateful_pointer<store_state> self,
              store::repositories repos);

/// The same, timing every commit and sampling its queue into `metrics`
/// (bbbgate_store_commit_seconds, bbbgate_store_queue_length).
store_actor::behavior_type
store_service_timed(store_actor::stateful_pointer<store_state> self,
                    store::repositories repos,
                    std::shared_ptr<store_metrics> metrics);

} // namespace gw
