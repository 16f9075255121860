#include "actors/fleet_actor.hpp"

#include <algorithm>
#include <limits>

#include <caf/actor_system.hpp>
#include <caf/spawn_options.hpp>
#include <spdlog/spdlog.h>

#include "actors/node_actor.hpp"
#include "net/url.hpp"

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
  // arithmetic here (10,000 nodes: 46-50 us before, 37 us after).
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

std::string node_config_from_spec(const node_spec& spec,
                                  config::node_config& out) {
  if (spec.id.empty() || spec.id.size() > 64
      || spec.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
           != std::string::npos)
    return "id: must be 1-64 letters, digits, '.', '-' or '_'";
  net::url_parts parts;
  if (!net::parse_url(spec.url, parts))
    return "url: must be an http:// or https:// URL without query";
  if (spec.secret.empty())
    return "secret: must not be empty";
  if (spec.capacity < 1)
    return "capacity: must be at least 1";
  if (!(spec.overcommit > 0))
    return "overcommit: must be greater than 0";
  auto state = config::parse_node_state(spec.state);
  if (!state)
    return "state: must be enabled, cordoned, draining or disabled";
  out.id = spec.id;
  out.url = spec.url;
  out.secret = spec.secret;
  out.capacity = spec.capacity;
  out.overcommit = spec.overcommit;
  out.state = *state;
  return {};
}

namespace {

void add_node(fleet_actor::stateful_pointer<fleet_state> self,
              const config::node_config& cfg, std::vector<commitment> commits) {
  auto& st = self->state;
  auto info = make_node_info(cfg);
  node_load l;
  l.id = cfg.id;
  l.capacity = cfg.capacity;
  l.overcommit = cfg.overcommit;
  l.state = config::node_state_name(cfg.state);
  for (const auto& c : commits)
    l.committed += c.n;
  l.meetings = static_cast<int64_t>(commits.size());
  auto actor = self->spawn<caf::linked>(
    node, cfg, info, caf::actor_cast<fleet_actor>(self), commits, st.env);
  st.index[cfg.id] = st.refs.size();
  st.refs.push_back({std::move(info), std::move(actor)});
  st.slots.push_back(slot_of(l));
  st.loads.push_back(std::move(l));
}

void publish_directory(fleet_actor::stateful_pointer<fleet_state> self) {
  auto dir = std::make_shared<node_directory>();
  for (const auto& ref : self->state.refs)
    (*dir)[ref.info->id] = ref.info;
  self->state.directory->store(std::move(dir));
}

} // namespace

fleet_actor::behavior_type
fleet(fleet_actor::stateful_pointer<fleet_state> self,
      std::vector<config::node_config> nodes, node_commitments initial,
      std::shared_ptr<snapshot_slot<node_directory>> directory,
      std::shared_ptr<const fleet_env> env) {
  auto& st = self->state;
  st.directory = std::move(directory);
  st.env = std::move(env);
  for (auto& cfg : nodes)
    add_node(self, cfg, initial[cfg.id]);
  publish_directory(self);
  return {
    [self](atom::place, int64_t n) -> placement {
      auto& s = self->state;
      auto out = std::make_shared<std::vector<node_ref>>();
      for (auto i : rank_slots(s.slots, s.loads, n, 8))
        out->push_back(s.refs[i]);
      return out;
    },
    [self](atom::load, node_load l) {
      auto& s = self->state;
      auto it = s.index.find(l.id);
      if (it != s.index.end()) {
        s.slots[it->second] = slot_of(l);
        s.loads[it->second] = std::move(l);
      }
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
    [self](atom::add, const node_spec& spec) -> std::string {
      config::node_config cfg;
      if (auto err = node_config_from_spec(spec, cfg); !err.empty())
        return err;
      if (self->state.index.count(spec.id) > 0)
        return "id: node '" + spec.id + "' exists";
      add_node(self, cfg, {});
      publish_directory(self);
      if (self->state.env->store)
        self->send(self->state.env->store, atom::put_v, spec);
      spdlog::info("admin: node {} added ({})", spec.id, spec.url);
      return {};
    },
    [self](atom::update, const node_spec& spec) -> std::string {
      auto& s = self->state;
      auto it = s.index.find(spec.id);
      if (it == s.index.end())
        return "id: no node '" + spec.id + "'";
      const auto& info = *s.refs[it->second].info;
      const auto& now = s.loads[it->second];
      node_spec full = spec;
      full.url = info.url;
      full.secret = info.secret;
      // Fields left out keep their values.
      if (full.capacity == 0)
        full.capacity = now.capacity;
      if (full.overcommit == 0)
        full.overcommit = now.overcommit;
      if (full.state.empty())
        full.state = now.state;
      config::node_config cfg;
      if (auto err = node_config_from_spec(full, cfg); !err.empty())
        return err;
      self->send(s.refs[it->second].actor, atom::update_v, full);
      auto& l = s.loads[it->second];
      l.capacity = full.capacity;
      l.overcommit = full.overcommit;
      l.state = full.state;
      s.slots[it->second] = slot_of(l);
      if (s.env->store)
        self->send(s.env->store, atom::put_v, full);
      spdlog::info("admin: node {} is {} (capacity {}, overcommit {})", full.id,
                   full.state, full.capacity, full.overcommit);
      return {};
    },
    [self](atom::remove, const std::string& id, bool force) -> std::string {
      auto& s = self->state;
      auto it = s.index.find(id);
      if (it == s.index.end())
        return "id: no node '" + id + "'";
      auto i = it->second;
      if (s.loads[i].meetings > 0 && !force)
        return "node '" + id + "' has " + std::to_string(s.loads[i].meetings)
               + " meetings; drain it first or remove with force=true";
      auto actor = s.refs[i].actor;
      self->unlink_from(actor);
      self->send_exit(actor, caf::exit_reason::user_shutdown);
      s.refs.erase(s.refs.begin() + static_cast<std::ptrdiff_t>(i));
      s.loads.erase(s.loads.begin() + static_cast<std::ptrdiff_t>(i));
      s.slots.erase(s.slots.begin() + static_cast<std::ptrdiff_t>(i));
      s.index.clear();
      for (std::size_t k = 0; k < s.refs.size(); ++k)
        s.index[s.refs[k].info->id] = k;
      publish_directory(self);
      if (s.env->store)
        self->send(s.env->store, atom::remove_v, id);
      spdlog::info("admin: node {} removed", id);
      return {};
    },
  };
}

} // namespace gw
