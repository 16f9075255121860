#include "actors/node_actor.hpp"

namespace gw {

node_load node_state::load() const {
  node_load l;
  l.id = cfg.id;
  l.capacity = cfg.capacity;
  l.overcommit = cfg.overcommit;
  l.committed = total;
  l.meetings = static_cast<int64_t>(committed.size());
  l.state = config::node_state_name(cfg.state);
  l.online = online;
  return l;
}

bool node_state::fits(int64_t n) const {
  if (cfg.state != config::node_state::enabled || !online)
    return false;
  auto limit = static_cast<double>(cfg.capacity) * cfg.overcommit;
  return static_cast<double>(total + n) <= limit;
}

node_actor::behavior_type
node(node_actor::stateful_pointer<node_state> self, config::node_config cfg,
     fleet_actor fleet, std::vector<std::pair<std::string, int64_t>> initial) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.fleet = std::move(fleet);
  for (auto& [key, n] : initial) {
    st.committed[key] = n;
    st.total += n;
  }
  self->send(st.fleet, atom::load_v, st.load());
  return {
    [self](atom::commit, const std::string& key, int64_t n) {
      auto& s = self->state;
      auto it = s.committed.find(key);
      int64_t previous = it == s.committed.end() ? 0 : it->second;
      if (!s.fits(n - previous))
        return false;
      s.committed[key] = n;
      s.total += n - previous;
      self->send(s.fleet, atom::load_v, s.load());
      return true;
    },
    [self](atom::release, const std::string& key) {
      auto& s = self->state;
      auto it = s.committed.find(key);
      if (it == s.committed.end())
        return;
      s.total -= it->second;
      s.committed.erase(it);
      self->send(s.fleet, atom::load_v, s.load());
    },
    [self](atom::load) { return self->state.load(); },
  };
}

} // namespace gw
