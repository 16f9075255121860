#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "actors/interfaces.hpp"
#include "actors/tenant_actor.hpp"
#include "core/recording.hpp"
#include "core/snapshot_slot.hpp"

namespace gw {

/// One tenant as the API layer sees it: its configuration and snapshot
/// (env) and where its actor's current handle is published (the tenants
/// supervisor replaces it when it restarts the actor). Immutable: a change
/// to the tenant publishes a new entry (same view and recordings slots).
struct tenant_entry {
  std::shared_ptr<const tenant_env> env;
  std::shared_ptr<snapshot_slot<tenant_registry>> registry;
  /// The tenant's recordings index (published by the recordings actor).
  std::shared_ptr<snapshot_slot<recording_index>> recordings =
    std::make_shared<snapshot_slot<recording_index>>();

  /// Returns the tenant's actor (invalid when it is not registered).
  tenant_actor actor() const {
    auto reg = registry->load();
    auto it = reg->by_id.find(env->cfg.id);
    return it == reg->by_id.end() ? tenant_actor{} : it->second;
  }
};

/// Tenants by path segment and by Host name: published by the tenants
/// supervisor whenever one is added, changed or removed; io threads read
/// it without a lock.
struct tenant_directory {
  std::unordered_map<std::string, std::shared_ptr<const tenant_entry>> by_id;
  std::unordered_map<std::string, std::shared_ptr<const tenant_entry>> by_host;
  /// By the prefix of their meetings' IDs on the nodes (node events).
  std::unordered_map<std::string, std::shared_ptr<const tenant_entry>>
    by_prefix;
};

} // namespace gw
