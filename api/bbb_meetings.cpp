// getMeetings: rendered from the gateway's own state (the tenant's snapshot
// and each node's last poll), never asking a node.
#include "api/bbb_common.hpp"
#include "net/meeting_xml.hpp"
#include "net/rendered_cache.hpp"
#include "net/xml.hpp"

namespace gw::api {

void bbb_api::get_meetings(call_ctx& c) const {
  auto view = c.tenant->env->view->load();
  if (view->empty())
    return c.respond(net::xml_response(
      "<response><returncode>SUCCESS</returncode><meetings/><messageKey>"
      "noMeetings</messageKey><message>no meetings were found on this server"
      "</message></response>"));
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
