#include "actors/fleet_actor.hpp"

#include <algorithm>
#include <limits>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/spawn_options.hpp>
#include <spdlog/spdlog.h>

#include "actors/node_actor.hpp"
#include "core/validate.hpp"

namespace gw {

namespace {

/// Answers an admin change once the store has committed it (the operator
/// hears 200 only for a change a restart keeps); at once without a store.
template <class... Ts>
caf::result<bool> after_saved(fleet_actor::stateful_pointer<fleet_state> self,
                              Ts&&... xs) {
  if (!self->state.env->store)
    return true;
  auto rp = self->make_response_promise<bool>();
  self->request(self->state.env->store, caf::infinite, std::forward<Ts>(xs)...)
    .then([rp](bool) mutable { rp.deliver(true); },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

void add_node(fleet_actor::stateful_pointer<fleet_state> self,
              const config::node_config& cfg, std::vector<commitment> commits) {
  auto& st = self->state;
  auto info = make_node_info(cfg.id, cfg.url, cfg.secret);
  node_load l;
  l.id = cfg.id;
  l.capacity = cfg.capacity;
  l.overcommit = cfg.overcommit;
  l.state = node_state_name(cfg.state);
  for (const auto& c : commits)
    l.committed += c.n;
  l.meetings = static_cast<int64_t>(commits.size());
  auto actor = self->spawn<caf::linked>(
    node, cfg, std::shared_ptr<const node_info>{info},
    caf::actor_cast<fleet_actor>(self), commits, st.env);
  // The API asks for fresh live data through the descriptor (it holds no
  // actor handles); a weak handle, so the descriptor keeps no actor alive.
  // Set before the directory is published (the node actor never reads it).
  info->refresh = [addr = actor.address()](int64_t max_age_ms,
                                           std::function<void()> done) {
    auto a = caf::actor_cast<node_actor>(addr);
    if (a)
      caf::anon_send(a, atom::refresh_v, max_age_ms,
                     live_waiter{std::move(done)});
  };
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
    [self](atom::add, const node_spec& spec) -> caf::result<bool> {
      node_config cfg;
      if (auto err = validate_node(spec, cfg))
        return make_error({ec::invalid_field, err->text()});
      if (self->state.index.count(spec.id) > 0)
        return make_error(
          {ec::already_exists, "id: node '" + spec.id + "' exists"});
      add_node(self, cfg, {});
      publish_directory(self);
      spdlog::info("admin: node {} added ({})", spec.id, spec.url);
      return after_saved(self, atom::put_v, spec);
    },
    [self](atom::update, const node_spec& spec) -> caf::result<bool> {
      auto& s = self->state;
      auto it = s.index.find(spec.id);
      if (it == s.index.end())
        return make_error(
          {ec::no_such_entity, "id: no node '" + spec.id + "'"});
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
      node_config cfg;
      if (auto err = validate_node(full, cfg))
        return make_error({ec::invalid_field, err->text()});
      self->send(s.refs[it->second].actor, atom::update_v, full);
      auto& l = s.loads[it->second];
      l.capacity = full.capacity;
      l.overcommit = full.overcommit;
      l.state = full.state;
      s.slots[it->second] = slot_of(l);
      spdlog::info("admin: node {} is {} (capacity {}, overcommit {})", full.id,
                   full.state, full.capacity, full.overcommit);
      return after_saved(self, atom::put_v, full);
    },
    [self](atom::remove, const std::string& id,
           bool force) -> caf::result<bool> {
      auto& s = self->state;
      auto it = s.index.find(id);
      if (it == s.index.end())
        return make_error({ec::no_such_entity, "id: no node '" + id + "'"});
      auto i = it->second;
      if (s.loads[i].meetings > 0 && !force)
        return make_error(
          {ec::has_meetings,
           "node '" + id + "' has " + std::to_string(s.loads[i].meetings)
             + " meetings; drain it first or remove with force=true"});
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
      spdlog::info("admin: node {} removed", id);
      return after_saved(self, atom::remove_v, id);
    },
  };
}

} // namespace gw
