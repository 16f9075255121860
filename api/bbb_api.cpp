#include "api/bbb_api.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <set>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "api/bbb_common.hpp"
#include "net/checksum.hpp"
#include "net/query.hpp"
#include "net/recording_params.hpp"
#include "net/recording_xml.hpp"
#include "net/webhooks.hpp"

namespace gw::api {

namespace http = boost::beast::http;

namespace {

const std::string& version_document() {
  static const std::string doc =
    "<response><returncode>SUCCESS</returncode><version>2.0</version>"
    "<apiVersion>2.0</apiVersion><bbbVersion></bbbVersion></response>";
  return doc;
}

bool is_form(const net::http_request& req) {
  return net::is_form_type(req[http::field::content_type]);
}

/// One BBB call the gateway serves: its name, whether only GET is allowed,
/// and its handler.
struct bbb_call {
  std::string_view name;
  bool get_only;
  void (bbb_api::*handler)(bbb_api::call_ctx&) const;
};

/// Logs one line per answered call: tenant, call, meetingID (as sent,
/// percent-encoded), returncode, messageKey, HTTP status, microseconds.
/// Nothing else of the request: never a secret or checksum.
net::responder access_logged(net::responder inner,
                             std::shared_ptr<net::access_log> log,
                             std::size_t shard, const std::string& tenant,
                             std::string_view call,
                             std::string_view raw_query) {
  auto start = std::chrono::steady_clock::now();
  return [inner = std::move(inner), log = std::move(log), shard, tenant, call,
          meeting = std::string{net::find_raw_value(raw_query, "meetingID")},
          start](net::http_response&& r) {
    std::string_view body = r.body();
    auto head = body.substr(0, 512);
    auto text = [&head](std::string_view open) {
      auto at = head.find(open);
      if (at == std::string_view::npos)
        return std::string_view{};
      at += open.size();
      auto end = head.find('<', at);
      return end == std::string_view::npos ? std::string_view{}
                                           : head.substr(at, end - at);
    };
    net::access_entry e;
    e.tenant = tenant;
    e.call = call;
    e.meeting_id = meeting;
    e.status = r.result_int();
    e.returncode = text("<returncode>");
    e.message_key = text("<messageKey>");
    e.microseconds = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    log->write(shard, e);
    inner(std::move(r));
  };
}

} // namespace

bbb_api::bbb_api(std::shared_ptr<snapshot_slot<tenant_directory>> tenants,
                 std::shared_ptr<snapshot_slot<node_directory>> nodes,
                 api_settings settings,
                 std::function<net::io_shard&()> pool_next, api_actors actors)
  : tenants_(std::move(tenants)), nodes_(std::move(nodes)),
    settings_(std::move(settings)), pool_next_(std::move(pool_next)),
    actors_(std::move(actors)) {}

void bbb_api::add_routes(net::router& r) {
  auto self = shared_from_this();
  r.add(net::router::match::exact, "/_gw/callback/end",
        [self](net::http_request&& req, const net::request_info& info,
               net::responder respond) {
          self->end_callback(net::target_query(req.target()), info,
                             std::move(respond));
        });
  r.add(net::router::match::exact, "/_gw/callback/recording",
        [self](net::http_request&& req, const net::request_info& info,
               net::responder respond) {
          self->recording_callback(std::move(req), info, std::move(respond));
        });
  r.add(net::router::match::exact, "/_gw/callback/analytics",
        [self](net::http_request&& req, const net::request_info& info,
               net::responder respond) {
          self->analytics_callback(std::move(req), info, std::move(respond));
        });
  r.add(net::router::match::prefix, "/_gw/events/",
        [self](net::http_request&& req, const net::request_info& info,
               net::responder respond) {
          self->node_events(std::move(req), info, std::move(respond));
        });
  r.fallback([self](net::http_request&& req, const net::request_info& info,
                    net::responder respond) {
    self->handle(std::move(req), info, std::move(respond));
  });
}

void bbb_api::handle(net::http_request&& req, const net::request_info& info,
                     net::responder respond) const {
  // The calls of the BBB API the gateway serves, and how.
  static const std::array<bbb_call, 18> calls{{
    {"create", false, &bbb_api::create},
    {"join", true, &bbb_api::join},
    {"end", false, &bbb_api::proxy},
    {"isMeetingRunning", false, &bbb_api::proxy},
    {"getMeetingInfo", false, &bbb_api::proxy},
    {"getMeetings", false, &bbb_api::get_meetings},
    {"insertDocument", false, &bbb_api::proxy},
    {"sendChatMessage", false, &bbb_api::proxy},
    {"getRecordings", false, &bbb_api::get_recordings},
    {"publishRecordings", false, &bbb_api::change_recordings},
    {"updateRecordings", false, &bbb_api::change_recordings},
    {"deleteRecordings", false, &bbb_api::change_recordings},
    {"getJoinUrl", true, &bbb_api::get_join_url},
    {"getRecordingTextTracks", false, &bbb_api::text_tracks},
    {"putRecordingTextTrack", false, &bbb_api::text_tracks},
    // bbb-webhooks (GET only, like its express routes).
    {"hooks/create", true, &bbb_api::hooks_api},
    {"hooks/list", true, &bbb_api::hooks_api},
    {"hooks/destroy", true, &bbb_api::hooks_api},
  }};
  std::string_view target = req.target();
  auto path = net::target_path(target);
  auto raw_query = net::target_query(target);
  // Route: /<tenant>/bigbluebutton/api/<call> or Host + /bigbluebutton/api.
  constexpr std::string_view api = "/bigbluebutton/api";
  std::shared_ptr<const tenant_entry> tenant;
  std::string_view rest;
  auto tenants = tenants_->load();
  if (path.substr(0, api.size()) == api) {
    auto host = net::normalize_host(req[http::field::host]);
    auto it = tenants->by_host.find(host);
    if (it != tenants->by_host.end())
      tenant = it->second;
    rest = path.substr(api.size());
  } else {
    auto slash = path.find('/', 1);
    auto segment = path.substr(
      1, slash == std::string_view::npos ? std::string_view::npos : slash - 1);
    auto after =
      slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    if (after.substr(0, api.size()) != api)
      return respond(net::make_response(404, "text/plain", "not found\n"));
    auto it = tenants->by_id.find(std::string{segment});
    if (it != tenants->by_id.end())
      tenant = it->second;
    rest = after.substr(api.size());
  }
  if (!rest.empty() && rest.front() != '/')
    return respond(net::make_response(404, "text/plain", "not found\n"));
  if (!tenant)
    return answer_failed(respond, failure::of(ec::unknown_tenant));
  std::string call{rest.empty() ? rest : rest.substr(1)};
  if (call.empty())
    return respond(net::xml_response(version_document()));
  if (call == "hooks/ping")
    return respond(
      net::make_response(200, "text/plain", "bbb-webhooks API up!"));
  auto entry = std::find_if(calls.begin(), calls.end(),
                            [&](const bbb_call& c) { return c.name == call; });
  if (entry == calls.end())
    return respond(net::make_response(404, "text/html",
                                      "<html><body><h1>404 Not Found</h1>"
                                      "</body></html>"));
  if (settings_.metrics)
    respond = settings_.metrics->counting(
      std::move(respond), info.shard ? info.shard->index : 0, entry->name);
  if (settings_.access_log)
    respond = access_logged(std::move(respond), settings_.access_log,
                            info.shard ? info.shard->index : 0,
                            tenant->env->cfg.id, entry->name, raw_query);
  // BBB's API answers GET (and POST, join excepted); any other method is
  // refused, never served as if it were a GET.
  auto method = req.method();
  if ((entry->get_only && method != http::verb::get)
      || (method != http::verb::get && method != http::verb::post)) {
    auto res = net::make_response(405, "text/html",
                                  "<html><body><h1>405 Method Not Allowed"
                                  "</h1></body></html>");
    res.set(http::field::allow, entry->get_only ? "GET" : "GET, POST");
    return respond(std::move(res));
  }
  if (!tenant->env->cfg.api_enabled)
    return answer_failed(respond, failure::of(ec::integration_api_disabled));
  if (info.body_too_large)
    return answer_failed(
      respond,
      failure{ec::body_too_large, "The request body exceeds "
                                    + std::to_string(settings_.body_limit_bytes)
                                    + " bytes."});
  // The checksum covers the raw query; a POST form with an empty query is
  // checksummed over its sorted parameters (bbb-web 2.x).
  std::string_view signed_query = raw_query;
  std::string_view effective = raw_query;
  std::string form_signed;
  std::string form_effective;
  bool form = req.method() == http::verb::post && is_form(req);
  if (form) {
    auto body_q = net::query::parse(req.body());
    if (!body_q)
      return answer_failed(respond, net::checksum_error(false));
    if (raw_query.empty()) {
      form_effective = net::sorted_form_string(*body_q);
      const auto* sum = body_q->get("checksum");
      form_signed = form_effective + (sum ? "&checksum=" + *sum : "");
      signed_query = form_signed;
      effective = form_effective;
    } else if (!req.body().empty()) {
      form_effective = std::string{raw_query} + "&" + req.body();
      effective = form_effective;
    }
  }
  // getJoinUrl has no checksum: the session token is the credential.
  if (call == "getJoinUrl") {
    auto q = net::query::parse(raw_query);
    call_ctx c;
    c.shard = info.shard;
    c.respond = std::move(respond);
    c.tenant = std::move(tenant);
    c.call = std::move(call);
    c.q = q ? std::move(*q) : net::query{};
    return get_join_url(c);
  }
  // The recording calls check that their parameters are there before
  // they check the checksum (bbb-web's order, bbb-api.md 3.9-3.13).
  if (auto early = recording_presence_error(call, effective))
    return respond(std::move(*early));
  const auto& cfg = tenant->env->cfg;
  auto check = net::verify_checksum(call, signed_query, cfg.secrets,
                                    cfg.checksum_algorithms);
  if (check != net::checksum_result::ok) {
    if (call.rfind("hooks/", 0) == 0)
      return respond(net::xml_response(net::hooks_checksum_error()));
    if (call.find("Recordings") != std::string::npos
        || call.find("TextTrack") != std::string::npos)
      return answer_failed(respond, "checksumError",
                           "You did not pass the checksum security check");
    return answer_failed(
      respond, net::checksum_error(check == net::checksum_result::missing));
  }
  auto q = net::query::parse(effective);
  if (!q)
    return answer_failed(respond, "validationError",
                         "The query string is not validly percent-encoded.");
  call_ctx c;
  c.shard = info.shard;
  c.respond = std::move(respond);
  c.tenant = std::move(tenant);
  c.call = std::move(call);
  c.q = std::move(*q);
  if (form)
    req.body().clear();
  c.req = std::move(req);
  (this->*(entry->handler))(c);
}

// Answered from the tenant's recordings index alone, on the io thread: no
// node is asked, so a node that is down never fails or shortens the list
// (docs/recordings.md).
void bbb_api::get_recordings(call_ctx& c) const {
  auto index = c.tenant->recordings->load();
  auto q = net::parse_recording_query(c.q);
  auto page = select_recordings(*index, q);
  c.respond(
    net::xml_response(net::render_recordings(page, q.limit.has_value())));
}

} // namespace gw::api
