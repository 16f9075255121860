#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/tenant_actor.hpp"

namespace gw {

/// A tenant's configuration as the supervisor hands it to its actor.
using tenant_env_ptr = std::shared_ptr<const tenant_env>;

/// The TENANTS supervisor: spawns one tenant actor per tenant and monitors
/// it. A tenant actor that dies (an exception, a kill) has answered every
/// caller it held with internalError (their jobs answer when dropped); the
/// supervisor restarts it with its meetings restored from the store and
/// publishes the new handle in the registry. Tenants added at runtime come
/// through the same message.
using tenants_actor = caf::typed_actor<
  // Spawns (or replaces) the actor of tenant `env->cfg.id` with what the
  // store holds of it; replies with its handle once it is registered.
  caf::replies_to<atom::add, tenant_env_ptr,
                  tenant_meetings>::with<tenant_actor>,
  // Restarts tenant `id`, whose actor died (sent to itself after a pause).
  caf::reacts_to<atom::restart, std::string>>;

/// One supervised tenant.
struct supervised_tenant {
  tenant_env_ptr env;
  tenant_actor actor;
  /// Restarts since the last one that lasted a minute (for the backoff).
  int restarts = 0;
  std::chrono::steady_clock::time_point started;
};

/// State of the tenants supervisor.
struct tenants_state {
  std::unordered_map<std::string, supervised_tenant> tenants;
  /// Where the handles are published (node actors and the API read it).
  std::shared_ptr<snapshot_slot<tenant_registry>> registry;
  store_actor store;
  /// Every tenant actor spawned, for stopping them with the supervisor (its
  /// state is gone by the time its exit functors run, so they hold this).
  std::shared_ptr<std::vector<caf::actor>> children =
    std::make_shared<std::vector<caf::actor>>();
  /// The first restart's pause; each next one doubles it, up to 10 s.
  std::chrono::milliseconds first_backoff{100};

  static inline const char* name = "gw.tenants";
};

/// Spawns the supervisor. Stopping it stops every tenant actor.
tenants_actor::behavior_type
tenants_supervisor(tenants_actor::stateful_pointer<tenants_state> self,
                   std::shared_ptr<snapshot_slot<tenant_registry>> registry,
                   store_actor store);

} // namespace gw

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::tenant_env_ptr)
