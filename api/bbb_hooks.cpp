// The bbb-webhooks API under each tenant's API path (hooks/create, list,
// destroy, ping) and the nodes' event deliveries to the gateway, mapped to
// their tenants and meetings and handed to the hooks actor
// (docs/events.md).
#include <map>

#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <caf/send.hpp>

#include "actors/hooks_actor.hpp"
#include "api/bbb_common.hpp"
#include "core/ids.hpp"
#include "core/url.hpp"
#include "net/webhooks.hpp"

namespace gw::api {

namespace http = boost::beast::http;

namespace {

/// Answers on the io thread `shard` (the hooks actor calls back on its
/// own thread).
std::function<void(std::string)> xml_on(net::io_shard* shard,
                                        net::responder respond) {
  return [shard, respond = std::move(respond)](std::string xml) {
    boost::asio::post(shard->ioc, [respond, xml = std::move(xml)]() mutable {
      respond(net::xml_response(std::move(xml)));
    });
  };
}

const char* const create_error =
  "An error happened while creating your hook. Check the logs.";

} // namespace

void bbb_api::hooks_api(call_ctx& c) const {
  auto reply = xml_on(c.shard, c.respond);
  auto call = std::make_shared<hooks_call>();
  call->tenant = c.tenant->env->cfg.id;
  auto param = [&c](const char* name) {
    const auto* v = c.q.get(name);
    return v ? *v : std::string{};
  };
  if (!actors_.hooks)
    return c.respond(net::xml_response(
      net::hooks_failure("createHookError", "Webhooks are not available.")));
  if (c.call == "hooks/create") {
    auto url = param("callbackURL");
    if (url.empty())
      return c.respond(net::xml_response(net::hooks_failure(
        "missingParamCallbackURL",
        "You must specify a callbackURL in the parameters.")));
    url_parts ep;
    std::string target;
    if (!parse_target_url(url, ep, target))
      return c.respond(net::xml_response(net::hooks_failure(
        "createHookError", "The callbackURL must be an http or https URL.")));
    if (settings_.forbidden_destination && settings_.forbidden_destination(ep))
      return c.respond(net::xml_response(net::hooks_failure(
        "createHookError", "The callbackURL may not point at this server or "
                           "at the servers behind it.")));
    auto raw = net::ascii_lower(param("getRaw"));
    if (!raw.empty() && raw != "false" && raw != "true")
      return c.respond(net::xml_response(net::hooks_failure(
        "createHookError", "getRaw must be true or false.")));
    if (raw == "true")
      // Raw events are BBB's internal messages of a whole server: they are
      // not relayed to tenants (docs/events.md).
      return c.respond(net::xml_response(net::hooks_failure(
        "createHookError", "Raw events (getRaw=true) are not offered by this "
                           "server; hooks receive the mapped events.")));
    call->what = hooks_call::kind::create;
    call->spec.callback_url = std::move(url);
    call->spec.meeting_id = param("meetingID");
    call->spec.event_ids = parse_event_ids(param("eventID"));
    call->done = [reply](hooks_call::answer a) {
      if (!a.ok)
        return reply(net::hooks_failure("createHookError", create_error));
      reply(a.duplicate ? net::hooks_duplicate(a.made.id)
                        : net::hooks_created(a.made));
    };
  } else if (c.call == "hooks/destroy") {
    auto id = param("hookID");
    if (id.empty())
      return c.respond(net::xml_response(net::hooks_failure(
        "missingParamHookID", "You must specify a hookID in the parameters.")));
    call->what = hooks_call::kind::destroy;
    call->hook_id = std::move(id);
    call->done = [reply](hooks_call::answer a) {
      if (!a.found)
        return reply(net::hooks_failure("destroyMissingHook",
                                        "The hook informed was not found."));
      if (!a.ok)
        return reply(net::hooks_failure(
          "destroyHookError",
          "An error happened while removing your hook. Check the logs."));
      reply(net::hooks_destroyed());
    };
  } else {
    call->what = hooks_call::kind::list;
    call->meeting_id = param("meetingID");
    call->done = [reply](hooks_call::answer a) {
      reply(net::hooks_list(a.hooks));
    };
  }
  caf::anon_send(actors_.hooks, atom::hook_v, std::move(call));
}

std::string bbb_api::node_events_url(const std::string& node_id) const {
  return settings_.public_url + "/_gw/events/" + net::percent_encode(node_id);
}

void bbb_api::node_events(net::http_request&& req,
                          const net::request_info& info,
                          net::responder respond) const {
  auto plain = [&respond](unsigned status, const char* text) {
    respond(net::make_response(status, "text/plain", std::string{text} + "\n"));
  };
  std::string_view target = req.target();
  auto path = net::target_path(target);
  constexpr std::string_view base = "/_gw/events/";
  auto decoded = net::percent_decode(path.substr(base.size()), false);
  auto nodes = nodes_->load();
  auto node = decoded ? nodes->find(*decoded) : nodes->end();
  if (node == nodes->end())
    return plain(404, "unknown node");
  if (req.method() != http::verb::post)
    return plain(405, "POST only");
  auto q = net::query::parse(net::target_query(target));
  const auto* sum = q ? q->get("checksum") : nullptr;
  if (!net::webhook_delivery_valid(
        node_events_url(node->first), sum ? *sum : std::string_view{},
        req[http::field::authorization], req.body(), node->second->secret))
    return plain(401, "checksum does not verify");
  auto events = net::read_webhook_events(req.body());
  if (!events)
    return plain(400, "no events");
  auto dir = tenants_->load();
  auto own = settings_.public_url + "/_gw/";
  std::map<std::string, webhook_batch_ptr> batches;
  for (auto& ev : *events) {
    auto route = net::route_of(ev);
    if (!route)
      continue;
    const auto& ext = route->external_meeting_id;
    auto prefix = std::string{prefix_of(ext)};
    auto entry =
      prefix.empty() ? dir->by_prefix.end() : dir->by_prefix.find(prefix);
    if (entry == dir->by_prefix.end())
      continue; // not a meeting of a tenant of this gateway
    const auto& env = *entry->second->env;
    // The client's meetingID: from the meeting, else from the node's ID
    // (long IDs are hashed there), else from the recording.
    std::string client;
    auto view = env.view->load();
    if (const auto* row = view->find_internal(route->internal_meeting_id))
      client = (*row)->meeting_id;
    else if (auto rest = ext.substr(prefix.size());
             node_meeting_id(prefix, rest) == ext)
      client = rest;
    else {
      auto index = entry->second->recordings->load();
      auto rec =
        index->by_id.find(route->record_id.empty() ? route->internal_meeting_id
                                                   : route->record_id);
      if (rec == index->by_id.end())
        continue;
      client = rec->second->meeting_id;
    }
    net::rewrite_event(ev, ext, client, own);
    auto& batch = batches[env.cfg.id];
    if (!batch) {
      batch = std::make_shared<webhook_batch>();
      batch->tenant = env.cfg.id;
      batch->secret = env.cfg.secrets.front();
    }
    batch->items.push_back(
      {client, route->id,
       ev.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
  }
  if (batches.empty() || !actors_.hooks)
    return plain(200, "ok");
  // Acknowledged once every tenant's deliveries are in the outbox: a node
  // whose delivery fails sends it again.
  struct tally {
    std::size_t left;
    bool ok = true;
  };
  auto t = std::make_shared<tally>(tally{batches.size()});
  auto* shard = info.shard;
  for (auto& [id, batch] : batches) {
    batch->done = [t, shard, respond](bool ok) {
      boost::asio::post(shard->ioc, [t, ok, respond] {
        t->ok = t->ok && ok;
        if (--t->left > 0)
          return;
        if (t->ok)
          respond(net::make_response(200, "text/plain", "ok\n"));
        else
          respond(net::make_response(503, "text/plain",
                                     "cannot store the events; send again\n"));
      });
    };
    caf::anon_send(actors_.hooks, atom::event_v, batch);
  }
}

} // namespace gw::api
