#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/node.hpp"

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

} // namespace gw
