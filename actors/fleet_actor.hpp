#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/node_actor.hpp"
#include "config/config.hpp"

namespace gw {

/// What placement reads of one node: compact, so ranking thousands of nodes
/// stays in cache.
struct placement_slot {
  /// capacity * overcommit, or 0 when the node takes no meetings.
  double limit = 0;
  int64_t committed = 0;
  int64_t meetings = 0;
};

/// Returns the placement view of a load report.
placement_slot slot_of(const node_load& l);

/// Returns the candidates among `slots` that can take `n` connections, least
/// utilised after placement first (ties: fewer meetings, then id from
/// `loads`). Pure, so placement can be tested and benchmarked without
/// actors.
std::vector<std::size_t> rank_slots(const std::vector<placement_slot>& slots,
                                    const std::vector<node_load>& loads,
                                    int64_t n, std::size_t max_candidates);

/// rank_slots over load reports (builds the slots first).
std::vector<std::size_t> rank_nodes(const std::vector<node_load>& loads,
                                    int64_t n, std::size_t max_candidates);

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
