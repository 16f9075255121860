// The simulated node's bbb-webhooks (3.x): hooks/create, list, destroy,
// ping, and event deliveries; and BBB's learning-analytics report.
#include <algorithm>

#include "core/digest.hpp"
#include "core/url.hpp"
#include "net/bbb_params.hpp"
#include "net/checksum.hpp"
#include "net/jwt.hpp"
#include "net/webhooks.hpp"
#include "sim/sim_state.hpp"

namespace gw::sim {

namespace {

using nlohmann::json;

reply xml_reply(std::string body) {
  reply r;
  r.content_type = "text/xml";
  r.body = std::move(body);
  return r;
}

} // namespace

reply sim_state::hooks_call(const std::string& call,
                            const std::string& raw_query) {
  if (!webhooks_
      || (call != "hooks/create" && call != "hooks/list"
          && call != "hooks/destroy" && call != "hooks/ping")) {
    reply r;
    r.status = 404;
    r.content_type = "text/html";
    r.body = "<html><body><h1>404 Not Found</h1></body></html>";
    return r;
  }
  if (call == "hooks/ping") {
    reply r;
    r.content_type = "text/plain";
    r.body = "bbb-webhooks API up!";
    return r;
  }
  static const std::vector<net::checksum_algo> algos{
    net::checksum_algo::sha1, net::checksum_algo::sha256,
    net::checksum_algo::sha384, net::checksum_algo::sha512};
  if (net::verify_checksum(call, raw_query, {secret_}, algos)
      != net::checksum_result::ok)
    return xml_reply(net::hooks_checksum_error());
  auto q = net::query::parse(raw_query);
  auto param = [&q](const char* name) {
    const auto* v = q ? q->get(name) : nullptr;
    return v ? *v : std::string{};
  };
  if (call == "hooks/create") {
    if (q->get("callbackURL") == nullptr)
      return xml_reply(net::hooks_failure(
        "missingParamCallbackURL",
        "You must specify a callbackURL in the parameters."));
    auto url = param("callbackURL");
    for (const auto& h : hooks_)
      if (h.callback_url == url)
        return xml_reply(net::hooks_duplicate(h.id));
    hook h;
    h.id = new_uuid();
    h.callback_url = url;
    h.meeting_id = param("meetingID");
    h.event_ids = parse_event_ids(param("eventID"));
    h.raw = net::ascii_lower(param("getRaw")) == "true";
    h.created_ms = now_ms();
    hooks_.push_back(h);
    return xml_reply(net::hooks_created(h));
  }
  if (call == "hooks/destroy") {
    auto id = param("hookID");
    if (q->get("hookID") == nullptr)
      return xml_reply(net::hooks_failure(
        "missingParamHookID", "You must specify a hookID in the parameters."));
    auto it = std::find_if(hooks_.begin(), hooks_.end(),
                           [&id](const hook& h) { return h.id == id; });
    if (it == hooks_.end())
      return xml_reply(net::hooks_failure("destroyMissingHook",
                                          "The hook informed was not found."));
    hooks_.erase(it);
    return xml_reply(net::hooks_destroyed());
  }
  auto meeting = param("meetingID");
  std::vector<hook> shown;
  for (const auto& h : hooks_)
    if (meeting.empty() || h.meeting_id.empty() || h.meeting_id == meeting)
      shown.push_back(h);
  std::sort(shown.begin(), shown.end(),
            [](const hook& a, const hook& b) { return a.id < b.id; });
  return xml_reply(net::hooks_list(shown));
}

void sim_state::emit(const std::string& id, const std::string& meeting_id,
                     const std::string& internal_id, json attributes) {
  if (!webhooks_ || hooks_.empty())
    return;
  attributes["meeting"]["internal-meeting-id"] = internal_id;
  attributes["meeting"]["external-meeting-id"] = meeting_id;
  json ev{{"data",
           {{"type", "event"},
            {"id", id},
            {"attributes", std::move(attributes)},
            {"event", {{"ts", now_ms()}}}}}};
  auto text = "[" + ev.dump() + "]";
  url_parts ep;
  std::string target;
  auto domain =
    parse_target_url(base_url_ + "/", ep, target) ? ep.host : base_url_;
  for (const auto& h : hooks_) {
    if (!hook_wants(h, meeting_id, id))
      continue;
    callback cb;
    cb.method = "POST";
    cb.content_type = "application/x-www-form-urlencoded";
    cb.body = net::webhook_body(domain, text, now_ms());
    cb.url = net::webhook_signed_url(h.callback_url, cb.body, secret_,
                                     digest_algo::sha1);
    callbacks_.push_back(std::move(cb));
  }
}

void sim_state::emit_created(const meeting& m) {
  json md = json::object();
  for (const auto& [k, v] : m.metadata)
    md[k] = v;
  json meeting{{"name", m.name},
               {"is-breakout", false},
               {"parent-id", "bbb-none"},
               {"duration", m.duration},
               {"create-time", m.create_time},
               {"create-date", m.create_date},
               {"moderator-pass", m.moderator_pw},
               {"viewer-pass", m.attendee_pw},
               {"record", m.record},
               {"voice-conf", m.voice_bridge},
               {"dial-number", m.dial_number},
               {"max-users", m.max_participants},
               {"metadata", md}};
  emit("meeting-created", m.id, m.internal_id, {{"meeting", meeting}});
}

void sim_state::send_analytics(const meeting& m) {
  std::string url;
  json md = json::object();
  for (const auto& [k, v] : m.metadata) {
    md[k] = v;
    if (k == "analytics-callback-url")
      url = v;
  }
  if (url.empty())
    return;
  auto now = now_ms();
  json attendees = json::array();
  auto add = [&](const attendee& a) {
    attendees.push_back({{"ext_user_id", a.user_id},
                         {"name", a.full_name},
                         {"moderator", a.role == "MODERATOR"},
                         {"joins", json::array()},
                         {"leaves", json::array()},
                         {"duration", (now - m.start_time) / 1000},
                         {"recent_talking_time", ""},
                         {"engagement",
                          {{"chats", 0},
                           {"talks", 0},
                           {"raisehand", 0},
                           {"emojis", 0},
                           {"poll_votes", 0},
                           {"talk_time", 0}}}});
  };
  for (const auto& a : m.left)
    add(a);
  for (const auto& a : m.attendees)
    add(a);
  json body{{"version", "1.0"},
            {"meeting_id", m.id},
            {"internal_meeting_id", m.internal_id},
            {"data",
             {{"metadata", md},
              {"duration", (now - m.create_time) / 1000},
              {"start", m.create_date},
              {"finish", now},
              {"attendees", attendees},
              {"files", json::array()},
              {"polls", json::array()}}}};
  // BBB signs it with HS512 and a one-day `exp`.
  auto token = net::jwt_sign(json{{"exp", now / 1000 + 86400}}.dump(), secret_,
                             net::jwt_alg::hs512);
  callback cb;
  cb.url = url;
  cb.method = "POST";
  cb.body = body.dump();
  cb.content_type = "application/json";
  cb.headers = "Authorization: Bearer " + token;
  callbacks_.push_back(std::move(cb));
}

} // namespace gw::sim
