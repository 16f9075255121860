#include "api/admin_api.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "api/admin_json.hpp"
#include "api/ask.hpp"
#include "core/digest.hpp"
#include "net/io_pool.hpp"
#include "net/query.hpp"

namespace gw::api {

using net::http_response;
using net::make_response;
using net::request_info;
using net::responder;

namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

constexpr auto ask_timeout = std::chrono::seconds(10);

/// Reads the admin fields of a node from a JSON body; `partial` allows
/// leaving fields out (PATCH: 0 and empty keep the node's values). Only
/// shapes are checked here; what the values must be is core's
/// validate_node, which the fleet applies.
std::string read_spec(const json& body, bool partial, node_spec& spec) {
  if (!body.is_object())
    return "body: must be a JSON object";
  for (const auto& [key, value] : body.items()) {
    (void)value;
    if (key != "id" && key != "url" && key != "secret" && key != "capacity"
        && key != "overcommit" && key != "state")
      return key + ": unknown field";
    if (partial && (key == "id" || key == "url" || key == "secret"))
      return key + ": cannot change; remove the node and add it again";
  }
  auto text = [&](const char* key, std::string& out) -> std::string {
    if (!body.contains(key))
      return partial ? "" : std::string{key} + ": is required";
    if (!body[key].is_string())
      return std::string{key} + ": must be a string";
    out = body[key].get<std::string>();
    return {};
  };
  for (auto [key, out] : {std::pair<const char*, std::string*>{"id", &spec.id},
                          {"url", &spec.url},
                          {"secret", &spec.secret}})
    if (!partial)
      if (auto err = text(key, *out); !err.empty())
        return err;
  if (body.contains("capacity")) {
    if (!body["capacity"].is_number_integer())
      return "capacity: must be an integer of at least 1";
    spec.capacity = body["capacity"].get<int64_t>();
    if (spec.capacity < 1)
      return "capacity: must be an integer of at least 1";
  } else if (!partial) {
    return "capacity: is required";
  }
  if (body.contains("overcommit")) {
    if (!body["overcommit"].is_number())
      return "overcommit: must be a number greater than 0";
    spec.overcommit = body["overcommit"].get<double>();
    if (!(spec.overcommit > 0))
      return "overcommit: must be a number greater than 0";
  } else if (partial) {
    spec.overcommit = 0; // keep
  }
  spec.state = partial ? "" : "enabled";
  if (body.contains("state"))
    if (auto err = text("state", spec.state); !err.empty())
      return err;
  return {};
}

} // namespace

admin_api::admin_api(caf::actor_system& sys, admin_actors actors,
                     std::shared_ptr<snapshot_slot<node_directory>> nodes,
                     std::shared_ptr<snapshot_slot<tenant_directory>> tenants,
                     std::string token)
  : sys_(sys), actors_(std::move(actors)), nodes_(std::move(nodes)),
    tenant_dir_(std::move(tenants)), token_(std::move(token)) {}

void admin_api::list(const request_info& info, responder respond,
                     std::string only) const {
  auto nodes = nodes_;
  ask<std::vector<node_load>>(
    sys_, actors_.fleet, info.shard->ioc.get_executor(), ask_timeout,
    [respond, nodes, only](caf::expected<std::vector<node_load>> loads) {
      if (!loads)
        return respond(error_answer(503, "the fleet did not answer"));
      auto dir = nodes->load();
      auto out = json::array();
      for (const auto& l : *loads) {
        if (!only.empty() && l.id != only)
          continue;
        json n{{"id", l.id},
               {"capacity", l.capacity},
               {"overcommit", l.overcommit},
               {"state", l.state},
               {"online", l.online},
               {"committed", l.committed},
               {"meetings", l.meetings},
               {"drained", l.state == "draining" && l.meetings == 0}};
        int64_t participants = 0;
        if (auto it = dir->find(l.id); it != dir->end()) {
          n["url"] = it->second->url;
          auto live = it->second->live->load();
          for (const auto& [id, m] : live->meetings)
            participants += m.participants;
          n["last_poll_ms"] = live->polled_at;
          n["webhooks"] = live->webhooks;
        }
        n["participants"] = participants;
        out.push_back(std::move(n));
      }
      if (!only.empty()) {
        if (out.empty())
          return respond(error_answer(404, "no node '" + only + "'"));
        return respond(json_answer(200, out[0]));
      }
      respond(json_answer(200, json{{"nodes", out}}));
    },
    atom::nodes_v);
}

void admin_api::add_routes(net::router& r) {
  auto self = shared_from_this();
  r.add(net::router::match::prefix, "/admin/",
        [self](net::http_request&& req, const request_info& info,
               responder respond) {
          self->handle(std::move(req), info, std::move(respond));
        });
}

void admin_api::handle(net::http_request&& req, const request_info& info,
                       responder respond) const {
  if (token_.empty())
    return respond(error_answer(404, "the admin API is off (set admin.token)"));
  auto auth = std::string{req[http::field::authorization]};
  if (!constant_time_equal(auth, "Bearer " + token_))
    return respond(error_answer(401, "missing or wrong bearer token"));
  if (info.body_too_large)
    return respond(error_answer(413, "body: larger than body_limit_bytes"));
  auto path = std::string{net::target_path(req.target())};
  constexpr std::string_view tenants_base = "/admin/tenants";
  if (path.compare(0, tenants_base.size(), tenants_base) == 0
      && (path.size() == tenants_base.size()
          || path[tenants_base.size()] == '/'))
    return tenants(std::move(req), info, std::move(respond),
                   path.substr(tenants_base.size()));
  constexpr std::string_view base = "/admin/nodes";
  if (path.compare(0, base.size(), base) != 0)
    return respond(error_answer(404, "unknown admin path"));
  auto rest = path.substr(base.size());
  std::string id = rest.size() > 1 && rest[0] == '/' ? rest.substr(1) : "";
  if (!rest.empty() && id.empty())
    return respond(error_answer(404, "unknown admin path"));
  nodes(std::move(req), info, std::move(respond), id);
}

void admin_api::nodes(net::http_request&& req, const request_info& info,
                      responder respond, const std::string& id) const {
  auto q = net::query::parse(net::target_query(req.target()));
  auto method = req.method();
  auto reply = [respond](unsigned ok_status, const std::string& what) {
    return [respond, ok_status, what](caf::expected<bool> done) {
      if (!done)
        return respond(failure_answer(failure_of(done.error())));
      respond(json_answer(ok_status, json{{"ok", true}, {"node", what}}));
    };
  };
  auto ex = info.shard->ioc.get_executor();
  if (id.empty() && method == http::verb::get)
    return list(info, std::move(respond), "");
  if (id.empty() && method == http::verb::post) {
    auto body = json::parse(req.body(), nullptr, false);
    node_spec spec;
    if (auto err = read_spec(body, false, spec); !err.empty())
      return respond(error_answer(400, err));
    return ask<bool>(sys_, actors_.fleet, ex, ask_timeout, reply(201, spec.id),
                     atom::add_v, spec);
  }
  if (!id.empty() && method == http::verb::get)
    return list(info, std::move(respond), id);
  if (!id.empty() && method == http::verb::patch) {
    auto body = json::parse(req.body(), nullptr, false);
    node_spec spec;
    if (auto err = read_spec(body, true, spec); !err.empty())
      return respond(error_answer(400, err));
    spec.id = id;
    return ask<bool>(sys_, actors_.fleet, ex, ask_timeout, reply(200, id),
                     atom::update_v, spec);
  }
  if (!id.empty() && method == http::verb::delete_) {
    auto force = q && q->get("force") && *q->get("force") == "true";
    return ask<bool>(sys_, actors_.fleet, ex, ask_timeout, reply(200, id),
                     atom::remove_v, id, force);
  }
  respond(error_answer(405, "method not allowed here"));
}

} // namespace gw::api
