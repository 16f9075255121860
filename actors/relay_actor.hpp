#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/interfaces.hpp"
#include "actors/messages.hpp"
#include "core/node_call.hpp"
#include "core/relay.hpp"

namespace gw {

/// A relay on its way to the relay actor (local only).
using relay_job_ptr = std::shared_ptr<const relay_job>;

/// Relays handed over by a caller that answers someone once they are safe
/// (a node's callback is acknowledged only then): `done(true)` once they
/// are in the outbox, `done(false)` when the outbox could not take them
/// (they are delivered all the same while the gateway runs: the node
/// would not send them again). `done` may only post or send.
struct relay_handoff {
  std::vector<relay_job> jobs;
  std::function<void(bool)> done;
};
using relay_handoff_ptr = std::shared_ptr<relay_handoff>;

/// How the relay actor delivers.
struct relay_env {
  web_caller send;
  /// The outbox: every relay is written there before it is taken on, so a
  /// restart resumes it (unset: memory only).
  store_actor store;
  /// Wall-clock milliseconds (the outbox's created_ms; tests fix it).
  std::function<int64_t()> now_ms;
  /// A delivery's first retry waits this long; each next one twice as
  /// long, up to max_delay (design.md §6: the first after at most 5 s, each
  /// next at most double the last).
  std::chrono::milliseconds first_delay{2000};
  std::chrono::milliseconds max_delay{std::chrono::minutes(10)};
  /// A delivery is given up this long after it was handed over
  /// (callbacks.retry_for_hours).
  std::chrono::milliseconds retry_for{std::chrono::hours(24)};
  /// Deliveries in flight per destination (host:port) while it answers;
  /// one (a probe) after it failed, until it answers again. One slow or
  /// dead receiver never holds up another's deliveries.
  int per_destination = 4;
  std::chrono::milliseconds timeout{10000};
  /// Deliveries held in memory per destination; the rest wait in the
  /// outbox and are read back as these go (memory stays bounded with a
  /// receiver that never answers). Only with a store.
  std::size_t memory_per_destination = 512;
  /// True for a destination the gateway must never call (itself, its
  /// nodes): such relays are dropped (logged).
  std::function<bool(const url_parts&)> forbidden;
};

/// What a restarted relay actor resumes (the outbox's summary).
struct relay_restore {
  int64_t next_id = 1;
  std::vector<std::string> destinations;
};

/// What the relay actor has done so far.
struct relay_stats {
  /// Deliveries held in memory (more may wait in the outbox).
  int64_t pending = 0;
  int64_t delivered = 0;
  int64_t given_up = 0;
  /// Relays dropped at once: a bad URL or a forbidden destination.
  int64_t refused = 0;
  /// Destinations failing now (in probe mode).
  int64_t failing = 0;
  /// Outcomes by "<kind>/<outcome>" (kind: end, recording-ready,
  /// analytics, webhook; outcome: delivered, given_up, refused).
  std::map<std::string, int64_t> by_kind;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, relay_stats& x) {
  return f(caf::meta::type_name("relay_stats"), x.pending, x.delivered,
           x.given_up, x.refused, x.failing, x.by_kind);
}

/// The RELAY actor: owns every callback the gateway owes its clients (end,
/// recording-ready, analytics, webhook events) and delivers each at least
/// once: 2xx or 410 ends a delivery (as BBB's scripts treat them; 401 too
/// for webhook events, as bbb-webhooks does), anything else is retried
/// with the delivery's own doubling delay for `retry_for`. Deliveries run
/// on the io threads' clients (`send`); their outcomes come back as
/// messages.
///
/// Durable: a relay is written to the outbox before it is taken on (the
/// batch form answers only then, so a node's event is acknowledged only
/// once it is safe) and removed when done. Per destination: at most
/// `per_destination` in flight, one after a failure; at most
/// `memory_per_destination` held, the rest read back from the outbox in
/// order. Spawned with the outbox's summary, it resumes every destination.
using relay_actor = caf::typed_actor<
  caf::reacts_to<atom::relay, relay_job_ptr>,
  // Relays these; true once they are in the outbox (or taken on, without
  // a store), false when the outbox could not take them (none is sent).
  caf::replies_to<atom::relay, std::vector<relay_job>>::with<bool>,
  // Relays these, then calls their `done` (see relay_handoff).
  caf::reacts_to<atom::relay, relay_handoff_ptr>,
  // Delivery `id` ended with HTTP `status` (0: no answer).
  caf::reacts_to<atom::delivered, int64_t, int64_t>,
  // Destination `dest` may have a delivery due.
  caf::reacts_to<atom::retry, std::string>,
  caf::replies_to<atom::stats>::with<relay_stats>>;

struct relay_state {
  struct delivery {
    relay_job_ptr job;
    url_parts ep;
    std::string target;
    int attempts = 0;
    bool flying = false;
    std::chrono::milliseconds next_delay{0};
    caf::actor_clock::time_point not_before;
    caf::actor_clock::time_point given_up_at;
  };
  struct destination {
    /// Held deliveries by id (oldest first).
    std::map<int64_t, delivery> held;
    int in_flight = 0;
    /// Failing: one delivery at a time, not before `probe_at`, until one
    /// succeeds; `delay` doubles with each failure in a row.
    bool failing = false;
    std::chrono::milliseconds delay{0};
    caf::actor_clock::time_point probe_at;
    /// More of its relays wait in the outbox only.
    bool spilled = false;
    bool loading = false;
    int64_t arrived_while_loading = 0;
    /// The highest id ever held (loads continue after it).
    int64_t loaded_upto = 0;
    /// When its wake-up timer fires (none: time_point{}).
    caf::actor_clock::time_point wake_at;
  };
  std::shared_ptr<const relay_env> env;
  int64_t next_id = 1;
  std::unordered_map<std::string, destination> dests;
  /// Where each held delivery's destination is, by id.
  std::unordered_map<int64_t, std::string> where;
  relay_stats stats;

  static inline const char* name = "gw.relay";
};

relay_actor::behavior_type
relay(relay_actor::stateful_pointer<relay_state> self,
      std::shared_ptr<const relay_env> env, relay_restore restored);

} // namespace gw

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::relay_job_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::relay_handoff_ptr)
