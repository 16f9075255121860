#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "actors/interfaces.hpp"
#include "config/config.hpp"

namespace gw {

/// State of one node actor: the node's capacity and what is committed on it.
struct node_state {
  config::node_config cfg;
  /// Connections committed per meeting key (`tenant/meetingID`).
  std::unordered_map<std::string, int64_t> committed;
  int64_t total = 0;
  bool online = true;
  fleet_actor fleet;

  /// Returns the current load report.
  node_load load() const;

  /// Returns true when `n` more connections fit and the node takes meetings.
  bool fits(int64_t n) const;

  static inline const char* name = "gw.node";
};

/// Spawns the behaviour of a node actor with the commitments restored from
/// the store.
node_actor::behavior_type
node(node_actor::stateful_pointer<node_state> self, config::node_config cfg,
     fleet_actor fleet, std::vector<std::pair<std::string, int64_t>> initial);

} // namespace gw
