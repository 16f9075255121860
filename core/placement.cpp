#include "core/placement.hpp"

#include <algorithm>
#include <limits>

namespace gw {

placement_slot slot_of(const node_load& l) {
  placement_slot s;
  bool usable = l.online && l.state == "enabled";
  s.limit = usable ? static_cast<double>(l.capacity) * l.overcommit : 0;
  s.committed = l.committed;
  s.meetings = l.meetings;
  return s;
}

std::vector<std::size_t> rank_slots(const std::vector<placement_slot>& slots,
                                    const std::vector<node_load>& loads,
                                    int64_t n, std::size_t max_candidates) {
  struct scored {
    double utilisation;
    std::size_t index;
  };
  auto better = [&](const scored& a, const scored& b) {
    if (a.utilisation != b.utilisation)
      return a.utilisation < b.utilisation;
    if (slots[a.index].meetings != slots[b.index].meetings)
      return slots[a.index].meetings < slots[b.index].meetings;
    return loads[a.index].id < loads[b.index].id;
  };
  if (max_candidates == 0)
    return {};
  // One pass keeping the best few in a small sorted array: no allocation
  // per node, O(nodes) plus O(max_candidates) per improvement. The test
  // per node is branch-free (an unusable node scores infinity) and compared
  // with the worst kept score, a branch that is almost always "skip" once
  // the array is full: data-dependent branches cost more than the
  // arithmetic here (docs/performance.md).
  constexpr double unusable = std::numeric_limits<double>::infinity();
  std::vector<scored> top;
  top.reserve(max_candidates + 1);
  auto nd = static_cast<double>(n);
  double worst = unusable;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const auto& sl = slots[i];
    auto after = static_cast<double>(sl.committed) + nd;
    bool fits = after <= sl.limit && sl.limit > 0;
    double u = after / (fits ? sl.limit : 1.0);
    u = fits ? u : unusable;
    if (u > worst || u == unusable)
      continue;
    scored s{u, i};
    if (top.size() == max_candidates && !better(s, top.back()))
      continue;
    top.insert(std::upper_bound(top.begin(), top.end(), s, better), s);
    if (top.size() > max_candidates)
      top.pop_back();
    if (top.size() == max_candidates)
      worst = top.back().utilisation;
  }
  std::vector<std::size_t> out;
  out.reserve(top.size());
  for (const auto& s : top)
    out.push_back(s.index);
  return out;
}

std::vector<std::size_t> rank_nodes(const std::vector<node_load>& loads,
                                    int64_t n, std::size_t max_candidates) {
  std::vector<placement_slot> slots;
  slots.reserve(loads.size());
  for (const auto& l : loads)
    slots.push_back(slot_of(l));
  return rank_slots(slots, loads, n, max_candidates);
}

} // namespace gw
