#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_clock.hpp>

#include "actors/create_job.hpp"
#include "actors/interfaces.hpp"
#include "config/config.hpp"
#include "core/ids.hpp"
#include "core/ledger.hpp"
#include "core/tenant_view.hpp"

namespace gw {

/// What a tenant actor is configured with (immutable, shared).
struct tenant_env {
  tenant_spec cfg;
  /// Prefix of this tenant's meeting IDs on the nodes.
  std::string node_prefix;
  int64_t default_max_participants = 10;
  int64_t default_duration_minutes = 60;
  /// Default chat texts (the tenant's, else the platform's).
  chat_texts texts;
  /// How nodes reach the gateway (its end callback URL starts here).
  std::string public_url = "http://127.0.0.1:8080";
  /// Length of one API minute in milliseconds (testing.minute_seconds).
  double minute_ms = 60000;
  /// Where the actor publishes the meetings the hot path reads.
  std::shared_ptr<snapshot_slot<tenant_view>> view;
  fleet_actor fleet;
  store_actor store;
  /// Every node's descriptor and health (published by the fleet and nodes).
  std::shared_ptr<snapshot_slot<node_directory>> nodes;
  /// How the actor calls nodes (Beast in production, a fake in tests).
  node_caller call_node;
  /// A meeting with this tenant's prefix that a node runs and nobody can
  /// reach (no row, no create under way) is ended once it has been seen
  /// this long.
  std::chrono::milliseconds orphan_grace{20000};
  /// A create intent restored from the store is adopted when a poll finds
  /// its meeting on its node within this time, else let go.
  std::chrono::milliseconds intent_grace{30000};
};

/// A create intent the actor has recorded (or restored).
struct pending_intent {
  create_intent intent;
  /// Left by an earlier incarnation (the gateway or this actor died with
  /// its create in flight): nobody waits for the node's answer.
  bool restored = false;
  /// Its meeting was found on its node and is being adopted.
  bool adopting = false;
};

/// State of a tenant actor.
struct tenant_actor_state {
  std::shared_ptr<const tenant_env> env;
  ledger book{0};
  /// Counters for the metrics (since this incarnation started).
  int64_t preemptions = 0;
  int64_t failovers = 0;
  /// Keys point into the rows they map to (replace a row: erase, then
  /// emplace).
  std::unordered_map<std::string_view, std::shared_ptr<const meeting_row>>
    meetings;
  /// Changes since the last published snapshot, in order: (old, new) for a
  /// meeting put in place of `old` (null if none), (old, null) for a removal.
  std::vector<std::pair<std::shared_ptr<const meeting_row>,
                        std::shared_ptr<const meeting_row>>>
    changes;
  /// Removals not yet in the published snapshot (a flush is queued).
  bool dirty = false;
  /// When the lapse timers set and not yet fired are due (one, the earliest
  /// booking end, unless an earlier booking came after it was set).
  std::set<int64_t> lapse_timers;
  /// Creates waiting for an in-flight create of the same meetingID.
  std::unordered_map<std::string, std::vector<create_job_ptr>> waiting;
  /// Create intents recorded and not yet settled, by meetingID.
  std::unordered_map<std::string, pending_intent> intents;
  /// Meetings with this tenant's prefix that nodes run and the actor knows
  /// nothing of: (node, node meeting ID) -> when first reported (the
  /// actor clock's time: virtual in tests).
  std::map<std::pair<std::string, std::string>, caf::actor_clock::time_point>
    strangers;

  static inline const char* name = "gw.tenant";
};

/// Spawns a tenant actor with its meetings and create intents restored
/// from the store.
tenant_actor::behavior_type
tenant(tenant_actor::stateful_pointer<tenant_actor_state> self,
       std::shared_ptr<const tenant_env> env, tenant_meetings stored);

} // namespace gw
