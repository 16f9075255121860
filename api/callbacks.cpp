// The nodes' callbacks to the gateway: the end callback (released at once,
// relayed to the client's own URL with the client's meetingID) and the
// recording-ready callback (verified with the node's secret, indexed,
// relayed re-signed with the tenant's secret), and the learning-analytics
// report (verified, its meeting IDs the client's, re-signed, relayed).
#include <boost/asio/post.hpp>
#include <boost/beast/http/verb.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "api/bbb_common.hpp"
#include "core/digest.hpp"
#include "core/ids.hpp"
#include "net/callback_urls.hpp"
#include "net/http_client.hpp"
#include "net/io_pool.hpp"
#include "net/jwt.hpp"
#include "net/webhooks.hpp"

namespace gw::api {

namespace http = boost::beast::http;

void bbb_api::end_callback(std::string_view raw_query,
                           const net::request_info& info,
                           net::responder respond) const {
  // A node calls this when a meeting ends: t=tenant, m=meetingID, n=nonce,
  // then BBB's own meetingID (the node's) and recordingmarks.
  auto q = net::query::parse(raw_query);
  auto param = [&q](const char* name) {
    auto v = q ? q->get(name) : nullptr;
    return v ? *v : std::string{};
  };
  auto dir = tenants_->load();
  auto t = dir->by_id.find(param("t"));
  if (!q || t == dir->by_id.end())
    return respond(net::make_response(404, "text/plain", "unknown callback\n"));
  auto view = t->second->env->view->load();
  auto found = view->find(param("m"));
  if (!found || !constant_time_equal((*found)->callback_nonce, param("n")))
    return respond(net::make_response(404, "text/plain", "unknown callback\n"));
  auto row = *found;
  caf::anon_send(t->second->actor(), atom::vanished_v, row->meeting_id,
                 row->node_id);
  if (row->client_end_callback.empty())
    return respond(net::make_response(200, "text/plain", "ok\n"));
  // Relay to the client's own callback, as BBB would have called it.
  auto url = row->client_end_callback;
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "meetingID=" + net::percent_encode(row->meeting_id);
  auto marks = param("recordingmarks");
  url += "&recordingmarks=" + (marks.empty() ? "false" : marks);
  relay_job job;
  job.url = std::move(url);
  job.post = false;
  job.what = "end";
  job.tenant = t->first;
  if (actors_.relay)
    return hand_over(std::move(job), info, std::move(respond));
  respond(net::make_response(200, "text/plain", "ok\n"));
  url_parts ep;
  std::string target;
  if (parse_target_url(job.url, ep, target))
    info.shard->client->request(ep, http::verb::get, target, "", "",
                                node_timeout, [](net::client_response&&) {});
}

std::optional<net::gateway_callback>
bbb_api::named_callback(std::string_view target, std::string_view kind,
                        std::shared_ptr<const tenant_entry>& entry) const {
  auto own = settings_.public_url + "/_gw/";
  auto cb = net::read_gateway_callback(
    own + std::string{target.substr(std::string_view{"/_gw/"}.size())}, own);
  if (!cb || cb->kind != kind)
    return std::nullopt;
  auto dir = tenants_->load();
  auto t = dir->by_id.find(cb->tenant);
  if (t == dir->by_id.end())
    return std::nullopt;
  entry = t->second;
  return cb;
}

void bbb_api::recording_callback(net::http_request&& req,
                                 const net::request_info& info,
                                 net::responder respond) const {
  // A node's post-publish script: POST signed_parameters=<JWT HS256 signed
  // with the node's secret: meeting_id (the node's), record_id>.
  auto refuse = [&respond](unsigned status, const char* why) {
    respond(net::make_response(status, "text/plain", std::string{why} + "\n"));
  };
  std::shared_ptr<const tenant_entry> entry;
  auto cb = named_callback(req.target(), "recording", entry);
  if (!cb)
    return refuse(404, "unknown callback");
  if (req.method() != http::verb::post)
    return refuse(405, "POST only");
  auto form = net::query::parse(req.body());
  const auto* token = form ? form->get("signed_parameters") : nullptr;
  if (token == nullptr || token->empty())
    return refuse(400, "signed_parameters missing");
  // Signed by a node of the fleet: the nodes whose secret verifies it are
  // asked for the recording (one, unless nodes share a secret).
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  auto nodes = nodes_->load();
  auto fetch = std::make_shared<recordings_fetch>();
  std::string claims_text;
  for (const auto& [id, node] : *nodes)
    if (auto v = net::jwt_verify(*token, node->secret, now)) {
      claims_text = v->payload;
      fetch->ids_by_node[id];
    }
  if (fetch->ids_by_node.empty())
    return refuse(401, "signature does not verify");
  auto claims = nlohmann::json::parse(claims_text, nullptr, false);
  auto text = [&claims](const char* key) {
    auto it = claims.find(key);
    return it != claims.end() && it->is_string() ? it->get<std::string>()
                                                 : std::string{};
  };
  const auto& env = *entry->env;
  auto record_id = text("record_id");
  if (record_id.empty()
      || text("meeting_id") != env.node_prefix + cb->meeting_id)
    return refuse(400, "claims do not match this callback");
  for (auto& [id, ids] : fetch->ids_by_node)
    ids.push_back(record_id);
  // Relayed as BBB would have sent it: the client's meetingID, the same
  // record ID, signed with the tenant's first secret.
  auto relayed = net::jwt_sign(
    nlohmann::json{{"meeting_id", cb->meeting_id}, {"record_id", record_id}}
      .dump(),
    env.cfg.secrets.front());
  for (const auto& [key, url] : cb->client_urls) {
    if (!net::is_recording_ready_param("meta_" + key))
      continue;
    auto job = std::make_shared<relay_job>();
    job->url = url;
    job->body = "signed_parameters=" + net::percent_encode(relayed);
    job->content_type = "application/x-www-form-urlencoded";
    job->what = "recording-ready";
    job->tenant = env.cfg.id;
    fetch->relays.push_back(std::move(job));
  }
  spdlog::info("recordings: tenant {}: recording {} of {} is ready", env.cfg.id,
               record_id, cb->meeting_id);
  // Acknowledged once the recording is indexed and its relays are in the
  // outbox: a node that hears nothing did not hand anything over.
  if (!actors_.recordings)
    return respond(net::make_response(200, "text/plain", "ok\n"));
  fetch->done = acknowledge(info, std::move(respond));
  caf::anon_send(actors_.recordings, atom::refresh_v,
                 recordings_fetch_ptr{std::move(fetch)});
}

void bbb_api::analytics_callback(net::http_request&& req,
                                 const net::request_info& info,
                                 net::responder respond) const {
  // A node's learning-analytics report at a meeting's end: a JSON body,
  // `Authorization: Bearer <JWT signed with the node's secret>` (HS512 in
  // BBB 2.4+, claims `exp`).
  auto refuse = [&respond](unsigned status, const char* why) {
    respond(net::make_response(status, "text/plain", std::string{why} + "\n"));
  };
  std::shared_ptr<const tenant_entry> entry;
  auto cb = named_callback(req.target(), "analytics", entry);
  if (!cb)
    return refuse(404, "unknown callback");
  if (req.method() != http::verb::post)
    return refuse(405, "POST only");
  constexpr std::string_view bearer = "Bearer ";
  std::string_view auth = req[http::field::authorization];
  if (auth.substr(0, bearer.size()) != bearer)
    return refuse(401, "Authorization: Bearer missing");
  auto token = auth.substr(bearer.size());
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  std::optional<net::jwt_token> verified;
  auto nodes = nodes_->load();
  for (const auto& [id, node] : *nodes)
    if (!verified)
      verified = net::jwt_verify(token, node->secret, now);
  if (!verified)
    return refuse(401, "signature does not verify");
  auto body = nlohmann::json::parse(req.body(), nullptr, false);
  if (!body.is_object())
    return refuse(400, "the body is not a JSON object");
  const auto& env = *entry->env;
  auto node_id = node_meeting_id(env.node_prefix, cb->meeting_id);
  auto named = body.find("meeting_id");
  if (named == body.end() || !named->is_string()
      || named->get<std::string>() != node_id)
    return refuse(400, "the report is not of this callback's meeting");
  std::string client_url;
  for (const auto& [k, v] : cb->client_urls)
    if (k == "analytics-callback-url")
      client_url = v;
  if (client_url.empty() || !actors_.relay)
    return respond(net::make_response(200, "text/plain", "ok\n"));
  // As the node would have sent it to its one client: the client's
  // meetingID everywhere, the same claims and algorithm, the tenant's
  // secret.
  net::replace_in_strings(body, node_id, cb->meeting_id);
  relay_job job;
  job.url = std::move(client_url);
  job.body =
    body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  job.content_type = "application/json";
  job.headers =
    "Authorization: Bearer "
    + net::jwt_sign(verified->payload, env.cfg.secrets.front(), verified->alg);
  job.what = "analytics";
  job.tenant = env.cfg.id;
  spdlog::info("analytics: tenant {}: report of {} relayed", env.cfg.id,
               cb->meeting_id);
  hand_over(std::move(job), info, std::move(respond));
}

std::function<void()> bbb_api::acknowledge(const net::request_info& info,
                                           net::responder respond) {
  auto* shard = info.shard;
  return [shard, respond = std::move(respond)] {
    boost::asio::post(shard->ioc, [respond] {
      respond(net::make_response(200, "text/plain", "ok\n"));
    });
  };
}

void bbb_api::hand_over(relay_job job, const net::request_info& info,
                        net::responder respond) const {
  auto handoff = std::make_shared<relay_handoff>();
  handoff->jobs.push_back(std::move(job));
  handoff->done = [ack = acknowledge(info, std::move(respond))](bool) {
    ack();
  };
  caf::anon_send(actors_.relay, atom::relay_v, std::move(handoff));
}

} // namespace gw::api
