#include "actors/node_actor.hpp"

#include <algorithm>

#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/recordings_sync.hpp"
#include "core/ids.hpp"
#include "net/log_limit.hpp"
#include "net/node_api.hpp"
#include "net/recording_xml.hpp"
#include "net/webhooks.hpp"

namespace gw {

namespace {

using self_ptr = node_actor::stateful_pointer<node_actor_state>;

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

void report(self_ptr self) {
  self->send(self->state.fleet, atom::load_v, self->state.load());
}

void publish_health(self_ptr self, node_live live) {
  live.online = self->state.online;
  live.state = self->state.cfg.state;
  live.webhooks = self->state.webhooks;
  self->state.info->live->store(
    std::make_shared<const node_live>(std::move(live)));
}

void poll(self_ptr self) {
  auto& st = self->state;
  if (st.polling || !st.env->call_node)
    return;
  st.polling = true;
  st.poll_started = std::chrono::steady_clock::now();
  st.poll_started_ms = wall_ms();
  auto seq = ++st.poll_seq;
  auto handle = caf::actor_cast<node_actor>(self);
  st.env->call_node(
    any_shard, st.info, net::poll_request(*st.info, st.env->poll_timeout),
    [handle, seq](node_response&& res) {
      auto parsed = std::make_shared<const poll_result>(net::parse_poll(res));
      caf::anon_send(handle, atom::polled_v, seq, parsed);
    });
}

// -- node_hooks: the gateway's own webhook on the node ----------------------

/// Steps of a check (the `hooks` message's kind).
enum hooks_step : int64_t {
  hooks_listed_present = 0,
  hooks_listed_missing = 1,
  hooks_not_served = 2,
  hooks_unreachable = 3,
  hooks_created = 4,
  hooks_create_failed = 5,
};

std::string events_url(const node_actor_state& st) {
  return st.env->events_url_base + net::percent_encode(st.cfg.id);
}

/// Lists the node's hooks; the answer says whether the gateway's is there.
void check_hooks(self_ptr self) {
  auto& st = self->state;
  st.hooks_checking = true;
  auto handle = caf::actor_cast<node_actor>(self);
  auto url = events_url(st);
  st.env->call_node(
    any_shard, st.info, net::hooks_list_request(*st.info),
    [handle, url](node_response&& res) {
      int64_t kind = hooks_unreachable;
      std::string detail = res.error;
      if (res.error.empty()) {
        auto list =
          res.status == 200 ? net::read_hooks_list(res.body) : std::nullopt;
        if (!list) {
          kind = hooks_not_served;
          detail = "HTTP " + std::to_string(res.status);
        } else {
          kind = std::any_of(list->begin(), list->end(),
                             [&url](const auto& h) { return h.second == url; })
                   ? hooks_listed_present
                   : hooks_listed_missing;
        }
      }
      caf::anon_send(handle, atom::hooks_v, kind, std::move(detail));
    });
}

void set_webhooks(self_ptr self, const std::string& status) {
  auto& st = self->state;
  if (st.webhooks == status)
    return;
  if (status == "registered")
    spdlog::info("node {}: the gateway's webhook is registered", st.cfg.id);
  else if (status == "absent")
    spdlog::warn("node {}: no bbb-webhooks (hooks/list not served): its "
                 "meetings' events cannot be relayed",
                 st.cfg.id);
  else
    spdlog::warn("node {}: cannot register the gateway's webhook", st.cfg.id);
  st.webhooks = status;
  publish_health(self, *st.info->live->load());
}

void on_hooks(self_ptr self, int64_t kind, const std::string& detail) {
  auto& st = self->state;
  auto again = [&](std::chrono::milliseconds after) {
    st.hooks_checking = false;
    st.hooks_next_check = std::chrono::steady_clock::now() + after;
  };
  switch (kind) {
  case hooks_listed_present:
  case hooks_created:
    set_webhooks(self, "registered");
    return again(st.env->hooks_check_interval);
  case hooks_listed_missing: {
    auto handle = caf::actor_cast<node_actor>(self);
    st.env->call_node(
      any_shard, st.info, net::hooks_create_request(*st.info, events_url(st)),
      [handle](node_response&& res) {
        bool ok = res.error.empty() && res.status == 200
                  && net::read_hooks_create(res.body);
        caf::anon_send(
          handle, atom::hooks_v,
          static_cast<int64_t>(ok ? hooks_created : hooks_create_failed),
          res.error);
      });
    return;
  }
  case hooks_not_served:
    set_webhooks(self, "absent");
    return again(st.env->hooks_check_interval);
  case hooks_create_failed:
    GW_LOG_LIMITED(warn, "node {}: hooks/create failed {}", st.cfg.id, detail);
    set_webhooks(self, "failed");
    return again(st.env->poll_interval);
  default: // unreachable: tried again with the next poll
    return again(st.env->poll_interval);
  }
}

/// Tells the owning tenant that a meeting is no longer on this node.
void report_vanished(self_ptr self, const std::string& key,
                     const commitment& c) {
  auto slash = key.find('/');
  auto tenant = key.substr(0, slash);
  auto id = key.substr(slash + 1);
  auto registry = self->state.env->tenants->load();
  auto it = registry->by_id.find(tenant);
  if (it == registry->by_id.end())
    return;
  spdlog::info("node {}: meeting {} of {} is gone, releasing its {} "
               "connections",
               self->state.cfg.id, id, tenant, c.n);
  self->send(it->second, atom::vanished_v, id, self->state.cfg.id);
}

/// Answers the waiters of the poll that just ended (with fresh data, or
/// with the last data when it failed), and starts the next poll for those
/// who need a newer one.
void wake_waiters(self_ptr self) {
  auto& st = self->state;
  auto current = std::move(st.waiters_current);
  st.waiters_current = std::move(st.waiters_next);
  st.waiters_next.clear();
  for (auto& w : current)
    if (w.fn)
      w.fn();
  if (!st.waiters_current.empty()) {
    if (!st.online || !st.env->call_node) {
      auto rest = std::move(st.waiters_current);
      st.waiters_current.clear();
      for (auto& w : rest)
        if (w.fn)
          w.fn();
      return;
    }
    poll(self);
  }
}

/// Tells each tenant which of its meetings (by their prefix) this node runs
/// without a confirmed commitment here: the tenant adopts one whose create
/// it recorded, and ends one nobody can reach (docs/hardening.md).
void report_strangers(self_ptr self, const poll_result& res) {
  auto& st = self->state;
  std::unordered_set<std::string_view> known;
  for (const auto& [key, c] : st.committed)
    if (c.confirmed)
      known.insert(c.node_meeting_id);
  std::unordered_map<std::string, std::vector<std::string>> found;
  for (const auto& [nid, m] : res.meetings)
    if (known.count(nid) == 0)
      if (auto p = prefix_of(nid); !p.empty())
        found[std::string{p}].push_back(nid);
  if (found.empty() && st.stranger_prefixes.empty())
    return;
  auto registry = st.env->tenants->load();
  for (const auto& p : st.stranger_prefixes)
    found[p]; // told that none are left
  st.stranger_prefixes.clear();
  for (auto& [prefix, ids] : found) {
    auto it = registry->by_prefix.find(prefix);
    if (it == registry->by_prefix.end())
      continue; // a tenant this gateway does not serve
    if (!ids.empty())
      st.stranger_prefixes.insert(prefix);
    self->send(it->second, atom::strangers_v, st.cfg.id, std::move(ids));
  }
}

/// Usage accounting: each tenant's participants on this node, times the
/// time since the previous successful poll (at most three intervals: a
/// node that was unreachable is not billed for the gap), handed to the
/// store every ten seconds at most.
void count_participants(self_ptr self, const poll_result& res,
                        int64_t previous_ms) {
  auto& st = self->state;
  auto now = wall_ms();
  if (previous_ms > 0) {
    auto span =
      std::min<int64_t>(now - previous_ms, 3 * st.env->poll_interval.count());
    if (span > 0) {
      auto registry = st.env->tenants->load();
      for (const auto& [nid, m] : res.meetings) {
        if (m.participants <= 0)
          continue;
        auto it = registry->id_by_prefix.find(std::string{prefix_of(nid)});
        if (it != registry->id_by_prefix.end())
          st.participant_ms[it->second] += m.participants * span;
      }
    }
  }
  if (st.participant_ms.empty() || !st.env->store)
    return;
  if (now - st.usage_flushed_ms < 10000)
    return;
  std::vector<usage_event> events;
  for (const auto& [tenant, ms] : st.participant_ms)
    events.push_back({tenant, std::string{usage_participant_ms}, now, ms});
  st.participant_ms.clear();
  st.usage_flushed_ms = now;
  self->send(st.env->store, atom::usage_v, std::move(events));
}

void on_polled(self_ptr self, const poll_result& res) {
  auto& st = self->state;
  st.polling = false;
  bool was_online = st.online;
  if (!res.ok) {
    st.successes = 0;
    if (++st.failures >= st.env->offline_after && st.online) {
      st.online = false;
      spdlog::warn("node {} is offline after {} failed polls: {}", st.cfg.id,
                   st.failures, res.error);
    }
    if (was_online != st.online) {
      auto prev = st.info->live->load();
      publish_health(self, *prev);
      report(self);
    }
    return wake_waiters(self);
  }
  st.failures = 0;
  if (!st.online && ++st.successes >= st.env->online_after) {
    st.online = true;
    st.successes = 0;
    spdlog::info("node {} is online again", st.cfg.id);
  }
  auto now = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, commitment>> gone;
  for (auto& [key, c] : st.committed) {
    // Gone: seen before and missing now; or confirmed by the node before
    // this poll was sent (the node had it, and lists it no more); or never
    // seen nor confirmed for the grace period. A create still on its way
    // (committed, not confirmed) is never taken for gone by one poll.
    if (res.meetings.count(c.node_meeting_id) > 0)
      c.seen = true;
    else if (c.seen || (c.confirmed && c.confirmed_at <= st.poll_started)
             || now - c.since > st.env->unseen_grace)
      gone.emplace_back(key, c);
  }
  for (const auto& [key, c] : gone)
    report_vanished(self, key, c);
  report_strangers(self, res);
  count_participants(self, res, st.info->live->load()->polled_at);
  node_live live;
  live.polled_at = wall_ms();
  live.poll_started_at = st.poll_started_ms;
  st.fresh_from_ms = st.poll_started_ms;
  live.meetings = res.meetings;
  publish_health(self, std::move(live));
  if (was_online != st.online)
    report(self);
  wake_waiters(self);
}

} // namespace

node_load node_actor_state::load() const {
  node_load l;
  l.id = cfg.id;
  l.capacity = cfg.capacity;
  l.overcommit = cfg.overcommit;
  l.committed = total;
  l.meetings = static_cast<int64_t>(committed.size());
  l.state = node_state_name(cfg.state);
  l.online = online;
  return l;
}

bool node_actor_state::fits(int64_t n) const {
  if (cfg.state != node_state::enabled || !online)
    return false;
  auto limit = static_cast<double>(cfg.capacity) * cfg.overcommit;
  return static_cast<double>(total + n) <= limit;
}

node_actor::behavior_type
node(node_actor::stateful_pointer<node_actor_state> self,
     config::node_config cfg, std::shared_ptr<const node_info> info,
     fleet_actor fleet, std::vector<commitment> initial,
     std::shared_ptr<const fleet_env> env) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.info = std::move(info);
  st.env = std::move(env);
  st.fleet = std::move(fleet);
  for (auto& c : initial) {
    c.seen = c.confirmed;
    c.since = std::chrono::steady_clock::now();
    st.total += c.n;
    auto key = std::move(c.key);
    c.key = std::string{}; // the map key holds it
    st.committed[key] = std::move(c);
  }
  report(self);
  publish_health(self, node_live{});
  if (st.env->call_node)
    self->send(self, atom::tick_v);
  if (st.env->call_node && st.env->recordings
      && st.env->recordings_sync_interval.count() > 0)
    self->send(self, atom::sync_v);
  return {
    [self](atom::commit, const std::string& key, const std::string& nid,
           int64_t n) {
      auto& s = self->state;
      auto it = s.committed.find(key);
      int64_t previous = it == s.committed.end() ? 0 : it->second.n;
      if (!s.fits(n - previous))
        return false;
      commitment c;
      c.node_meeting_id = nid;
      c.n = n;
      c.since = std::chrono::steady_clock::now();
      s.committed[key] = std::move(c);
      s.total += n - previous;
      report(self);
      return true;
    },
    [self](atom::release, const std::string& key) {
      auto& s = self->state;
      auto it = s.committed.find(key);
      if (it == s.committed.end())
        return;
      s.total -= it->second.n;
      s.committed.erase(it);
      report(self);
    },
    [self](atom::confirm, const std::string& key) {
      auto& s = self->state;
      if (auto it = s.committed.find(key); it != s.committed.end()) {
        it->second.confirmed = true;
        it->second.confirmed_at = std::chrono::steady_clock::now();
      }
    },
    [self](atom::refresh, int64_t max_age_ms, live_waiter& w) {
      auto& s = self->state;
      auto oldest = wall_ms() - max_age_ms;
      // Fresh enough already, or nothing to be had: answer now (a node
      // that is offline is shown with its last data).
      if (s.fresh_from_ms >= oldest || !s.online || !s.env->call_node)
        return w.fn();
      // A poll sent recently enough serves it; else the next poll does (at
      // most one poll per max_age, however many ask).
      if (s.polling && s.poll_started_ms >= oldest)
        return s.waiters_current.push_back(std::move(w));
      if (s.polling)
        return s.waiters_next.push_back(std::move(w));
      s.waiters_current.push_back(std::move(w));
      poll(self);
    },
    [self](atom::load) { return self->state.load(); },
    [self](atom::tick) {
      poll(self);
      auto& s = self->state;
      if (!s.env->events_url_base.empty() && !s.hooks_checking
          && std::chrono::steady_clock::now() >= s.hooks_next_check)
        check_hooks(self);
      self->delayed_send(self, self->state.env->poll_interval, atom::tick_v);
    },
    [self](atom::polled, int64_t seq, const poll_result_ptr& res) {
      if (seq != self->state.poll_seq)
        return;
      self->state.info->metrics->polls.observe(std::chrono::steady_clock::now()
                                               - self->state.poll_started);
      on_polled(self, *res);
    },
    [self](atom::hooks, int64_t kind, const std::string& detail) {
      on_hooks(self, kind, detail);
    },
    [self](atom::sync) {
      auto& s = self->state;
      auto now = std::chrono::steady_clock::now();
      bool busy = s.syncing && now - *s.syncing < std::chrono::minutes(10);
      if (s.online && !busy) {
        s.syncing = now;
        auto h = caf::actor_cast<node_actor>(self);
        sync_recordings(s.env->call_node, s.info, s.env->recordings, 100,
                        s.env->recordings_page_pause,
                        [h] { caf::anon_send(h, atom::synced_v); });
      }
      self->delayed_send(self, s.env->recordings_sync_interval, atom::sync_v);
    },
    [self](atom::synced) { self->state.syncing.reset(); },
    [self](atom::update, const node_spec& spec) {
      auto& s = self->state;
      s.cfg.capacity = spec.capacity;
      s.cfg.overcommit = spec.overcommit;
      s.cfg.state = parse_node_state(spec.state).value_or(s.cfg.state);
      publish_health(self, *s.info->live->load());
      report(self);
    },
  };
}

} // namespace gw
