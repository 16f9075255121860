#include "actors/store_actor.hpp"

#include <spdlog/spdlog.h>

#include "net/log_limit.hpp"

namespace gw {

namespace {

using self_ptr = store_actor::stateful_pointer<store_state>;

/// Commits every queued meeting write in one transaction and answers their
/// writers. Should the batch fail, each write is tried on its own, so one
/// bad row cannot fail the others.
/// Commits the queued outbox writes in one transaction (all relays of
/// many messages share a commit under load) and answers their writers.
void flush_outbox(self_ptr self) {
  auto& st = self->state;
  if (st.outbox.empty())
    return;
  auto writes = std::move(st.outbox);
  auto waiting = std::move(st.outbox_waiting);
  st.outbox.clear();
  st.outbox_waiting.clear();
  bool ok = true;
  auto t0 = std::chrono::steady_clock::now();
  if (!st.repos.outbox) {
    ok = false;
  } else if (auto r = st.repos.outbox->write_outbox(writes); !r) {
    ok = false;
    GW_LOG_LIMITED(error, "store: cannot write {} outbox change(s): {}",
                   writes.size(), r.error().message);
  }
  if (st.metrics)
    st.metrics->commits.observe(std::chrono::steady_clock::now() - t0);
  for (auto& w : waiting)
    if (w)
      w(ok);
}

void flush(self_ptr self) {
  auto& st = self->state;
  // The writes that queued up while the previous commit ran.
  if (st.metrics)
    st.metrics->queued.store(
      static_cast<int64_t>(st.pending.size() + st.outbox.size()),
      std::memory_order_relaxed);
  flush_outbox(self);
  if (st.pending.empty())
    return;
  auto writes = std::move(st.pending);
  auto waiting = std::move(st.waiting);
  st.pending.clear();
  st.waiting.clear();
  std::vector<bool> ok(writes.size(), true);
  auto t0 = std::chrono::steady_clock::now();
  auto r = st.repos.meetings->write_meetings(writes);
  if (st.metrics)
    st.metrics->commits.observe(std::chrono::steady_clock::now() - t0);
  if (!r) {
    GW_LOG_LIMITED(warn,
                   "store: batch of {} writes failed ({}); writing one by one",
                   writes.size(), r.error().message);
    for (std::size_t i = 0; i < writes.size(); ++i) {
      if (auto e = st.repos.meetings->write_meetings({writes[i]}); !e) {
        ok[i] = false;
        const auto& w = writes[i];
        using kind = store::meeting_write::kind;
        bool intent = w.what == kind::intend || w.what == kind::unintend;
        GW_LOG_LIMITED(error, "store: cannot {} {}/{}: {}",
                       w.what == kind::put      ? "save meeting"
                       : w.what == kind::erase  ? "delete meeting"
                       : w.what == kind::intend ? "record the create intent of"
                                                : "remove the create intent of",
                       intent ? w.intent.tenant : w.row.tenant,
                       intent ? w.intent.meeting_id : w.row.meeting_id,
                       e.error().message);
      }
    }
  }
  for (std::size_t i = 0; i < waiting.size(); ++i)
    if (waiting[i])
      waiting[i](static_cast<bool>(ok[i]));
}

void enqueue(self_ptr self, store::meeting_write w,
             std::function<void(bool)> done) {
  auto& st = self->state;
  if (st.pending.empty())
    self->send(self, atom::flush_v);
  st.pending.push_back(std::move(w));
  st.waiting.push_back(std::move(done));
}

} // namespace

store_actor::behavior_type
store_service(store_actor::stateful_pointer<store_state> self,
              store::repositories repos) {
  return store_service_timed(self, std::move(repos), nullptr);
}

store_actor::behavior_type
store_service_timed(store_actor::stateful_pointer<store_state> self,
                    store::repositories repos,
                    std::shared_ptr<store_metrics> metrics) {
  self->state.metrics = std::move(metrics);
  self->state.repos = std::move(repos);
  return {
    [self](atom::put, meeting_row& row,
           create_call& call) -> caf::result<bool> {
      auto rp = self->make_response_promise<bool>();
      enqueue(
        self,
        {store::meeting_write::kind::put, std::move(row), std::move(call), {}},
        [rp](bool ok) mutable {
          if (rp.pending())
            rp.deliver(ok);
        });
      return rp;
    },
    [self](atom::put, meeting_row& row, create_call& call, saved_hook& hook) {
      enqueue(
        self,
        {store::meeting_write::kind::put, std::move(row), std::move(call), {}},
        std::move(hook.fn));
    },
    [self](atom::erase, const std::string& tenant, const std::string& id) {
      store::meeting_write w;
      w.what = store::meeting_write::kind::erase;
      w.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
      w.row.tenant = tenant;
      w.row.meeting_id = id;
      enqueue(self, std::move(w), {});
    },
    [self](atom::intend, create_intent& intent, saved_hook& hook) {
      store::meeting_write w;
      w.what = store::meeting_write::kind::intend;
      w.intent = std::move(intent);
      enqueue(self, std::move(w), std::move(hook.fn));
    },
    [self](atom::unintend, const std::string& tenant, const std::string& id) {
      store::meeting_write w;
      w.what = store::meeting_write::kind::unintend;
      w.intent.tenant = tenant;
      w.intent.meeting_id = id;
      enqueue(self, std::move(w), {});
    },
    [self](atom::recordings, std::vector<recording>& put,
           std::vector<recording>& removed) {
      auto& repo = self->state.repos.recordings;
      if (!repo)
        return;
      std::vector<store::recording_write> writes;
      writes.reserve(put.size() + removed.size());
      for (auto& r : put)
        writes.push_back({false, std::move(r)});
      for (auto& r : removed)
        writes.push_back({true, std::move(r)});
      // The index is rebuilt from the nodes at the next reconciliation if
      // this is lost: a failure is logged, nobody waits for it.
      if (auto r = repo->write_recordings(writes); !r)
        GW_LOG_LIMITED(error, "store: cannot write {} recording change(s): {}",
                       writes.size(), r.error().message);
    },
    [self](atom::relay, std::vector<relay_job>& put,
           std::vector<int64_t>& done) -> caf::result<bool> {
      auto& st = self->state;
      if (st.outbox.empty())
        self->send(self, atom::flush_v);
      for (auto& j : put)
        st.outbox.push_back({false, std::move(j)});
      for (auto id : done) {
        store::outbox_write w;
        w.erase = true;
        w.job.id = id;
        st.outbox.push_back(std::move(w));
      }
      auto rp = self->make_response_promise<bool>();
      st.outbox_waiting.push_back([rp](bool ok) mutable {
        if (rp.pending())
          rp.deliver(ok);
      });
      return rp;
    },
    [self](atom::relay, atom::load, const std::string& dest, int64_t after,
           int64_t limit) -> caf::result<std::vector<relay_job>> {
      flush_outbox(self);
      auto& repo = self->state.repos.outbox;
      if (!repo)
        return std::vector<relay_job>{};
      auto jobs = repo->load_outbox(dest, after, limit);
      if (!jobs) {
        GW_LOG_LIMITED(error, "store: cannot read the outbox: {}",
                       jobs.error().message);
        return make_error(jobs.error());
      }
      return std::move(*jobs);
    },
    [self](atom::hook, atom::put, const hook& h) {
      auto& repo = self->state.repos.hooks;
      if (!repo)
        return false;
      if (auto r = repo->put_hook(h); !r) {
        GW_LOG_LIMITED(error, "store: cannot save hook {}: {}", h.id,
                       r.error().message);
        return false;
      }
      return true;
    },
    [self](atom::hook, atom::remove, const std::string& id) {
      auto& repo = self->state.repos.hooks;
      if (!repo)
        return false;
      if (auto r = repo->remove_hook(id); !r) {
        GW_LOG_LIMITED(error, "store: cannot remove hook {}: {}", id,
                       r.error().message);
        return false;
      }
      return true;
    },
    [self](atom::flush) { flush(self); },
    [self](atom::fetch, const std::string& tenant, const std::string& id) {
      // Reads see every write queued before them.
      flush(self);
      auto call = self->state.repos.meetings->load_create_call(tenant, id);
      if (!call)
        return caf::result<create_call>{make_error(call.error())};
      return caf::result<create_call>{std::move(*call)};
    },
    [self](atom::meetings, const std::string& tenant) {
      flush(self);
      auto stored = self->state.repos.meetings->load_tenant(tenant);
      if (!stored)
        return caf::result<tenant_meetings>{make_error(stored.error())};
      return caf::result<tenant_meetings>{std::move(*stored)};
    },
    [self](atom::tenant, atom::put,
           const tenant_spec_ptr& spec) -> caf::result<bool> {
      if (auto r = self->state.repos.tenants->update_tenant(*spec); !r) {
        spdlog::error("store: cannot save tenant {}: {}", spec->id,
                      r.error().message);
        return make_error(r.error());
      }
      return true;
    },
    [self](atom::tenant, atom::remove,
           const std::string& id) -> caf::result<bool> {
      if (auto r = self->state.repos.tenants->remove_tenant(id); !r) {
        spdlog::error("store: cannot remove tenant {}: {}", id,
                      r.error().message);
        return make_error(r.error());
      }
      return true;
    },
    [self](atom::usage, const std::vector<usage_event>& events) {
      if (auto r = self->state.repos.usage->add_usage(events); !r)
        spdlog::error("store: cannot record usage: {}", r.error().message);
    },
    [self](atom::usage, const std::string& tenant, int64_t from_ms,
           int64_t to_ms) -> caf::result<usage_rows_ptr> {
      // Queued meeting writes first: a meeting that just ended counts.
      flush(self);
      auto r = self->state.repos.usage->load_usage(tenant, from_ms, to_ms);
      if (!r)
        return make_error(r.error());
      auto out = std::make_shared<usage_rows_read>();
      out->meetings = std::move(r->meetings);
      out->events = std::move(r->events);
      return usage_rows_ptr{out};
    },
    [self](atom::usage, atom::remove, int64_t before_ms) {
      if (auto r = self->state.repos.usage->purge_usage(before_ms); !r)
        spdlog::error("store: cannot purge usage: {}", r.error().message);
    },
    [self](atom::usage, atom::tick, int64_t retention_ms) {
      auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
      if (auto r = self->state.repos.usage->purge_usage(now - retention_ms); !r)
        spdlog::error("store: cannot purge usage: {}", r.error().message);
      self->delayed_send(self, std::chrono::hours(24), atom::usage_v,
                         atom::tick_v, retention_ms);
    },
    [self](atom::put, const node_spec& spec) -> caf::result<bool> {
      if (auto r = self->state.repos.nodes->update_node(spec); !r) {
        spdlog::error("store: cannot save node {}: {}", spec.id,
                      r.error().message);
        return make_error(r.error());
      }
      return true;
    },
    [self](atom::remove, const std::string& id) -> caf::result<bool> {
      if (auto r = self->state.repos.nodes->remove_node(id); !r) {
        spdlog::error("store: cannot remove node {}: {}", id,
                      r.error().message);
        return make_error(r.error());
      }
      return true;
    },
    [self](atom::load, atom::nodes,
           atom::tenants) -> caf::result<stored_definitions_ptr> {
      auto nodes = self->state.repos.nodes->load_nodes();
      if (!nodes)
        return make_error(nodes.error());
      auto tenants = self->state.repos.tenants->load_tenants();
      if (!tenants)
        return make_error(tenants.error());
      auto out = std::make_shared<stored_definitions>();
      out->nodes = std::move(*nodes);
      out->tenants = std::move(*tenants);
      return stored_definitions_ptr{std::move(out)};
    },
    [self](atom::put, const stored_definitions_ptr& defs) -> caf::result<bool> {
      for (const auto& n : defs->nodes)
        if (auto r = self->state.repos.nodes->put_node(n); !r) {
          spdlog::error("store: cannot save node {}: {}", n.spec.id,
                        r.error().message);
          return make_error(r.error());
        }
      for (const auto& t : defs->tenants)
        if (auto r = self->state.repos.tenants->put_tenant(t); !r) {
          spdlog::error("store: cannot save tenant {}: {}", t.spec.id,
                        r.error().message);
          return make_error(r.error());
        }
      return true;
    },
  };
}

} // namespace gw
