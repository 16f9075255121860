#include "actors/relay_actor.hpp"

#include <algorithm>

#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "core/url.hpp"
#include "net/log_limit.hpp"

namespace gw {

namespace {

using self_ptr = relay_actor::stateful_pointer<relay_state>;
using time_point = caf::actor_clock::time_point;
using destination = relay_state::destination;

int64_t wall_ms(const relay_env& env) {
  if (env.now_ms)
    return env.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// Removes relay `id` from the outbox (delivered or given up).
void unstore(self_ptr self, int64_t id) {
  if (self->state.env->store)
    caf::anon_send(self->state.env->store, atom::relay_v,
                   std::vector<relay_job>{}, std::vector<int64_t>{id});
}

/// Makes sure `dest` is looked at again at `when` (one timer per
/// destination, the earliest wins).
void wake(self_ptr self, const std::string& key, destination& d,
          time_point when) {
  auto now = self->clock().now();
  if (d.wake_at != time_point{} && d.wake_at > now && d.wake_at <= when)
    return;
  d.wake_at = when;
  // Rounded up: a timer that fires early would find nothing due.
  auto delay = std::chrono::ceil<std::chrono::milliseconds>(
    when > now ? when - now : time_point::duration::zero());
  self->delayed_send(self, delay, atom::retry_v, key);
}

void start(self_ptr self, const std::string& key, destination& d, int64_t id,
           relay_state::delivery& dl) {
  auto& st = self->state;
  dl.flying = true;
  ++d.in_flight;
  ++dl.attempts;
  node_request req;
  req.target = dl.target;
  req.post = dl.job->post;
  req.body = dl.job->body;
  req.content_type = dl.job->content_type;
  req.headers = dl.job->headers;
  req.timeout = st.env->timeout;
  (void)key;
  auto handle = caf::actor_cast<relay_actor>(self);
  st.env->send(dl.ep, std::move(req), [handle, id](node_response&& res) {
    caf::anon_send(handle, atom::delivered_v, id,
                   static_cast<int64_t>(res.error.empty() ? res.status : 0));
  });
}

void give_up(self_ptr self, int64_t id, const relay_state::delivery& dl,
             const std::string& last) {
  auto& st = self->state;
  spdlog::warn("relay: {} callback of tenant {} to {} given up after {} "
               "attempts (last: {})",
               dl.job->what, dl.job->tenant, dl.job->dest, dl.attempts, last);
  ++st.stats.given_up;
  ++st.stats.by_kind[dl.job->what + "/given_up"];
  unstore(self, id);
  st.where.erase(id);
}

void refill(self_ptr self, const std::string& key);

/// Starts what may start for `key`, then reads more from the outbox if its
/// window has room; forgets the destination once nothing is left of it.
void pump(self_ptr self, const std::string& key) {
  auto& st = self->state;
  auto found = st.dests.find(key);
  if (found == st.dests.end())
    return;
  auto& d = found->second;
  auto now = self->clock().now();
  time_point next{};
  auto earliest = [&next](time_point t) {
    if (next == time_point{} || t < next)
      next = t;
  };
  // Deliveries past their deadline go first, whatever the mode.
  for (auto it = d.held.begin(); it != d.held.end();) {
    if (!it->second.flying && now >= it->second.given_up_at) {
      give_up(self, it->first, it->second, "deadline passed while waiting");
      it = d.held.erase(it);
    } else {
      ++it;
    }
  }
  if (d.failing) {
    // One probe at a time once the destination's delay is over: a delivery
    // never tried before goes first, else the one due earliest (a receiver
    // that refuses one delivery does not hold up the others).
    if (d.in_flight == 0) {
      if (now < d.probe_at) {
        earliest(d.probe_at);
      } else {
        relay_state::delivery* pick = nullptr;
        int64_t pick_id = 0;
        for (auto& [id, dl] : d.held)
          if (pick == nullptr || dl.not_before < pick->not_before) {
            pick = &dl;
            pick_id = id;
          }
        if (pick != nullptr) {
          if (pick->not_before > now)
            earliest(pick->not_before);
          else
            start(self, key, d, pick_id, *pick);
        }
      }
    }
  } else {
    for (auto& [id, dl] : d.held) {
      if (d.in_flight >= st.env->per_destination)
        break;
      if (dl.flying)
        continue;
      if (dl.not_before > now) {
        earliest(dl.not_before);
        continue;
      }
      start(self, key, d, id, dl);
    }
  }
  if (next != time_point{})
    wake(self, key, d, next);
  refill(self, key);
  if (d.held.empty() && d.in_flight == 0 && !d.spilled && !d.loading
      && !d.failing)
    st.dests.erase(found);
}

/// Holds a relay that is in the outbox (or memory only): from now on it is
/// delivered.
void hold(self_ptr self, relay_job_ptr job) {
  auto& st = self->state;
  relay_state::delivery dl;
  if (!parse_target_url(job->url, dl.ep, dl.target)) {
    // Only a row of an older outbox can get here (new ones are checked
    // before they are written).
    ++st.stats.refused;
    ++st.stats.by_kind[job->what + "/refused"];
    unstore(self, job->id);
    return;
  }
  auto& d = st.dests[job->dest];
  dl.next_delay = st.env->first_delay;
  // The deadline counts from when it was handed over, across restarts.
  auto left = std::chrono::milliseconds(job->created_ms - wall_ms(*st.env))
              + st.env->retry_for;
  dl.given_up_at = self->clock().now() + left;
  auto id = job->id;
  dl.job = std::move(job);
  d.loaded_upto = std::max(d.loaded_upto, id);
  st.where[id] = dl.job->dest;
  d.held.emplace(id, std::move(dl));
}

void refill(self_ptr self, const std::string& key) {
  auto& st = self->state;
  auto found = st.dests.find(key);
  if (found == st.dests.end() || !st.env->store)
    return;
  auto& d = found->second;
  auto cap = st.env->memory_per_destination;
  if (!d.spilled || d.loading || d.held.size() > cap / 2)
    return;
  d.loading = true;
  d.arrived_while_loading = 0;
  auto limit = static_cast<int64_t>(cap - d.held.size());
  self
    ->request(st.env->store, caf::infinite, atom::relay_v, atom::load_v, key,
              d.loaded_upto, limit)
    .then(
      [self, key, limit](std::vector<relay_job>& jobs) {
        auto& dst = self->state.dests[key];
        dst.loading = false;
        auto got = static_cast<int64_t>(jobs.size());
        for (auto& j : jobs)
          if (j.id > dst.loaded_upto)
            hold(self, std::make_shared<const relay_job>(std::move(j)));
        // Everything written before the read is in; what arrived during it
        // may not be, so it is read next time.
        auto& after = self->state.dests[key];
        if (got < limit && after.arrived_while_loading == 0)
          after.spilled = false;
        pump(self, key);
      },
      [self, key](caf::error& err) {
        auto& dst = self->state.dests[key];
        dst.loading = false;
        GW_LOG_LIMITED(warn, "relay: cannot read the outbox for {}: {}", key,
                       to_string(err));
        wake(self, key, dst,
             self->clock().now() + self->state.env->first_delay);
      });
}

/// Takes on a relay: held in memory, or left in the outbox when its
/// destination's window is full (`in_store`: it was written there).
void take_on(self_ptr self, relay_job_ptr job, bool in_store) {
  auto& st = self->state;
  auto key = job->dest;
  auto& d = st.dests[key];
  if (in_store
      && (d.spilled || d.loading
          || d.held.size() >= st.env->memory_per_destination)) {
    d.spilled = true;
    if (d.loading)
      ++d.arrived_while_loading;
    return;
  }
  hold(self, std::move(job));
  pump(self, key);
}

/// Checks a new relay and gives it its id, destination and time; false
/// (logged, counted) for a URL that does not parse or that points at the
/// gateway or a node.
bool prepare(self_ptr self, relay_job& j) {
  auto& st = self->state;
  url_parts ep;
  std::string target;
  if (!parse_target_url(j.url, ep, target)) {
    GW_LOG_LIMITED(warn, "relay: {} callback of tenant {}: bad URL", j.what,
                   j.tenant);
    ++st.stats.refused;
    ++st.stats.by_kind[j.what + "/refused"];
    return false;
  }
  if (st.env->forbidden && st.env->forbidden(ep)) {
    GW_LOG_LIMITED(warn,
                   "relay: {} callback of tenant {} points at the gateway or "
                   "one of its nodes ({}:{}): not sent",
                   j.what, j.tenant, ep.host, ep.port);
    ++st.stats.refused;
    ++st.stats.by_kind[j.what + "/refused"];
    return false;
  }
  j.dest = ep.host + ":" + ep.port;
  j.id = st.next_id++;
  j.created_ms = wall_ms(*st.env);
  return true;
}

void on_delivered(self_ptr self, int64_t id, int64_t status) {
  auto& st = self->state;
  auto w = st.where.find(id);
  if (w == st.where.end())
    return;
  auto key = w->second;
  auto& d = st.dests[key];
  auto it = d.held.find(id);
  if (it == d.held.end())
    return;
  auto& dl = it->second;
  dl.flying = false;
  --d.in_flight;
  bool webhook = dl.job->what == "webhook";
  bool done = (status >= 200 && status < 300) || status == 410
              || (webhook && status == 401);
  auto now = self->clock().now();
  if (done) {
    ++st.stats.delivered;
    ++st.stats.by_kind[dl.job->what + "/delivered"];
    d.failing = false;
    d.delay = std::chrono::milliseconds{0};
    unstore(self, id);
    st.where.erase(id);
    d.held.erase(it);
  } else {
    auto last =
      status == 0 ? std::string{"no answer"} : "HTTP " + std::to_string(status);
    d.delay = d.failing ? std::min(d.delay * 2, st.env->max_delay)
                        : st.env->first_delay;
    d.failing = true;
    d.probe_at = now + d.delay;
    if (now + dl.next_delay > dl.given_up_at) {
      give_up(self, id, dl, last);
      d.held.erase(it);
    } else {
      GW_LOG_LIMITED(info,
                     "relay: {} callback to {} failed ({}), retry in {} ms",
                     dl.job->what, key, last, dl.next_delay.count());
      dl.not_before = now + dl.next_delay;
      dl.next_delay = std::min(dl.next_delay * 2, st.env->max_delay);
    }
  }
  pump(self, key);
}

/// Writes `jobs` (the deliverable ones) to the outbox, then takes them on;
/// `then(ok)` runs once they are in it (`ok`), or could not be written:
/// then they are taken on in memory when `even_unstored`, dropped
/// otherwise (the caller has them sent again). Without a store they are
/// taken on at once.
void store_then_take_on(self_ptr self, std::vector<relay_job> jobs,
                        bool even_unstored, std::function<void(bool)> then) {
  std::vector<relay_job> mine;
  mine.reserve(jobs.size());
  for (auto& j : jobs)
    if (prepare(self, j))
      mine.push_back(std::move(j));
  auto& st = self->state;
  if (mine.empty() || !st.env->store) {
    for (auto& j : mine)
      take_on(self, std::make_shared<const relay_job>(std::move(j)), false);
    if (then)
      then(true);
    return;
  }
  auto shared = std::make_shared<std::vector<relay_job>>(std::move(mine));
  auto finish = [self, shared, even_unstored, then](bool ok) {
    if (ok || even_unstored)
      for (auto& j : *shared)
        take_on(self, std::make_shared<const relay_job>(std::move(j)), ok);
    if (then)
      then(ok);
  };
  self
    ->request(st.env->store, caf::infinite, atom::relay_v, *shared,
              std::vector<int64_t>{})
    .then([finish](bool ok) { finish(ok); },
          [finish](caf::error&) { finish(false); });
}

} // namespace

relay_actor::behavior_type
relay(relay_actor::stateful_pointer<relay_state> self,
      std::shared_ptr<const relay_env> env, relay_restore restored) {
  self->state.env = std::move(env);
  self->state.next_id = std::max<int64_t>(1, restored.next_id);
  if (!restored.destinations.empty())
    spdlog::info("relay: resuming pending callbacks to {} destination(s)",
                 restored.destinations.size());
  for (const auto& key : restored.destinations) {
    self->state.dests[key].spilled = true;
    refill(self, key);
  }
  return {
    [self](atom::relay, const relay_job_ptr& job) {
      store_then_take_on(self, {*job}, true, nullptr);
    },
    [self](atom::relay, std::vector<relay_job>& jobs) -> caf::result<bool> {
      auto rp = self->make_response_promise<bool>();
      store_then_take_on(self, std::move(jobs), false,
                         [rp](bool ok) mutable { rp.deliver(ok); });
      return rp;
    },
    [self](atom::relay, const relay_handoff_ptr& handoff) {
      store_then_take_on(self, std::move(handoff->jobs), true,
                         std::move(handoff->done));
    },
    [self](atom::delivered, int64_t id, int64_t status) {
      on_delivered(self, id, status);
    },
    [self](atom::retry, const std::string& key) {
      auto it = self->state.dests.find(key);
      if (it == self->state.dests.end())
        return;
      // Whichever timer this was, the next pump sets the one it needs.
      it->second.wake_at = time_point{};
      pump(self, key);
    },
    [self](atom::stats) {
      auto s = self->state.stats;
      s.pending = static_cast<int64_t>(self->state.where.size());
      s.failing = 0;
      for (const auto& [k, d] : self->state.dests)
        if (d.failing)
          ++s.failing;
      return s;
    },
  };
}

} // namespace gw
