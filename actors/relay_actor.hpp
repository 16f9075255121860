#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
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

/// How the relay actor delivers.
struct relay_env {
  web_caller send;
  /// The outbox: every relay is written there until it is done, so a
  /// restart resumes it (unset: memory only).
  store_actor store;
  /// Wall-clock milliseconds (the outbox's created_ms; tests fix it).
  std::function<int64_t()> now_ms;
  /// The first retry waits this long; each next one twice as long, up to
  /// max_delay (design.md §6: the first after at most 5 s, each next at
  /// most double the last).
  std::chrono::milliseconds first_delay{2000};
  std::chrono::milliseconds max_delay{std::chrono::minutes(10)};
  /// A delivery is given up this long after it was handed over
  /// (callbacks.retry_for_hours).
  std::chrono::milliseconds retry_for{std::chrono::hours(24)};
  /// Deliveries in flight per destination (host:port): one slow receiver
  /// never holds up another's.
  int per_destination = 4;
  std::chrono::milliseconds timeout{10000};
};

/// What the relay actor has done so far.
struct relay_stats {
  int64_t pending = 0;
  int64_t delivered = 0;
  int64_t given_up = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, relay_stats& x) {
  return f(caf::meta::type_name("relay_stats"), x.pending, x.delivered,
           x.given_up);
}

/// The RELAY actor: owns every callback the gateway owes its clients and
/// delivers each at least once while the gateway runs: 2xx or 410 ends a
/// delivery (as BBB's scripts treat them), anything else is retried with
/// exponential backoff for `retry_for`. Deliveries run on the io threads'
/// clients (`send`); their outcomes come back as messages.
///
/// Durable: each relay is in the store's outbox from when it is handed
/// over until it is done; spawned with what the outbox held, it resumes
/// those at once (each keeping its deadline).
using relay_actor =
  caf::typed_actor<caf::reacts_to<atom::relay, relay_job_ptr>,
                   // Delivery `id` ended with HTTP `status` (0: no answer).
                   caf::reacts_to<atom::delivered, int64_t, int64_t>,
                   caf::reacts_to<atom::retry, int64_t>,
                   caf::replies_to<atom::stats>::with<relay_stats>>;

struct relay_state {
  struct delivery {
    relay_job_ptr job;
    url_parts ep;
    std::string target;
    std::string dest;
    int attempts = 0;
    std::chrono::milliseconds next_delay{0};
    caf::actor_clock::time_point given_up_at;
  };
  std::shared_ptr<const relay_env> env;
  int64_t next_id = 1;
  std::map<int64_t, delivery> pending;
  std::unordered_map<std::string, int> in_flight;
  std::unordered_map<std::string, std::deque<int64_t>> queued;
  relay_stats stats;

  static inline const char* name = "gw.relay";
};

relay_actor::behavior_type
relay(relay_actor::stateful_pointer<relay_state> self,
      std::shared_ptr<const relay_env> env, std::vector<relay_job> restored);

} // namespace gw

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::relay_job_ptr)
