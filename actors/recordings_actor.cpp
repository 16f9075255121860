#include "actors/recordings_actor.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_set>

#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/recordings_parser.hpp"
#include "core/ids.hpp"
#include "net/callback_urls.hpp"
#include "net/log_limit.hpp"
#include "net/node_api.hpp"

namespace gw {

namespace {

using self_ptr = recordings_actor::stateful_pointer<recordings_state>;

/// Publishes `tenant`'s index, ordered by start time then record ID.
void publish(self_ptr self, const std::string& tenant) {
  auto& st = self->state;
  auto slot = st.slots.find(tenant);
  if (slot == st.slots.end())
    return;
  auto next = std::make_shared<recording_index>();
  for (const auto& [id, r] : st.index[tenant])
    next->items.push_back(r);
  std::stable_sort(
    next->items.begin(), next->items.end(),
    [](const auto& a, const auto& b) { return a->start_time < b->start_time; });
  build_lookups(*next);
  slot->second->store(std::move(next));
}

/// A node's recording in the tenant's terms, or false when it is no
/// tenant's (another system's meeting on a shared node).
bool to_tenant(const recordings_state& st, const std::string& node,
               recording& r) {
  const auto& env = *st.env;
  std::string prefix{prefix_of(r.meeting_id)};
  auto it = st.tenant_by_prefix.find(prefix);
  if (prefix.empty() || it == st.tenant_by_prefix.end())
    return false;
  r.tenant = it->second;
  r.node_id = node;
  r.meeting_id = r.meeting_id.substr(prefix.size());
  // The gateway's own callback URLs are not the client's metadata: the
  // client's own URLs they carry are shown instead; BBB's `meetingId` is
  // the client's meetingID.
  r.metadata = net::client_metadata(r.metadata, env.own_url_prefix);
  for (auto& [k, v] : r.metadata)
    if (k == "meetingId" && v.compare(0, prefix.size(), prefix) == 0)
      v = v.substr(prefix.size());
  return true;
}

/// The pages of `node`'s list the index can vouch for after a
/// reconciliation: each changed page's record IDs, each unchanged page's
/// memo (taken from `known`). False when an unchanged page's memo is gone
/// (a fetch or a tenant change since it was read): nothing can be removed.
bool remember_pages(const net::node_recordings& found,
                    const std::vector<page_mark>& pages,
                    std::map<int64_t, page_memo>& known,
                    std::map<int64_t, page_memo>& memo) {
  bool whole = true;
  for (const auto& p : pages) {
    if (p.unchanged) {
      auto it = known.find(p.offset);
      if (it == known.end() || it->second.fingerprint != p.fingerprint) {
        whole = false;
        continue;
      }
      memo.emplace(p.offset, std::move(it->second));
    } else if (!p.fingerprint.empty()) {
      page_memo m;
      m.fingerprint = p.fingerprint;
      for (auto i = p.first; i < p.first + p.count; ++i)
        m.record_ids.push_back(found.recordings[i].record_id);
      memo.emplace(p.offset, std::move(m));
    }
  }
  return whole;
}

/// Takes what node `node` showed: new and changed recordings are put;
/// recordings the index had on it and it no longer shows leave, among all
/// of them (`asked` null: a full list) or among the IDs asked for. The
/// recordings are mapped to their tenants in place (the list is the
/// actor's); only new or changed ones are copied.
void on_synced(self_ptr self, const std::string& node, node_sync& got,
               const std::vector<std::string>* asked = nullptr) {
  auto& st = self->state;
  auto& found = got.list;
  std::vector<recording> put;
  std::vector<recording> removed;
  std::set<std::string> touched;
  // Pages the node showed as the index took them last time.
  std::map<int64_t, page_memo> memo;
  bool complete = found.complete;
  if (!asked && !got.pages.empty())
    complete =
      remember_pages(found, got.pages, st.pages[node], memo) && complete;
  // Record IDs the node shows (views into `memo` and `found`, which stay
  // put until the end).
  std::unordered_set<std::string_view> seen;
  for (const auto& [offset, m] : memo)
    for (const auto& id : m.record_ids)
      seen.insert(id);
  for (const auto& r : found.recordings)
    seen.insert(r.record_id);
  std::unordered_set<std::string_view> asked_ids;
  if (asked)
    asked_ids.insert(asked->begin(), asked->end());
  for (auto& r : found.recordings) {
    if (!to_tenant(st, node, r))
      continue;
    auto& mine = st.index[r.tenant];
    auto it = mine.find(r.record_id);
    if (it != mine.end() && same_recording(*it->second, r))
      continue;
    touched.insert(r.tenant);
    put.push_back(r);
    mine[r.record_id] = std::make_shared<const recording>(r);
  }
  // What the index had on this node and the node no longer shows.
  for (auto& [tenant, mine] : st.index)
    for (auto it = mine.begin(); it != mine.end();) {
      if (it->second->node_id == node && seen.count(it->first) == 0
          && (asked ? asked_ids.count(it->first) != 0 : complete)) {
        touched.insert(tenant);
        removed.push_back(*it->second);
        it = mine.erase(it);
      } else {
        ++it;
      }
    }
  // A fetch, or a list read at once, leaves nothing to vouch for pages.
  if (asked || got.pages.empty())
    st.pages.erase(node);
  else
    st.pages[node] = std::move(memo);
  for (const auto& t : touched)
    publish(self, t);
  if (!put.empty() || !removed.empty()) {
    spdlog::info("recordings: node {}: {} new or changed, {} gone", node,
                 put.size(), removed.size());
    self->send(st.env->store, atom::recordings_v, std::move(put),
               std::move(removed));
  }
}

void finish_fetch(self_ptr self, int64_t batch) {
  auto& st = self->state;
  auto it = st.fetches.find(batch);
  if (it == st.fetches.end() || --it->second.second > 0)
    return;
  auto fetch = it->second.first;
  st.fetches.erase(it);
  if (fetch->relays.empty() || !st.env->relay) {
    if (fetch->done)
      fetch->done();
    return;
  }
  // `done` once the relays are in the outbox (the node's callback is
  // acknowledged only then).
  auto handoff = std::make_shared<relay_handoff>();
  for (const auto& r : fetch->relays)
    handoff->jobs.push_back(*r);
  handoff->done = [fetch](bool) {
    if (fetch->done)
      fetch->done();
  };
  self->send(st.env->relay, atom::relay_v, std::move(handoff));
}

void start_fetch(self_ptr self, const recordings_fetch_ptr& fetch) {
  auto& st = self->state;
  auto batch = st.next_fetch++;
  st.fetches[batch] = {fetch, 1};
  auto nodes = st.env->nodes ? st.env->nodes->load() : nullptr;
  auto handle = caf::actor_cast<recordings_actor>(self);
  for (const auto& [node, ids] : fetch->ids_by_node) {
    auto it = nodes ? nodes->find(node) : node_directory::const_iterator{};
    if (!nodes || it == nodes->end())
      continue;
    ++st.fetches[batch].second;
    st.env->call_node(
      any_shard, it->second, net::recordings_by_id_request(*it->second, ids),
      [handle, batch, node = node, ids = ids](node_response&& res) {
        auto got = std::make_shared<node_sync>();
        got->list = net::read_node_recordings(res);
        caf::anon_send(handle, atom::found_v, batch, node, ids, std::move(got));
      });
  }
  finish_fetch(self, batch);
}

} // namespace

recordings_actor::behavior_type
recordings(recordings_actor::stateful_pointer<recordings_state> self,
           std::shared_ptr<const recordings_env> env,
           std::vector<recording> restored) {
  auto& st = self->state;
  st.env = std::move(env);
  for (auto& r : restored) {
    auto tenant = r.tenant;
    auto id = r.record_id;
    st.index[tenant][id] = std::make_shared<const recording>(std::move(r));
  }
  if (st.env->parser_thread)
    st.parser =
      self->spawn<caf::detached + caf::linked>(recordings_parser, true);
  else
    st.parser = self->spawn<caf::linked>(recordings_parser, false);
  st.tenant_by_prefix = st.env->tenant_by_prefix;
  st.slots = st.env->slots;
  for (const auto& [tenant, slot] : st.slots)
    publish(self, tenant);
  return {
    [self](atom::synced, const std::string& node, const node_sync_ptr& got) {
      on_synced(self, node, *got);
    },
    [self](atom::refresh, const recordings_fetch_ptr& fetch) {
      start_fetch(self, fetch);
    },
    [self](atom::parse, const node_page_ptr& page) {
      // What the index took from this page last time, if anything.
      auto& s = self->state;
      if (auto n = s.pages.find(page->node); n != s.pages.end())
        if (auto m = n->second.find(page->offset); m != n->second.end()) {
          page->known_fingerprint = m->second.fingerprint;
          page->known_count = m->second.record_ids.size();
        }
      self->send(s.parser, atom::parse_v, page);
    },
    [self](atom::found, int64_t batch, const std::string& node,
           const std::vector<std::string>& ids, const node_sync_ptr& got) {
      if (got->list.ok)
        on_synced(self, node, *got, &ids);
      else
        GW_LOG_LIMITED(warn, "recordings: node {} gave no list ({})", node,
                       got->list.problem);
      finish_fetch(self, batch);
    },
    [self](atom::add, const std::string& tenant, const std::string& prefix,
           const recording_slot_ptr& slot) {
      auto& s = self->state;
      s.tenant_by_prefix[prefix] = tenant;
      s.slots[tenant] = slot;
      s.pages.clear(); // pages read before hold its recordings unindexed
      publish(self, tenant);
    },
    [self](atom::remove, const std::string& tenant) {
      auto& s = self->state;
      s.slots.erase(tenant);
      s.index.erase(tenant);
      s.pages.clear();
      for (auto it = s.tenant_by_prefix.begin();
           it != s.tenant_by_prefix.end();)
        it = it->second == tenant ? s.tenant_by_prefix.erase(it) : ++it;
    },
    [self](atom::stats) {
      int64_t n = 0;
      for (const auto& [tenant, mine] : self->state.index)
        n += static_cast<int64_t>(mine.size());
      return n;
    },
  };
}

} // namespace gw
