#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/recordings_actor.hpp"
#include "config/config.hpp"

namespace gw {

/// What the fleet and its node actors share (immutable).
struct fleet_env {
  /// How node actors call their nodes; null disables polling.
  node_caller call_node;
  /// Time between polls of one node.
  std::chrono::milliseconds poll_interval{10000};
  /// How long a poll may take before it counts as failed.
  std::chrono::milliseconds poll_timeout{5000};
  /// Consecutive failed polls before a node is offline.
  int offline_after = 3;
  /// Consecutive good polls before an offline node is online again.
  int online_after = 2;
  /// A committed meeting never seen by a poll is presumed gone after this.
  std::chrono::milliseconds unseen_grace{60000};
  /// Tenant actors, to report meetings that vanished from a node.
  std::shared_ptr<snapshot_slot<tenant_registry>> tenants;
  /// Where the fleet persists operator changes (may be unset in tests).
  store_actor store;
  /// The recordings index, fed by each node's full list every
  /// `recordings_sync_interval` (unset or 0: no reconciliation).
  recordings_actor recordings;
  std::chrono::milliseconds recordings_sync_interval{0};
  /// The pause between two pages of a reconciliation, so that it spreads
  /// its work instead of taking the CPUs in one burst.
  std::chrono::milliseconds recordings_page_pause{20};
  /// Where nodes deliver webhook events: `<public_url>/_gw/events/`, the
  /// node's id appended (empty: no webhook registration).
  std::string events_url_base;
  /// How often each node's hooks are checked (the gateway's hook is added
  /// again when a node forgot it).
  std::chrono::milliseconds hooks_check_interval{30000};
};

/// One meeting's connections on a node.
struct commitment {
  /// tenant/meetingID: set in restore input only; in the actor's map the
  /// key is the map key (not stored twice).
  std::string key;
  std::string node_meeting_id;
  int64_t n = 0;
  /// A poll has seen the meeting on the node.
  bool seen = false;
  /// The node answered SUCCESS to its create (or it was restored).
  bool confirmed = false;
  /// When it was committed, and confirmed (steady clock).
  std::chrono::steady_clock::time_point since;
  std::chrono::steady_clock::time_point confirmed_at;
};

/// State of one node actor: capacity, commitments, health.
struct node_actor_state {
  config::node_config cfg;
  std::shared_ptr<const node_info> info;
  std::shared_ptr<const fleet_env> env;
  std::unordered_map<std::string, commitment> committed;
  int64_t total = 0;
  bool online = true;
  int failures = 0;
  int successes = 0;
  int64_t poll_seq = 0;
  /// A recordings reconciliation is running (since then): the next one
  /// waits for it, unless it has run for over ten minutes.
  std::optional<std::chrono::steady_clock::time_point> syncing;
  bool polling = false;
  /// When the poll in flight started (steady clock, and wall ms for the
  /// published data's age).
  std::chrono::steady_clock::time_point poll_started;
  int64_t poll_started_ms = 0;
  /// When the last successful poll started (wall ms; 0: none yet).
  int64_t fresh_from_ms = 0;
  /// Usage accounting: participant-milliseconds seen by polls per tenant
  /// since the last hand-over to the store, and when that was.
  std::unordered_map<std::string, int64_t> participant_ms;
  int64_t usage_flushed_ms = 0;
  /// Waiting for the poll in flight, and for the one after it (the poll in
  /// flight started too long ago for them).
  std::vector<live_waiter> waiters_current;
  std::vector<live_waiter> waiters_next;
  /// Tenant prefixes that had unknown meetings here at the last poll (told
  /// again at the next one, even with none, so they stop counting them).
  std::unordered_set<std::string> stranger_prefixes;
  /// The gateway's webhook on the node (node_live::webhooks), a check
  /// under way, and when the next one is due.
  std::string webhooks = "unknown";
  bool hooks_checking = false;
  std::chrono::steady_clock::time_point hooks_next_check;
  fleet_actor fleet;

  /// Returns the current load report.
  node_load load() const;

  /// Returns true when `n` more connections fit and the node takes meetings.
  bool fits(int64_t n) const;

  static inline const char* name = "gw.node";
};

/// Spawns a node actor with the commitments restored from the store:
/// `confirmed` ones (meetings the node created) count as seen; others are
/// creates recorded but unanswered when the gateway stopped.
node_actor::behavior_type
node(node_actor::stateful_pointer<node_actor_state> self,
     config::node_config cfg, std::shared_ptr<const node_info> info,
     fleet_actor fleet, std::vector<commitment> initial,
     std::shared_ptr<const fleet_env> env);

} // namespace gw
