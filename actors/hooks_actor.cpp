#include "actors/hooks_actor.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "net/log_limit.hpp"
#include "net/webhooks.hpp"

namespace gw {

namespace {

using self_ptr = hooks_actor::stateful_pointer<hooks_state>;

int64_t wall_ms(const hooks_env& env) {
  if (env.now_ms)
    return env.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

std::vector<hook> sorted(std::vector<hook> list) {
  std::sort(list.begin(), list.end(),
            [](const hook& a, const hook& b) { return a.id < b.id; });
  return list;
}

void create(self_ptr self, const hooks_call_ptr& call) {
  auto& st = self->state;
  auto& mine = st.by_tenant[call->tenant];
  hooks_call::answer a;
  // bbb-webhooks: one hook per callback URL (whatever its meeting); here
  // per tenant, so two tenants never see each other's.
  for (const auto& [id, h] : mine)
    if (h.callback_url == call->spec.callback_url) {
      a.duplicate = true;
      a.made = h;
      return call->done(std::move(a));
    }
  if (mine.size() >= st.env->max_per_tenant) {
    a.ok = false;
    return call->done(std::move(a));
  }
  hook h = call->spec;
  h.tenant = call->tenant;
  h.id = new_uuid();
  h.created_ms = wall_ms(*st.env);
  mine.emplace(h.id, h);
  if (!st.env->store) {
    a.made = std::move(h);
    return call->done(std::move(a));
  }
  self->request(st.env->store, caf::infinite, atom::hook_v, atom::put_v, h)
    .then(
      [self, call, h](bool ok) {
        hooks_call::answer out;
        out.ok = ok;
        out.made = h;
        if (!ok)
          self->state.by_tenant[call->tenant].erase(h.id);
        else
          spdlog::info(
            "hooks: tenant {} added hook {} ({} events{})", call->tenant, h.id,
            h.event_ids.empty() ? std::string{"all"}
                                : join_event_ids(h.event_ids),
            h.meeting_id.empty() ? "" : " of meeting " + h.meeting_id);
        call->done(std::move(out));
      },
      [self, call, h](caf::error&) {
        self->state.by_tenant[call->tenant].erase(h.id);
        hooks_call::answer out;
        out.ok = false;
        call->done(std::move(out));
      });
}

void list(self_ptr self, const hooks_call_ptr& call) {
  hooks_call::answer a;
  auto it = self->state.by_tenant.find(call->tenant);
  if (it != self->state.by_tenant.end())
    for (const auto& [id, h] : it->second)
      // With a meetingID: the hooks that get its events (bbb-webhooks:
      // the global ones and the ones bound to it).
      if (call->meeting_id.empty() || h.meeting_id.empty()
          || h.meeting_id == call->meeting_id)
        a.hooks.push_back(h);
  a.hooks = sorted(std::move(a.hooks));
  call->done(std::move(a));
}

void destroy(self_ptr self, const hooks_call_ptr& call) {
  auto& st = self->state;
  hooks_call::answer a;
  auto t = st.by_tenant.find(call->tenant);
  if (t == st.by_tenant.end() || t->second.count(call->hook_id) == 0)
    return call->done(std::move(a)); // another tenant's is "not found" too
  auto gone = t->second.at(call->hook_id);
  t->second.erase(call->hook_id);
  a.found = true;
  if (!st.env->store)
    return call->done(std::move(a));
  self
    ->request(st.env->store, caf::infinite, atom::hook_v, atom::remove_v,
              call->hook_id)
    .then(
      [self, call, gone](bool ok) {
        hooks_call::answer out;
        out.ok = ok;
        out.found = true;
        if (!ok)
          self->state.by_tenant[call->tenant].emplace(gone.id, gone);
        else
          spdlog::info("hooks: tenant {} removed hook {}", call->tenant,
                       gone.id);
        call->done(std::move(out));
      },
      [self, call, gone](caf::error&) {
        self->state.by_tenant[call->tenant].emplace(gone.id, gone);
        hooks_call::answer out;
        out.ok = false;
        call->done(std::move(out));
      });
}

void deliver(self_ptr self, const webhook_batch_ptr& batch) {
  auto& st = self->state;
  std::vector<relay_job> jobs;
  auto it = st.by_tenant.find(batch->tenant);
  if (it != st.by_tenant.end()) {
    auto now = wall_ms(*st.env);
    for (const auto& item : batch->items)
      for (const auto& [id, h] : it->second) {
        if (!hook_wants(h, item.meeting_id, item.event_id))
          continue;
        relay_job j;
        j.body = net::webhook_body(st.env->domain, "[" + item.json + "]", now);
        j.url = net::webhook_signed_url(h.callback_url, j.body, batch->secret,
                                        digest_algo::sha1);
        j.content_type = "application/x-www-form-urlencoded";
        j.what = "webhook";
        j.tenant = batch->tenant;
        jobs.push_back(std::move(j));
      }
  }
  if (jobs.empty() || !st.env->relay)
    return batch->done(true);
  self->request(st.env->relay, caf::infinite, atom::relay_v, std::move(jobs))
    .then([batch](bool ok) { batch->done(ok); },
          [batch](caf::error&) { batch->done(false); });
}

} // namespace

hooks_actor::behavior_type
hooks(hooks_actor::stateful_pointer<hooks_state> self,
      std::shared_ptr<const hooks_env> env, std::vector<hook> restored) {
  self->state.env = std::move(env);
  for (auto& h : restored) {
    auto tenant = h.tenant;
    auto id = h.id;
    self->state.by_tenant[tenant].emplace(std::move(id), std::move(h));
  }
  if (!restored.empty())
    spdlog::info("hooks: {} webhook(s) restored", restored.size());
  return {
    [self](atom::hook, const hooks_call_ptr& call) {
      switch (call->what) {
      case hooks_call::kind::create:
        return create(self, call);
      case hooks_call::kind::list:
        return list(self, call);
      case hooks_call::kind::destroy:
        return destroy(self, call);
      }
    },
    [self](atom::event, const webhook_batch_ptr& batch) {
      deliver(self, batch);
    },
    [self](atom::stats) {
      int64_t n = 0;
      for (const auto& [t, m] : self->state.by_tenant)
        n += static_cast<int64_t>(m.size());
      return n;
    },
  };
}

} // namespace gw
