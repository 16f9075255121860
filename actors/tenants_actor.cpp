#include "actors/tenants_actor.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "core/ids.hpp"
#include "net/router.hpp"

namespace gw {

namespace {

using self_ptr = tenants_actor::stateful_pointer<tenants_state>;

constexpr auto ask_timeout = std::chrono::seconds(10);

/// Publishes the actor handles (node actors) and the directory (the API).
void publish(self_ptr self) {
  auto& st = self->state;
  auto reg = std::make_shared<tenant_registry>();
  auto dir = std::make_shared<tenant_directory>();
  for (const auto& [id, t] : st.tenants) {
    reg->by_id[id] = t.actor;
    reg->by_prefix[t.env->node_prefix] = t.actor;
    reg->id_by_prefix[t.env->node_prefix] = id;
    auto entry = std::make_shared<tenant_entry>();
    entry->env = t.env;
    entry->registry = st.env->registry;
    entry->recordings = t.recordings;
    for (const auto& h : t.env->cfg.hosts)
      dir->by_host[net::normalize_host(h)] = entry;
    dir->by_prefix[t.env->node_prefix] = entry;
    dir->by_id[id] = std::move(entry);
  }
  st.env->registry->store(std::move(reg));
  if (st.env->directory)
    st.env->directory->store(std::move(dir));
}

tenant_actor spawn_tenant(self_ptr self, const tenant_env_ptr& env,
                          tenant_meetings stored) {
  auto actor = self->system().spawn(tenant, env, std::move(stored));
  self->monitor(actor);
  self->state.children->push_back(caf::actor_cast<caf::actor>(actor));
  return actor;
}

/// A host another tenant already answers for, or empty.
std::string host_taken(const tenants_state& st, const tenant_spec& spec) {
  for (const auto& [id, t] : st.tenants) {
    if (id == spec.id)
      continue;
    for (const auto& h : spec.hosts)
      for (const auto& mine : t.env->cfg.hosts)
        if (net::normalize_host(h) == net::normalize_host(mine))
          return h;
  }
  return {};
}

/// Registers a tenant: its actor, its recordings slot, the directory.
void install(self_ptr self, const tenant_env_ptr& env, tenant_meetings stored) {
  auto& st = self->state;
  auto id = env->cfg.id;
  if (auto it = st.tenants.find(id); it != st.tenants.end()) {
    self->demonitor(it->second.actor.address());
    self->send_exit(it->second.actor, caf::exit_reason::user_shutdown);
  }
  auto& t = st.tenants[id];
  t.env = env;
  t.actor = spawn_tenant(self, env, std::move(stored));
  t.started = std::chrono::steady_clock::now();
  if (st.env->recordings)
    self->send(st.env->recordings, atom::add_v, id, env->node_prefix,
               t.recordings);
  publish(self);
}

/// Drops tenant `id` (its actor stops; its stored meetings are gone).
void uninstall(self_ptr self, const std::string& id) {
  auto& st = self->state;
  auto it = st.tenants.find(id);
  if (it == st.tenants.end())
    return;
  self->demonitor(it->second.actor.address());
  self->send_exit(it->second.actor, caf::exit_reason::user_shutdown);
  if (st.env->recordings)
    self->send(st.env->recordings, atom::remove_v, id);
  st.tenants.erase(it);
  publish(self);
}

} // namespace

tenant_env_ptr make_tenant_env(const tenant_env& base,
                               const tenant_spec& spec) {
  auto env = std::make_shared<tenant_env>(base);
  env->cfg = spec;
  env->node_prefix = tenant_prefix(spec.id);
  env->default_max_participants =
    spec.default_max_participants.value_or(base.default_max_participants);
  env->default_duration_minutes =
    spec.default_duration_minutes.value_or(base.default_duration_minutes);
  env->texts = spec.texts.value_or(base.texts);
  env->view = std::make_shared<snapshot_slot<tenant_view>>();
  return env;
}

tenants_actor::behavior_type
tenants_supervisor(tenants_actor::stateful_pointer<tenants_state> self,
                   std::shared_ptr<const tenants_env> setup) {
  self->state.env = std::move(setup);
  // Tenant actors are monitored, not linked (one dying must not take the
  // others down): they are stopped with the supervisor.
  self->attach_functor([children = self->state.children](const caf::error&) {
    for (const auto& a : *children)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  });
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    auto& kids = *st.children;
    kids.erase(std::remove_if(
                 kids.begin(), kids.end(),
                 [&](const caf::actor& a) { return a.address() == dm.source; }),
               kids.end());
    auto it =
      std::find_if(st.tenants.begin(), st.tenants.end(), [&](const auto& kv) {
        return kv.second.actor.address() == dm.source;
      });
    if (it == st.tenants.end())
      return; // a replaced or removed actor
    auto& t = it->second;
    spdlog::error("tenant {}: its actor died ({}); restarting it from the "
                  "store",
                  it->first, self->system().render(dm.reason));
    auto now = std::chrono::steady_clock::now();
    if (now - t.started > std::chrono::minutes(1))
      t.restarts = 0;
    auto pause = st.first_backoff * (1 << std::min(t.restarts, 7));
    pause = std::min(pause, std::chrono::milliseconds(10000));
    ++t.restarts;
    self->delayed_send(self, pause, atom::restart_v, it->first);
  });
  return {
    [self](atom::add, const tenant_env_ptr& env,
           tenant_meetings& stored) -> tenant_actor {
      install(self, env, std::move(stored));
      return self->state.tenants[env->cfg.id].actor;
    },
    [self](atom::restart, const std::string& id) {
      auto& st = self->state;
      if (st.tenants.count(id) == 0)
        return;
      // Every meeting the store holds: writes queued before the death are
      // committed first, so a meeting whose creator heard SUCCESS is there.
      self->request(st.env->store, caf::infinite, atom::meetings_v, id)
        .then(
          [self, id](tenant_meetings& stored) {
            auto it = self->state.tenants.find(id);
            if (it == self->state.tenants.end())
              return;
            auto& t = it->second;
            t.actor = spawn_tenant(self, t.env, std::move(stored));
            t.started = std::chrono::steady_clock::now();
            publish(self);
            spdlog::info("tenant {}: restarted", id);
          },
          [self, id](caf::error& err) {
            spdlog::error("tenant {}: cannot read its meetings ({}); trying "
                          "again",
                          id, self->system().render(err));
            self->delayed_send(self, std::chrono::seconds(1), atom::restart_v,
                               id);
          });
    },
    [self](atom::tenant, atom::add,
           const tenant_spec_ptr& spec) -> caf::result<bool> {
      auto& st = self->state;
      if (!st.env->base)
        return make_error({ec::internal_error, "no platform settings"});
      if (auto err = validate_tenant(*spec))
        return make_error({ec::invalid_field, err->text()});
      if (st.tenants.count(spec->id) > 0)
        return make_error(
          {ec::already_exists, "id: tenant '" + spec->id + "' exists"});
      if (auto h = host_taken(st, *spec); !h.empty())
        return make_error({ec::invalid_field, "hosts: host '" + h
                                                + "' belongs to another "
                                                  "tenant"});
      // Persisted first: a tenant that answered 201 is there after a
      // restart. Meanwhile the id is taken (a second add is refused).
      auto env = make_tenant_env(*st.env->base, *spec);
      install(self, env, tenant_meetings{});
      auto rp = self->make_response_promise<bool>();
      self
        ->request(st.env->store, ask_timeout, atom::tenant_v, atom::put_v, spec)
        .then(
          [rp, spec](bool) mutable {
            spdlog::info("admin: tenant {} added ({} connections)", spec->id,
                         spec->connections);
            rp.deliver(true);
          },
          [self, rp, spec](caf::error& err) mutable {
            uninstall(self, spec->id);
            rp.deliver(err);
          });
      return rp;
    },
    [self](atom::tenant, atom::update, const std::string& id,
           const tenant_patch_ptr& patch) -> caf::result<tenant_spec_ptr> {
      auto& st = self->state;
      auto it = st.tenants.find(id);
      if (it == st.tenants.end())
        return make_error({ec::no_such_entity, "id: no tenant '" + id + "'"});
      auto spec = it->second.env->cfg;
      if (auto err = apply_patch(spec, *patch))
        return make_error({ec::invalid_field, err->text()});
      if (auto h = host_taken(st, spec); !h.empty())
        return make_error({ec::invalid_field, "hosts: host '" + h
                                                + "' belongs to another "
                                                  "tenant"});
      // The same view (its meetings) under the new definition.
      auto next = make_tenant_env(*st.env->base, spec);
      auto keep = std::make_shared<tenant_env>(*next);
      keep->view = it->second.env->view;
      it->second.env = keep;
      self->send(it->second.actor, atom::update_v, tenant_env_ptr{keep});
      publish(self);
      auto saved = std::make_shared<const tenant_spec>(std::move(spec));
      auto rp = self->make_response_promise<tenant_spec_ptr>();
      self
        ->request(st.env->store, ask_timeout, atom::tenant_v, atom::put_v,
                  saved)
        .then([rp, saved](bool) mutable { rp.deliver(saved); },
              [rp](caf::error& err) mutable { rp.deliver(err); });
      return rp;
    },
    [self](atom::tenant, atom::remove, const std::string& id,
           bool force) -> caf::result<int64_t> {
      auto& st = self->state;
      auto it = st.tenants.find(id);
      if (it == st.tenants.end())
        return make_error({ec::no_such_entity, "id: no tenant '" + id + "'"});
      auto rp = self->make_response_promise<int64_t>();
      auto actor = it->second.actor;
      auto finish = [self, rp, id](int64_t ended) mutable {
        uninstall(self, id);
        self
          ->request(self->state.env->store, ask_timeout, atom::tenant_v,
                    atom::remove_v, id)
          .then(
            [rp, id, ended](bool) mutable {
              spdlog::info("admin: tenant {} removed ({} meetings ended)", id,
                           ended);
              rp.deliver(ended);
            },
            [rp](caf::error& err) mutable { rp.deliver(err); });
      };
      self->request(actor, ask_timeout, atom::stats_v)
        .then(
          [self, rp, actor, force, id, finish](const tenant_stats& s) mutable {
            if (s.meetings > 0 && !force) {
              rp.deliver(make_error(
                {ec::has_meetings,
                 "tenant '" + id + "' has " + std::to_string(s.meetings)
                   + " running meeting(s); remove with force=true to end "
                     "them"}));
              return;
            }
            if (s.meetings == 0) {
              finish(0);
              return;
            }
            self->request(actor, ask_timeout, atom::end_all_v)
              .then([finish](int64_t n) mutable { finish(n); },
                    [rp](caf::error& err) mutable { rp.deliver(err); });
          },
          [rp](caf::error& err) mutable { rp.deliver(err); });
      return rp;
    },
    [self](atom::stats) -> caf::result<tenant_stats_map_ptr> {
      auto& st = self->state;
      auto acc = std::make_shared<tenant_stats_map>();
      if (st.tenants.empty())
        return tenant_stats_map_ptr{acc};
      auto rp = self->make_response_promise<tenant_stats_map_ptr>();
      auto left = std::make_shared<std::size_t>(st.tenants.size());
      for (const auto& [id, t] : st.tenants) {
        auto done = [rp, acc, left]() mutable {
          if (--*left == 0)
            rp.deliver(tenant_stats_map_ptr{acc});
        };
        self->request(t.actor, ask_timeout, atom::stats_v)
          .then(
            [acc, done, tid = id](const tenant_stats& s) mutable {
              (*acc)[tid] = s;
              done();
            },
            [done](caf::error&) mutable { done(); });
      }
      return rp;
    },
  };
}

} // namespace gw
