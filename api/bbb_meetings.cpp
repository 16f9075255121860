// getMeetings: rendered from the gateway's own state (the tenant's snapshot
// and each node's last poll), with node data never older than
// live_data_max_age_ms: older data is refreshed first, one poll per node
// shared by every caller (design.md §7).
#include <algorithm>
#include <chrono>
#include <functional>

#include <boost/asio/post.hpp>

#include "api/bbb_common.hpp"
#include "net/meeting_xml.hpp"
#include "net/rendered_cache.hpp"
#include "net/xml.hpp"

namespace gw::api {

namespace {

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// Runs a function when destroyed: once the last node's waiter is gone
/// (called, or dropped by an actor that died), whichever thread that is.
struct on_last_release {
  std::function<void()> fn;
  ~on_last_release() {
    fn();
  }
};

} // namespace

bool bbb_api::refresh_live_data(call_ctx& c, const tenant_view& view,
                                const node_directory& nodes) const {
  auto max_age = settings_.live_data_max_age_ms;
  if (max_age <= 0 || c.refreshed)
    return false;
  // The nodes this tenant's meetings live on, whose data is too old. A node
  // that is offline or disabled is shown with its last data.
  // (A fleet has few nodes: a short list beats a set here.)
  std::vector<std::string_view> hosts;
  view.for_each([&](const tenant_view::row_ptr& row) {
    if (std::find(hosts.begin(), hosts.end(), row->node_id) == hosts.end())
      hosts.emplace_back(row->node_id);
  });
  auto oldest = wall_ms() - max_age;
  std::vector<const node_info*> stale;
  for (auto id : hosts) {
    auto it = nodes.find(std::string{id});
    if (it == nodes.end() || !it->second->refresh)
      continue;
    auto live = it->second->live->load();
    if (live->online && live->state != node_state::disabled
        && live->poll_started_at < oldest)
      stale.push_back(it->second.get());
  }
  if (stale.empty())
    return false;
  auto ctx = std::make_shared<call_ctx>(std::move(c));
  ctx->refreshed = true;
  auto* shard = ctx->shard;
  auto latch = std::make_shared<on_last_release>();
  latch->fn = [self = shared_from_this(), ctx, shard] {
    boost::asio::post(shard->ioc, [self, ctx] { self->get_meetings(*ctx); });
  };
  for (const auto* info : stale)
    info->refresh(max_age, [latch] {});
  return true;
}

void bbb_api::get_meetings(call_ctx& c) const {
  auto view = c.tenant->env->view->load();
  if (view->empty())
    return c.respond(net::xml_response(
      "<response><returncode>SUCCESS</returncode><meetings/><messageKey>"
      "noMeetings</messageKey><message>no meetings were found on this server"
      "</message></response>"));
  if (refresh_live_data(c, *view, *nodes_->load()))
    return;
  // The document depends on the tenant's snapshot, the node directory and
  // each node's live data, all immutable once published: rendered once per
  // io thread and reused until one of them is replaced (a create, an end, a
  // poll). Pollers asking every few seconds mostly get a copy.
  auto nodes = nodes_->load();
  std::vector<std::shared_ptr<const void>> sources;
  sources.reserve(nodes->size() + 2);
  sources.push_back(view);
  sources.push_back(nodes);
  std::unordered_map<std::string_view, const node_live*> lives;
  lives.reserve(nodes->size());
  for (const auto& [node_id, info] : *nodes) {
    auto live = info->live->load();
    lives.emplace(node_id, live.get());
    sources.push_back(std::move(live));
  }
  auto& cached = c.shard->rendered->meetings[c.tenant->env->cfg.id];
  if (cached.sources == sources)
    return c.respond(net::xml_response(cached.xml));
  net::xml_writer w;
  w.raw("<response><returncode>SUCCESS</returncode><meetings>");
  view->for_each([&](const tenant_view::row_ptr& row) {
    const live_meeting* live = nullptr;
    if (auto n = lives.find(row->node_id); n != lives.end()) {
      auto it = n->second->meetings.find(row->node_meeting_id);
      if (it != n->second->meetings.end())
        live = &it->second;
    }
    w.open("meeting");
    net::write_meeting(w, *row, live);
    w.close("meeting");
  });
  w.raw("</meetings></response>");
  // A very large tenant's document is not kept (nor the snapshots it holds).
  constexpr std::size_t max_cached_bytes = 1024 * 1024;
  if (w.str().size() > max_cached_bytes) {
    c.shard->rendered->meetings.erase(c.tenant->env->cfg.id);
    return c.respond(net::xml_response(w.take()));
  }
  cached.sources = std::move(sources);
  cached.xml = w.take();
  c.respond(net::xml_response(cached.xml));
}

} // namespace gw::api
