#include "actors/tenants_actor.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

namespace gw {

namespace {

using self_ptr = tenants_actor::stateful_pointer<tenants_state>;

void publish(self_ptr self) {
  auto reg = std::make_shared<tenant_registry>();
  for (const auto& [id, t] : self->state.tenants) {
    reg->by_id[id] = t.actor;
    reg->by_prefix[t.env->node_prefix] = t.actor;
  }
  self->state.registry->store(std::move(reg));
}

tenant_actor spawn_tenant(self_ptr self, const tenant_env_ptr& env,
                          tenant_meetings stored) {
  auto actor = self->system().spawn(tenant, env, std::move(stored));
  self->monitor(actor);
  self->state.children->push_back(caf::actor_cast<caf::actor>(actor));
  return actor;
}

} // namespace

tenants_actor::behavior_type
tenants_supervisor(tenants_actor::stateful_pointer<tenants_state> self,
                   std::shared_ptr<snapshot_slot<tenant_registry>> registry,
                   store_actor store) {
  self->state.registry = std::move(registry);
  self->state.store = std::move(store);
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
      return; // a replaced actor
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
      publish(self);
      return t.actor;
    },
    [self](atom::restart, const std::string& id) {
      auto& st = self->state;
      if (st.tenants.count(id) == 0)
        return;
      // Every meeting the store holds: writes queued before the death are
      // committed first, so a meeting whose creator heard SUCCESS is there.
      self->request(st.store, caf::infinite, atom::meetings_v, id)
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
  };
}

} // namespace gw
