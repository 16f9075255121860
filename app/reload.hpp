#pragma once

#include <string>
#include <vector>

#include "app/definitions.hpp"
#include "config/config.hpp"

namespace gw {

/// The node and tenant definitions the gateway runs now.
struct running_definitions {
  std::vector<node_spec> nodes;
  std::vector<tenant_spec> tenants;
};

/// What a reload changes in the running gateway: the merge of the new file
/// with the stored definitions (the start-up rule, app/definitions.hpp)
/// compared with what runs.
struct reload_plan {
  std::vector<node_spec> add_nodes;
  /// Capacity, overcommit or state changed.
  std::vector<node_spec> change_nodes;
  /// URL or secret changed: the node is removed and added again (refused
  /// while it has meetings).
  std::vector<node_spec> replace_nodes;
  std::vector<std::string> remove_nodes;
  std::vector<tenant_spec> add_tenants;
  std::vector<tenant_spec> change_tenants;
  std::vector<std::string> remove_tenants;
  /// The new or changed file entries, stored with their fingerprints once
  /// they are applied.
  std::vector<store::stored_node> put_nodes;
  std::vector<store::stored_tenant> put_tenants;

  bool empty() const {
    return add_nodes.empty() && change_nodes.empty() && replace_nodes.empty()
           && remove_nodes.empty() && add_tenants.empty()
           && change_tenants.empty() && remove_tenants.empty()
           && put_nodes.empty() && put_tenants.empty();
  }
};

/// Compares the merged definitions with the running ones.
reload_plan plan_reload(node_merge nodes, tenant_merge tenants,
                        const running_definitions& running);

/// The patch that makes a tenant's definition `spec` in every field (its
/// console password hash only when `spec` has one).
tenant_patch replacing_patch(const tenant_spec& spec);

/// The settings that differ between `before` and `after` and take effect
/// only at a restart (every key but `nodes` and `tenants`), by their YAML
/// key names.
std::vector<std::string> restart_only_changes(const config::config& before,
                                              const config::config& after);

} // namespace gw

#include <memory>

#include <caf/actor_system.hpp>

#include "actors/fleet_actor.hpp"
#include "actors/tenant_directory.hpp"
#include "actors/tenants_actor.hpp"

namespace gw {

/// The actors a reload works through (the store holds the definitions and
/// their fingerprints; the fleet and the tenants supervisor apply and
/// persist each change as the admin API's would).
struct reload_actors {
  caf::actor_system* sys = nullptr;
  store_actor store;
  fleet_actor fleet;
  tenants_actor tenants;
  std::shared_ptr<snapshot_slot<node_directory>> directory;
  std::shared_ptr<snapshot_slot<tenant_directory>> tenant_dir;
};

/// What a reload did: one line per change made, one per change refused.
struct reload_report {
  std::vector<std::string> done;
  std::vector<std::string> failed;
};

/// Applies the nodes and tenants of `file` to the running gateway by the
/// start-up merge rule. Blocks the calling thread (never an io thread)
/// until every change is answered.
reload_report apply_reload(const reload_actors& actors,
                           const config::config& file);

} // namespace gw
