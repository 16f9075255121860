#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/node_actor.hpp"
#include "config/config.hpp"

namespace gw {

/// Returns the candidates among `loads` that can take `n` connections, least
/// utilised after placement first (ties: fewer meetings, then id). Pure, so
/// placement can be tested and benchmarked without actors.
std::vector<std::size_t> rank_nodes(const std::vector<node_load>& loads,
                                    int64_t n, std::size_t max_candidates);

/// State of the fleet actor: every node with its last reported load.
struct fleet_state {
  std::vector<node_ref> refs;
  std::vector<node_load> loads;
  std::map<std::string, std::size_t> index;
  std::shared_ptr<snapshot_slot<node_directory>> directory;
  std::shared_ptr<const fleet_env> env;

  static inline const char* name = "gw.fleet";
};

/// Checks an admin node definition and turns it into a node config.
/// Returns an error text naming the field, empty when valid.
std::string node_config_from_spec(const node_spec& spec,
                                  config::node_config& out);

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
