#include "net/gateway_api.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <caf/send.hpp>

#include "net/bbb_params.hpp"
#include "net/checksum.hpp"
#include "net/http_client.hpp"
#include "net/io_pool.hpp"
#include "net/meeting_xml.hpp"
#include "net/read_coalescer.hpp"
#include "net/rendered_cache.hpp"
#include "net/xml.hpp"

namespace gw::net {

namespace http = boost::beast::http;

namespace {

constexpr auto node_timeout = std::chrono::seconds(10);
constexpr auto node_checksum = checksum_algo::sha256;

const std::string& version_document() {
  static const std::string doc =
    "<response><returncode>SUCCESS</returncode><version>2.0</version>"
    "<apiVersion>2.0</apiVersion><bbbVersion></bbbVersion></response>";
  return doc;
}

void answer_failed(const responder& respond, std::string_view key,
                   std::string_view message) {
  respond(xml_response(failed_xml(key, message)));
}

void answer_failed(const responder& respond, const api_error& e) {
  answer_failed(respond, e.key, e.message);
}

/// Encodes like Java's URLEncoder (bbb-web's POST-form checksum rule).
std::string java_url_encode(std::string_view in) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : in) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')
        || (u >= '0' && u <= '9') || c == '.' || c == '-' || c == '*'
        || c == '_') {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(digits[u >> 4]);
      out.push_back(digits[u & 0x0F]);
    }
  }
  return out;
}

/// The string bbb-web 2.x checksums for a POST form with an empty query:
/// parameters sorted by name, checksum skipped, values URL-encoded.
std::string sorted_form_string(const query& body) {
  std::vector<const query_param*> params;
  std::set<std::string> seen;
  for (const auto& p : body.params())
    if (p.name != "checksum" && seen.insert(p.name).second)
      params.push_back(&p);
  std::sort(params.begin(), params.end(),
            [](const query_param* a, const query_param* b) {
              return a->name < b->name;
            });
  std::string out;
  for (const auto* p : params) {
    if (!out.empty())
      out.push_back('&');
    out += p->name + "=" + java_url_encode(p->value);
  }
  return out;
}

bool is_form(const http_request& req) {
  auto ct = req[http::field::content_type];
  return ct.substr(0, 33) == "application/x-www-form-urlencoded";
}

std::string strip_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return std::string{host.substr(0, close + 1)};
  }
  return std::string{host.substr(0, host.find(':'))};
}

std::string error_redirect(const query& q, const std::string& fallback,
                           const api_error& e) {
  std::string base = fallback;
  if (auto v = q.get("errorRedirectUrl"); v && !v->empty())
    base = *v;
  else if (auto l = q.get("logoutURL"); l && !l->empty())
    base = *l;
  auto esc = [](const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\')
        out.push_back('\\');
      out.push_back(c);
    }
    return out;
  };
  std::string json =
    "[{\"key\":\"" + esc(e.key) + "\",\"message\":\"" + esc(e.message) + "\"}]";
  return base + (base.find('?') == std::string::npos ? "?" : "&")
         + "errors=" + percent_encode(json);
}

/// Wraps a node's answer, checked once however many callers share it.
std::shared_ptr<const upstream_answer> checked_answer(client_response&& r) {
  auto a = std::make_shared<upstream_answer>();
  a->bbb_document = !r.ec && r.status == 200 && is_bbb_response(r.body);
  a->response = std::move(r);
  return a;
}

/// Answers a proxied call from the node's answer: the client's meeting ID,
/// duration and end callback put back, a meeting the node no longer knows
/// released.
void answer_proxied(const upstream_answer& a, const responder& respond,
                    const meeting_row& row, const std::string& call,
                    const tenant_entry& tenant, bool ends_meeting) {
  if (!a.bbb_document) {
    // An unreachable node hides the meeting (bbb-api.md item 121).
    if (call == "isMeetingRunning")
      return respond(xml_response("<response><returncode>SUCCESS"
                                  "</returncode><running>false</running>"
                                  "</response>"));
    return answer_failed(respond, not_found_error());
  }
  auto out =
    rewrite_meeting_id(a.response.body, row.node_meeting_id, row.meeting_id);
  if (call == "getMeetingInfo") {
    out = replace_element(std::move(out), "duration", row.client_duration);
    // The node holds the gateway's end callback; show the client's.
    out = row.client_end_callback.empty()
            ? remove_metadata(std::move(out), "endcallbackurl")
            : replace_element(std::move(out), "endcallbackurl",
                              row.client_end_callback);
  }
  // The meeting is over when `end` succeeds or the node no longer knows it:
  // its connections are released at once.
  bool ok = element_text(out, "returncode") == "SUCCESS";
  bool gone = !ok && element_text(out, "messageKey") == "notFound"
              && (call == "end" || call == "getMeetingInfo");
  if ((ends_meeting && ok) || gone)
    caf::anon_send(tenant.actor, atom::ended_v, row.meeting_id);
  respond(xml_response(std::move(out)));
}

bool wants_redirect(const query& q) {
  auto r = q.get("redirect");
  return r == nullptr || r->empty() || is_true(*r);
}

} // namespace

struct gateway_api::call_ctx {
  http_request req;
  io_shard* shard = nullptr;
  responder respond;
  std::shared_ptr<const tenant_entry> tenant;
  std::string call;
  query q;
};

gateway_api::gateway_api(std::shared_ptr<const tenant_directory> tenants,
                         std::shared_ptr<snapshot_slot<node_directory>> nodes,
                         api_settings settings,
                         std::function<io_shard&()> pool_next,
                         std::shared_ptr<const admin_api> admin)
  : tenants_(std::move(tenants)), nodes_(std::move(nodes)),
    settings_(std::move(settings)), pool_next_(std::move(pool_next)),
    admin_(std::move(admin)) {}

void gateway_api::handle(http_request&& req, const request_info& info,
                         responder respond) const {
  std::string_view target = req.target();
  auto qpos = target.find('?');
  auto path = target.substr(0, qpos);
  std::string_view raw_query = qpos == std::string_view::npos
                                 ? std::string_view{}
                                 : target.substr(qpos + 1);
  if (path == "/healthz")
    return respond(make_response(200, "text/plain", "ok\n"));
  if (path.substr(0, 7) == "/admin/" && admin_)
    return admin_->handle(std::move(req), info, std::move(respond));
  if (path == "/_gw/callback/end")
    return end_callback(raw_query, info, std::move(respond));
  // Route: /<tenant>/bigbluebutton/api/<call> or Host + /bigbluebutton/api.
  constexpr std::string_view api = "/bigbluebutton/api";
  std::shared_ptr<const tenant_entry> tenant;
  std::string_view rest;
  if (path.substr(0, api.size()) == api) {
    auto host = strip_port(req[http::field::host]);
    auto it = tenants_->by_host.find(host);
    if (it != tenants_->by_host.end())
      tenant = it->second;
    rest = path.substr(api.size());
  } else {
    auto slash = path.find('/', 1);
    auto segment = path.substr(
      1, slash == std::string_view::npos ? std::string_view::npos : slash - 1);
    auto after =
      slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    if (after.substr(0, api.size()) != api)
      return respond(make_response(404, "text/plain", "not found\n"));
    auto it = tenants_->by_id.find(std::string{segment});
    if (it != tenants_->by_id.end())
      tenant = it->second;
    rest = after.substr(api.size());
  }
  if (!rest.empty() && rest.front() != '/')
    return respond(make_response(404, "text/plain", "not found\n"));
  if (!tenant)
    return answer_failed(respond, "unknownTenant",
                         "No BigBlueButton API is served at this URL. Check "
                         "the API URL you were given.");
  std::string call{rest.empty() ? rest : rest.substr(1)};
  if (call.empty())
    return respond(xml_response(version_document()));
  static const std::set<std::string> known{"create",
                                           "join",
                                           "end",
                                           "isMeetingRunning",
                                           "getMeetingInfo",
                                           "getMeetings",
                                           "getRecordings",
                                           "publishRecordings",
                                           "updateRecordings",
                                           "deleteRecordings",
                                           "insertDocument",
                                           "sendChatMessage"};
  if (known.count(call) == 0)
    return respond(make_response(404, "text/html",
                                 "<html><body><h1>404 Not Found</h1></body>"
                                 "</html>"));
  if (call == "join" && req.method() != http::verb::get)
    return respond(make_response(405, "text/html",
                                 "<html><body><h1>405 Method Not Allowed"
                                 "</h1></body></html>"));
  if (!tenant->env->cfg.api_enabled)
    return answer_failed(respond, "integrationApiDisabled",
                         "The API of this account is switched off.");
  if (info.body_too_large)
    return answer_failed(respond, "bodyTooLarge",
                         "The request body exceeds "
                           + std::to_string(settings_.body_limit_bytes)
                           + " bytes.");
  // The checksum covers the raw query; a POST form with an empty query is
  // checksummed over its sorted parameters (bbb-web 2.x).
  std::string_view signed_query = raw_query;
  std::string_view effective = raw_query;
  std::string form_signed;
  std::string form_effective;
  bool form = req.method() == http::verb::post && is_form(req);
  if (form) {
    auto body_q = query::parse(req.body());
    if (!body_q)
      return answer_failed(respond, checksum_error(false));
    if (raw_query.empty()) {
      form_effective = sorted_form_string(*body_q);
      const auto* sum = body_q->get("checksum");
      form_signed = form_effective + (sum ? "&checksum=" + *sum : "");
      signed_query = form_signed;
      effective = form_effective;
    } else if (!req.body().empty()) {
      form_effective = std::string{raw_query} + "&" + req.body();
      effective = form_effective;
    }
  }
  const auto& cfg = tenant->env->cfg;
  auto check =
    verify_checksum(call, signed_query, cfg.secrets, cfg.checksum_algorithms);
  if (check != checksum_result::ok)
    return answer_failed(respond,
                         checksum_error(check == checksum_result::missing));
  auto q = query::parse(effective);
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
  dispatch(c);
}

void gateway_api::end_callback(std::string_view raw_query,
                               const request_info& info,
                               responder respond) const {
  // A node calls this when a meeting ends: t=tenant, m=meetingID, n=nonce,
  // then BBB's own meetingID (the node's) and recordingmarks.
  auto q = query::parse(raw_query);
  auto param = [&q](const char* name) {
    auto v = q ? q->get(name) : nullptr;
    return v ? *v : std::string{};
  };
  auto t = tenants_->by_id.find(param("t"));
  if (!q || t == tenants_->by_id.end())
    return respond(make_response(404, "text/plain", "unknown callback\n"));
  auto view = t->second->env->view->load();
  auto found = view->find(param("m"));
  if (!found || !constant_time_equal((*found)->callback_nonce, param("n")))
    return respond(make_response(404, "text/plain", "unknown callback\n"));
  auto row = *found;
  caf::anon_send(t->second->actor, atom::vanished_v, row->meeting_id,
                 row->node_id);
  respond(make_response(200, "text/plain", "ok\n"));
  if (row->client_end_callback.empty())
    return;
  // Relay to the client's own callback, as BBB would have called it.
  url_parts ep;
  std::string target;
  if (!parse_target_url(row->client_end_callback, ep, target))
    return;
  target += (target.find('?') == std::string::npos ? "?" : "&");
  target += "meetingID=" + percent_encode(row->meeting_id);
  auto marks = param("recordingmarks");
  target += "&recordingmarks=" + (marks.empty() ? "false" : marks);
  info.shard->client->request(ep, http::verb::get, target, "", "", node_timeout,
                              [](client_response&&) {});
}

void gateway_api::dispatch(call_ctx& c) const {
  const auto& call = c.call;
  if (call == "create")
    return create(c);
  if (call == "join")
    return join(c);
  if (call == "getMeetings")
    return get_meetings(c);
  if (call == "end")
    return proxy(c, true);
  if (call == "isMeetingRunning" || call == "getMeetingInfo"
      || call == "insertDocument" || call == "sendChatMessage")
    return proxy(c, false);
  answer_failed(c.respond, "unsupportedRequest",
                "Recordings are not served through this gateway yet.");
}

void gateway_api::create(call_ctx& c) const {
  if (auto err = validate_create(c.q))
    return answer_failed(c.respond, *err);
  const auto& env = *c.tenant->env;
  auto job = std::make_shared<create_job>();
  job->meeting_id = *c.q.get("meetingID");
  auto number = [&](const char* name, int64_t fallback, int64_t& out) -> bool {
    auto v = c.q.get(name);
    if (v == nullptr || v->empty()) {
      out = fallback;
      return true;
    }
    if (!is_digits(*v) || v->size() > 9)
      return false;
    auto n = std::stoll(*v);
    out = n == 0 ? fallback : n;
    return true;
  };
  if (!number("maxParticipants", env.default_max_participants,
              job->max_participants))
    return answer_failed(c.respond, "validationError",
                         "Parameter 'maxParticipants' must be a "
                         "non-negative integer.");
  if (!number("duration", env.default_duration_minutes, job->duration_minutes))
    return answer_failed(c.respond, "validationError",
                         "Parameter 'duration' must be a non-negative "
                         "integer (minutes).");
  if (auto d = c.q.get("duration"); d && !d->empty())
    job->client_duration = *d;
  if (auto t = c.q.get("deactivateBbbserverDefaultChatTexts")) {
    if (!t->empty() && !is_bbb_boolean(*t))
      return answer_failed(c.respond, "validationError",
                           "Parameter 'deactivateBbbserverDefaultChatTexts' "
                           "must be true or false.");
    job->only_client_texts = is_true(*t);
  }
  job->q = std::move(c.q);
  job->body = std::move(c.req.body());
  job->content_type = std::string{c.req[http::field::content_type]};
  job->shard = c.shard;
  job->respond = std::move(c.respond);
  caf::anon_send(c.tenant->actor, atom::create_v, job);
}

void gateway_api::join(call_ctx& c) const {
  bool redirect = wants_redirect(c.q);
  auto fail = [&](const api_error& e) {
    if (redirect)
      return c.respond(
        redirect_response(error_redirect(c.q, settings_.public_url, e)));
    answer_failed(c.respond, e);
  };
  if (auto err = validate_join(c.q))
    return fail(*err);
  auto view = c.tenant->env->view->load();
  const auto* row = view->find(*c.q.get("meetingID"));
  if (!row)
    return fail({"invalidMeetingIdentifier",
                 "The meeting ID that you supplied did not match any "
                 "existing meetings"});
  auto nodes = nodes_->load();
  auto node = nodes->find((*row)->node_id);
  if (node == nodes->end())
    return join_failover(c, *row);
  auto health = node->second->live->load();
  if (!health->online || health->state == config::node_state::disabled)
    return join_failover(c, *row);
  send_join(c.q, **row, *node->second, c.shard, std::move(c.respond));
}

void gateway_api::send_join(const query& q, const meeting_row& row,
                            const node_info& info, io_shard* shard,
                            responder respond) const {
  auto qs = sign_query(
    "join", q.rewrite_one("checksum", "meetingID", row.node_meeting_id),
    info.secret, node_checksum);
  if (wants_redirect(q))
    return respond(redirect_response(info.base_url + "api/join?" + qs));
  auto target = info.api_path + "join?" + qs;
  auto ep = info.ep;
  auto call = [ep, target, respond](io_shard* s) {
    s->client->request(
      ep, http::verb::get, target, "", "", node_timeout,
      [respond](client_response&& r) {
        if (r.ec || r.status != 200 || !is_bbb_response(r.body))
          return answer_failed(respond, "internalError",
                               "Unable to access meeting on server.");
        respond(xml_response(std::move(r.body)));
      });
  };
  if (shard != nullptr)
    return call(shard);
  auto* any = &pool_next_();
  boost::asio::post(any->ioc, [call, any] { call(any); });
}

void gateway_api::join_failover(call_ctx& c,
                                std::shared_ptr<const meeting_row> row) const {
  auto job = std::make_shared<create_job>();
  job->meeting_id = row->meeting_id;
  job->join_failover = true;
  job->stale_node = row->node_id;
  job->shard = c.shard;
  job->respond = c.respond;
  auto q = std::make_shared<const query>(std::move(c.q));
  auto respond = std::move(c.respond);
  auto nodes = nodes_;
  auto fallback = settings_.public_url;
  auto self = shared_from_this();
  job->on_placed = [self, q, respond, nodes,
                    fallback](std::shared_ptr<const meeting_row> moved) {
    auto dir = nodes->load();
    auto node = moved ? dir->find(moved->node_id) : dir->end();
    if (!moved || node == dir->end()) {
      api_error e{"serverUnavailable",
                  "The server for this meeting is disabled/offline."};
      if (wants_redirect(*q))
        return respond(redirect_response(error_redirect(*q, fallback, e)));
      return answer_failed(respond, e);
    }
    // Runs on an actor thread: a redirect needs no io; an XML join is
    // posted to an io thread.
    self->send_join(*q, *moved, *node->second, nullptr, respond);
  };
  caf::anon_send(c.tenant->actor, atom::create_v, job);
}

void gateway_api::get_meetings(call_ctx& c) const {
  auto view = c.tenant->env->view->load();
  if (view->empty())
    return c.respond(xml_response(
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
    return c.respond(xml_response(cached.xml));
  xml_writer w;
  w.raw("<response><returncode>SUCCESS</returncode><meetings>");
  view->for_each([&](const tenant_view::row_ptr& row) {
    const live_meeting* live = nullptr;
    if (auto n = lives.find(row->node_id); n != lives.end()) {
      auto it = n->second->meetings.find(row->node_meeting_id);
      if (it != n->second->meetings.end())
        live = &it->second;
    }
    w.open("meeting");
    write_meeting(w, *row, live);
    w.close("meeting");
  });
  w.raw("</meetings></response>");
  // A very large tenant's document is not kept (nor the snapshots it holds).
  constexpr std::size_t max_cached_bytes = 1024 * 1024;
  if (w.str().size() > max_cached_bytes) {
    c.shard->rendered->meetings.erase(c.tenant->env->cfg.id);
    return c.respond(xml_response(w.take()));
  }
  cached.sources = std::move(sources);
  cached.xml = w.take();
  c.respond(xml_response(cached.xml));
}

void gateway_api::proxy(call_ctx& c, bool ends_meeting) const {
  auto id = c.q.get("meetingID");
  // isMeetingRunning answers false for any ID no meeting can have:
  // Greenlight's health check asks for meetingID=0 (docs/clients.md 6.3).
  bool lenient = c.call == "isMeetingRunning" && id && !id->empty();
  if (auto err = check_meeting_id(id); err && !lenient)
    return answer_failed(c.respond, *err);
  if (c.call == "end")
    if (auto err = check_password(c.q.get("password")))
      return answer_failed(c.respond, *err);
  auto view = c.tenant->env->view->load();
  const auto* found = view->find(*id);
  if (!found && c.call == "getMeetingInfo")
    found = view->find_internal(*id);
  auto row = found ? *found : nullptr;
  auto not_found = [&c] {
    if (c.call == "isMeetingRunning")
      return c.respond(xml_response("<response><returncode>SUCCESS"
                                    "</returncode><running>false</running>"
                                    "</response>"));
    if (c.call == "sendChatMessage")
      return answer_failed(c.respond, "meetingNotFound",
                           "Meeting not found or not active");
    answer_failed(c.respond, not_found_error());
  };
  if (!row)
    return not_found();
  auto nodes = nodes_->load();
  auto node = nodes->find(row->node_id);
  if (node == nodes->end())
    return not_found();
  const auto& info = *node->second;
  // An internalMeetingID is the node's own and passes unchanged.
  auto node_query =
    *id == row->meeting_id
      ? c.q.rewrite_one("checksum", "meetingID", row->node_meeting_id)
      : c.q.rewrite_one("checksum", {}, {});
  bool post = c.call == "insertDocument" || !c.req.body().empty();
  auto on_answer =
    [respond = std::move(c.respond), row, call = c.call, tenant = c.tenant,
     ends_meeting](const std::shared_ptr<const upstream_answer>& a) {
      answer_proxied(*a, respond, *row, call, *tenant, ends_meeting);
    };
  auto target = info.api_path + c.call + "?"
                + sign_query(c.call, node_query, info.secret, node_checksum);
  auto* client = c.shard->client.get();
  auto ep = info.ep;
  if (!post && (c.call == "getMeetingInfo" || c.call == "isMeetingRunning")) {
    // Reads asked together share one node call (each still gets an answer
    // the node produced after it asked: net/read_coalescer.hpp).
    auto key = info.base_url + c.call + "?" + node_query;
    return c.shard->reads->read(
      key,
      [client, ep, target](
        std::function<void(std::shared_ptr<const upstream_answer>)> done) {
        client->request(
          ep, http::verb::get, target, "", "", node_timeout,
          [done](client_response&& r) { done(checked_answer(std::move(r))); });
      },
      std::move(on_answer));
  }
  auto body = std::move(c.req.body());
  std::string ctype{c.req[http::field::content_type]};
  if (post && ctype.empty())
    ctype = "application/xml";
  client->request(ep, post ? http::verb::post : http::verb::get, target,
                  std::move(body), ctype, node_timeout,
                  [on_answer](client_response&& r) {
                    on_answer(checked_answer(std::move(r)));
                  });
}

} // namespace gw::net
