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
  if (done) {
    ++st.stats.delivered;
    st.pending.erase(it);
  } else if (self->clock().now() + d.next_delay > d.given_up_at) {
    spdlog::warn("relay: {} callback of tenant {} to {} given up after {} "
                 "attempts (last: {})",
                 d.job->what, d.job->tenant, d.dest, d.attempts,
                 status == 0 ? std::string{"no answer"}
                             : "HTTP " + std::to_string(status));
    ++st.stats.given_up;
    st.pending.erase(it);
  } else {
    GW_LOG_LIMITED(info, "relay: {} callback to {} failed ({}), retry in {} ms",
                   d.job->what, d.dest, status, d.next_delay.count());
    self->delayed_send(self, d.next_delay, atom::retry_v, id);
    d.next_delay = std::min(d.next_delay * 2, st.env->max_delay);
  }
  start_next(self, dest);
}

} // namespace

relay_actor::behavior_type
relay(relay_actor::stateful_pointer<relay_state> self,
      std::shared_ptr<const relay_env> env) {
  self->state.env = std::move(env);
  return {
    [self](atom::relay, const relay_job_ptr& job) {
      auto& st = self->state;
      relay_state::delivery d;
      if (!parse_target_url(job->url, d.ep, d.target)) {
        GW_LOG_LIMITED(warn, "relay: {} callback of tenant {}: bad URL",
                       job->what, job->tenant);
        ++st.stats.given_up;
        return;
      }
      d.job = job;
      d.dest = d.ep.host + ":" + d.ep.port;
      d.next_delay = st.env->first_delay;
      d.given_up_at = self->clock().now() + st.env->retry_for;
      auto id = st.next_id++;
      st.pending.emplace(id, std::move(d));
      start(self, id);
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
