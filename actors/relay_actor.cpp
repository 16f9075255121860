#include "actors/relay_actor.hpp"

#include <algorithm>

#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "core/url.hpp"
#include "net/log_limit.hpp"

namespace gw {

namespace {

using self_ptr = relay_actor::stateful_pointer<relay_state>;

void start(self_ptr self, int64_t id);

/// The next delivery queued for `dest`, if one is.
void start_next(self_ptr self, const std::string& dest) {
  auto& st = self->state;
  auto q = st.queued.find(dest);
  if (q == st.queued.end())
    return;
  auto id = q->second.front();
  q->second.pop_front();
  if (q->second.empty())
    st.queued.erase(q);
  start(self, id);
}

void start(self_ptr self, int64_t id) {
  auto& st = self->state;
  auto it = st.pending.find(id);
  if (it == st.pending.end())
    return;
  auto& d = it->second;
  auto& busy = st.in_flight[d.dest];
  if (busy >= st.env->per_destination) {
    st.queued[d.dest].push_back(id);
    return;
  }
  ++busy;
  ++d.attempts;
  node_request req;
  req.target = d.target;
  req.post = d.job->post;
  req.body = d.job->body;
  req.content_type = d.job->content_type;
  req.timeout = st.env->timeout;
  auto handle = caf::actor_cast<relay_actor>(self);
  st.env->send(d.ep, std::move(req), [handle, id](node_response&& res) {
    caf::anon_send(handle, atom::delivered_v, id,
                   static_cast<int64_t>(res.error.empty() ? res.status : 0));
  });
}

void on_delivered(self_ptr self, int64_t id, int64_t status) {
  auto& st = self->state;
  auto it = st.pending.find(id);
  if (it == st.pending.end())
    return;
  auto& d = it->second;
  auto dest = d.dest;
  if (--st.in_flight[dest] <= 0)
    st.in_flight.erase(dest);
  bool done = (status >= 200 && status < 300) || status == 410;
  auto forget = [&] {
    if (st.env->store)
      self->send(st.env->store, atom::relay_v, std::vector<relay_job>{},
                 std::vector<int64_t>{id});
    st.pending.erase(it);
  };
  if (done) {
    ++st.stats.delivered;
    forget();
  } else if (self->clock().now() + d.next_delay > d.given_up_at) {
    spdlog::warn("relay: {} callback of tenant {} to {} given up after {} "
                 "attempts (last: {})",
                 d.job->what, d.job->tenant, d.dest, d.attempts,
                 status == 0 ? std::string{"no answer"}
                             : "HTTP " + std::to_string(status));
    ++st.stats.given_up;
    forget();
  } else {
    GW_LOG_LIMITED(info, "relay: {} callback to {} failed ({}), retry in {} ms",
                   d.job->what, d.dest, status, d.next_delay.count());
    self->delayed_send(self, d.next_delay, atom::retry_v, id);
    d.next_delay = std::min(d.next_delay * 2, st.env->max_delay);
  }
  start_next(self, dest);
}

int64_t wall_ms(const relay_env& env) {
  if (env.now_ms)
    return env.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// Takes `job` (with its id) into the pending deliveries and starts it.
void admit(self_ptr self, relay_job_ptr job) {
  auto& st = self->state;
  relay_state::delivery d;
  if (!parse_target_url(job->url, d.ep, d.target)) {
    GW_LOG_LIMITED(warn, "relay: {} callback of tenant {}: bad URL", job->what,
                   job->tenant);
    ++st.stats.given_up;
    if (st.env->store)
      self->send(st.env->store, atom::relay_v, std::vector<relay_job>{},
                 std::vector<int64_t>{job->id});
    return;
  }
  d.dest = d.ep.host + ":" + d.ep.port;
  d.next_delay = st.env->first_delay;
  // The deadline counts from when it was handed over, across restarts.
  auto left = std::chrono::milliseconds(job->created_ms - wall_ms(*st.env))
              + st.env->retry_for;
  d.given_up_at = self->clock().now() + left;
  auto id = job->id;
  d.job = std::move(job);
  st.pending.emplace(id, std::move(d));
  start(self, id);
}

} // namespace

relay_actor::behavior_type
relay(relay_actor::stateful_pointer<relay_state> self,
      std::shared_ptr<const relay_env> env, std::vector<relay_job> restored) {
  self->state.env = std::move(env);
  for (const auto& j : restored)
    self->state.next_id = std::max(self->state.next_id, j.id + 1);
  if (!restored.empty())
    spdlog::info("relay: resuming {} pending callback(s)", restored.size());
  for (auto& j : restored)
    admit(self, std::make_shared<const relay_job>(std::move(j)));
  return {
    [self](atom::relay, const relay_job_ptr& job) {
      auto& st = self->state;
      auto mine = std::make_shared<relay_job>(*job);
      mine->id = st.next_id++;
      mine->created_ms = wall_ms(*st.env);
      if (st.env->store)
        self->send(st.env->store, atom::relay_v, std::vector<relay_job>{*mine},
                   std::vector<int64_t>{});
      admit(self, std::move(mine));
    },
    [self](atom::delivered, int64_t id, int64_t status) {
      on_delivered(self, id, status);
    },
    [self](atom::retry, int64_t id) { start(self, id); },
    [self](atom::stats) {
      auto s = self->state.stats;
      s.pending = static_cast<int64_t>(self->state.pending.size());
      return s;
    },
  };
}

} // namespace gw
