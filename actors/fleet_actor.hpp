#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/node_actor.hpp"
#include "config/config.hpp"
#include "core/placement.hpp"

namespace gw {

/// State of the fleet actor: every node with its last reported load.
struct fleet_state {
  std::vector<node_ref> refs;
  std::vector<node_load> loads;
  /// slot_of(loads[i]), kept in step with `loads`.
  std::vector<placement_slot> slots;
  std::map<std::string, std::size_t> index;
  std::shared_ptr<snapshot_slot<node_directory>> directory;
  std::shared_ptr<const fleet_env> env;

  static inline const char* name = "gw.fleet";
};

/// Commitments restored from the store, per node id.
using node_commitments = std::map<std::string, std::vector<commitment>>;

/// Spawns the fleet and, linked to it, one node actor per configured node.
/// Publishes the node directory to `directory` for the hot path.
fleet_actor::behavior_type
fleet(fleet_actor::stateful_pointer<fleet_state> self,
      std::vector<config::node_config> nodes, node_commitments initial,
      std::shared_ptr<snapshot_slot<node_directory>> directory,
      std::shared_ptr<const fleet_env> env);

} // namespace gw
