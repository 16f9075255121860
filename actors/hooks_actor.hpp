#pragma once

#include <cstdint>
#include <functional>
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
#include "actors/relay_actor.hpp"
#include "core/hook.hpp"

namespace gw {

/// A client's hooks/* call on its way to the hooks actor (local only):
/// `done` runs on the actor's thread (the API posts it to its io thread).
struct hooks_call {
  enum class kind { create, list, destroy };
  kind what = kind::list;
  std::string tenant;
  /// create: the hook asked for (id and time are set by the actor).
  hook spec;
  /// list: only hooks that get this meeting's events (empty: all);
  /// destroy: the hook's id.
  std::string meeting_id;
  std::string hook_id;
  struct answer {
    /// False: the store could not take the change (nothing changed).
    bool ok = true;
    /// create: a hook with this callback URL already existed (`hook`).
    bool duplicate = false;
    /// destroy: the hook existed (and is gone).
    bool found = false;
    /// create: the hook made (or the one already there).
    hook made;
    /// list: the hooks, by id.
    std::vector<hook> hooks;
  };
  std::function<void(answer)> done;
};
using hooks_call_ptr = std::shared_ptr<hooks_call>;

/// Node events mapped to one tenant (by the API layer), to be delivered
/// to the tenant's hooks (local only).
struct webhook_batch {
  std::string tenant;
  /// The tenant's first secret (deliveries are signed with it).
  std::string secret;
  struct item {
    /// The client's meetingID (empty: the event names no meeting).
    std::string meeting_id;
    std::string event_id;
    /// The event as the client receives it (one JSON object).
    std::string json;
  };
  std::vector<item> items;
  /// Called once the deliveries are in the outbox (true), or could not be
  /// stored (false: the node should send the event again).
  std::function<void(bool)> done;
};
using webhook_batch_ptr = std::shared_ptr<webhook_batch>;

struct hooks_env {
  store_actor store;
  relay_actor relay;
  /// `domain` of every delivery (the gateway's public host).
  std::string domain;
  /// The most hooks one tenant may register.
  std::size_t max_per_tenant = 1000;
  std::function<int64_t()> now_ms;
};

/// The HOOKS actor: owns every tenant's webhooks (durable in the store)
/// and turns mapped node events into deliveries: for each event, each hook
/// of its tenant that wants it (global, or bound to its meeting; its
/// eventID filter) gets one POST as bbb-webhooks sends it, signed with the
/// tenant's first secret, handed to the relay actor's outbox. A tenant
/// sees, changes and receives only its own hooks (docs/events.md).
using hooks_actor =
  caf::typed_actor<caf::reacts_to<atom::hook, hooks_call_ptr>,
                   caf::reacts_to<atom::event, webhook_batch_ptr>,
                   caf::replies_to<atom::stats>::with<int64_t>>;

struct hooks_state {
  std::shared_ptr<const hooks_env> env;
  /// Each tenant's hooks by id.
  std::unordered_map<std::string, std::unordered_map<std::string, hook>>
    by_tenant;
  static inline const char* name = "gw.hooks";
};

hooks_actor::behavior_type
hooks(hooks_actor::stateful_pointer<hooks_state> self,
      std::shared_ptr<const hooks_env> env, std::vector<hook> restored);

} // namespace gw

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::hooks_call_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::webhook_batch_ptr)
