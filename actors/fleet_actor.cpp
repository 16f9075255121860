#include "actors/fleet_actor.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/spawn_options.hpp>

#include "actors/node_actor.hpp"

namespace gw {

std::vector<std::size_t> rank_nodes(const std::vector<node_load>& loads,
                                    int64_t n, std::size_t max_candidates) {
  struct scored {
    double utilisation;
    std::size_t index;
  };
  std::vector<scored> fit;
  fit.reserve(loads.size());
  for (std::size_t i = 0; i < loads.size(); ++i) {
    const auto& l = loads[i];
    if (l.state != "enabled" || !l.online)
      continue;
    auto limit = static_cast<double>(l.capacity) * l.overcommit;
    auto after = static_cast<double>(l.committed + n);
    if (limit <= 0 || after > limit)
      continue;
    fit.push_back({after / limit, i});
  }
  auto better = [&loads](const scored& a, const scored& b) {
    if (a.utilisation != b.utilisation)
      return a.utilisation < b.utilisation;
    const auto& la = loads[a.index];
    const auto& lb = loads[b.index];
    if (la.meetings != lb.meetings)
      return la.meetings < lb.meetings;
    return la.id < lb.id;
  };
  auto count = std::min(max_candidates, fit.size());
  std::partial_sort(fit.begin(),
                    fit.begin() + static_cast<std::ptrdiff_t>(count), fit.end(),
                    better);
  std::vector<std::size_t> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(fit[i].index);
  return out;
}

fleet_actor::behavior_type
fleet(fleet_actor::stateful_pointer<fleet_state> self,
      std::vector<config::node_config> nodes, node_commitments initial,
      std::shared_ptr<snapshot_slot<node_directory>> directory,
      std::shared_ptr<const fleet_env> env) {
  auto& st = self->state;
  st.directory = std::move(directory);
  st.env = std::move(env);
  auto dir = std::make_shared<node_directory>();
  auto handle = caf::actor_cast<fleet_actor>(self);
  for (auto& cfg : nodes) {
    auto info = make_node_info(cfg);
    auto commits = initial[cfg.id];
    node_load l;
    l.id = cfg.id;
    l.capacity = cfg.capacity;
    l.overcommit = cfg.overcommit;
    l.state = config::node_state_name(cfg.state);
    for (const auto& c : commits)
      l.committed += c.n;
    l.meetings = static_cast<int64_t>(commits.size());
    auto actor =
      self->spawn<caf::linked>(node, cfg, info, handle, commits, st.env);
    (*dir)[cfg.id] = info;
    st.index[cfg.id] = st.refs.size();
    st.refs.push_back({std::move(info), std::move(actor)});
    st.loads.push_back(std::move(l));
  }
  st.directory->store(std::move(dir));
  return {
    [self](atom::place, int64_t n) -> placement {
      auto& s = self->state;
      auto out = std::make_shared<std::vector<node_ref>>();
      for (auto i : rank_nodes(s.loads, n, 8))
        out->push_back(s.refs[i]);
      return out;
    },
    [self](atom::load, node_load l) {
      auto& s = self->state;
      auto it = s.index.find(l.id);
      if (it != s.index.end())
        s.loads[it->second] = std::move(l);
    },
    [self](atom::release, const std::string& id, const std::string& key) {
      auto& s = self->state;
      auto it = s.index.find(id);
      if (it != s.index.end())
        self->send(s.refs[it->second].actor, atom::release_v, key);
    },
    [self](atom::lookup, const std::string& id) -> placement {
      auto& s = self->state;
      auto out = std::make_shared<std::vector<node_ref>>();
      if (auto it = s.index.find(id); it != s.index.end())
        out->push_back(s.refs[it->second]);
      return out;
    },
    [self](atom::nodes) { return self->state.loads; },
  };
}

} // namespace gw
