#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/recordings_actor.hpp"
#include "actors/tenant_actor.hpp"
#include "actors/tenant_directory.hpp"

namespace gw {

/// Every tenant's ledger totals, by tenant id (local only).
using tenant_stats_map = std::map<std::string, tenant_stats>;
using tenant_stats_map_ptr = std::shared_ptr<const tenant_stats_map>;

/// What the supervisor works with (immutable, shared).
struct tenants_env {
  /// Where tenant actor handles are published (node actors read it).
  std::shared_ptr<snapshot_slot<tenant_registry>> registry;
  /// Where the tenants' definitions are published (the API reads it);
  /// null in tests that need no API.
  std::shared_ptr<snapshot_slot<tenant_directory>> directory;
  store_actor store;
  /// The platform's part of every tenant's env (defaults, texts, public
  /// URL, minute, fleet, store, nodes, node caller, graces); its `cfg` is
  /// empty. Null: tenants can only be added with a complete env.
  tenant_env_ptr base;
  /// Told of every tenant added or removed (its recordings index); may be
  /// invalid.
  recordings_actor recordings;
};

/// Builds a tenant's env from the platform's part and its definition: its
/// defaults and texts (the platform's where it sets none) and a new view.
tenant_env_ptr make_tenant_env(const tenant_env& base, const tenant_spec& spec);

/// The TENANTS supervisor: owns the set of tenants and their definitions.
/// Spawns one tenant actor per tenant and monitors it: a tenant actor that
/// dies (an exception, a kill) has answered every caller it held with
/// internalError (their jobs answer when dropped); the supervisor restarts
/// it with its meetings restored from the store and publishes the new
/// handle. Tenants are added, changed and removed at runtime through it
/// (admin API, console): it validates, persists, tells the tenant actor
/// and publishes the directory the API reads.
using tenants_actor = caf::typed_actor<
  // Spawns (or replaces) the actor of tenant `env->cfg.id` with what the
  // store holds of it; replies with its handle once it is registered
  // (start-up: nothing is persisted).
  caf::replies_to<atom::add, tenant_env_ptr,
                  tenant_meetings>::with<tenant_actor>,
  // Restarts tenant `id`, whose actor died (sent to itself after a pause).
  caf::reacts_to<atom::restart, std::string>,
  // Adds a tenant at runtime (validated, persisted, then serving);
  // ec::invalid_field, ec::already_exists.
  caf::replies_to<atom::tenant, atom::add, tenant_spec_ptr>::with<bool>,
  // Changes tenant `id` (validated, persisted, applied to its next call);
  // replies with its new definition. ec::no_such_entity, ec::invalid_field.
  caf::replies_to<atom::tenant, atom::update, std::string,
                  tenant_patch_ptr>::with<tenant_spec_ptr>,
  // Removes tenant `id`; with meetings only if `force` (they are ended on
  // their nodes first); replies how many were ended. ec::has_meetings,
  // ec::no_such_entity.
  caf::replies_to<atom::tenant, atom::remove, std::string, bool>::with<int64_t>,
  // Returns every tenant's ledger totals.
  caf::replies_to<atom::stats>::with<tenant_stats_map_ptr>>;

/// One supervised tenant.
struct supervised_tenant {
  tenant_env_ptr env;
  tenant_actor actor;
  std::shared_ptr<snapshot_slot<recording_index>> recordings =
    std::make_shared<snapshot_slot<recording_index>>();
  /// Restarts since the last one that lasted a minute (for the backoff).
  int restarts = 0;
  std::chrono::steady_clock::time_point started;
};

/// State of the tenants supervisor.
struct tenants_state {
  std::map<std::string, supervised_tenant> tenants;
  std::shared_ptr<const tenants_env> env;
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
                   std::shared_ptr<const tenants_env> setup);

} // namespace gw

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::tenant_stats_map_ptr)
