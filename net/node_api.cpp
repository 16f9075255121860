#include "net/node_api.hpp"

#include <limits>
#include <optional>
#include <vector>

#include "net/bbb_params.hpp"
#include "net/callback_urls.hpp"
#include "net/checksum.hpp"
#include "net/meeting_xml.hpp"
#include "net/xml.hpp"
#include "net/xml_reader.hpp"

namespace gw::net {

namespace {

std::string join_texts(const std::string& platform, const std::string* own) {
  std::string mine = own ? *own : std::string{};
  if (platform.empty())
    return mine;
  if (mine.empty())
    return platform;
  return platform + "<br><br>" + mine;
}

/// The leading digits of `s` as a number, saturating at INT64_MAX (found
/// by node_xml_fuzz: a node's 20-digit count overflowed).
int64_t to_int(std::string_view s) {
  constexpr int64_t max = std::numeric_limits<int64_t>::max();
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return v;
    if (v > (max - (c - '0')) / 10)
      return max;
    v = v * 10 + (c - '0');
  }
  return v;
}

} // namespace

namespace {

/// The parameters a node receives for a create, not yet signed.
std::string node_create_params(const create_forward& f) {
  const auto& q = *f.q;
  std::vector<std::string> drop{"checksum",
                                "deactivateBbbserverDefaultChatTexts"};
  // BBB keeps one end callback per meeting: the gateway's, which relays to
  // the client's own afterwards.
  for (const auto& p : q.params())
    if (ascii_lower(p.name) == "meta_endcallbackurl"
        || (!f.recording_ready_url.empty() && is_recording_ready_param(p.name))
        || (!f.analytics_url.empty() && is_analytics_param(p.name)))
      drop.push_back(p.name);
  std::vector<std::pair<std::string, std::string>> replace{
    {"meetingID", f.node_meeting_id},
    {"maxParticipants", std::to_string(f.max_participants)},
    {"duration", "0"}};
  if (!f.end_callback_url.empty())
    replace.emplace_back("meta_endCallbackUrl", f.end_callback_url);
  if (!f.recording_ready_url.empty())
    replace.emplace_back("meta_bbb-recording-ready-url", f.recording_ready_url);
  if (!f.analytics_url.empty())
    replace.emplace_back("meta_analytics-callback-url", f.analytics_url);
  for (const auto& kv : f.keep)
    replace.push_back(kv);
  if (!f.only_client_texts) {
    auto welcome = join_texts(f.welcome, q.get("welcome"));
    if (!welcome.empty())
      replace.emplace_back("welcome", welcome);
    auto mod = join_texts(f.moderator_only, q.get("moderatorOnlyMessage"));
    if (!mod.empty())
      replace.emplace_back("moderatorOnlyMessage", mod);
  }
  return q.rewrite(drop, replace);
}

/// The parameters a create sent as a POST form keeps in its signed URL:
/// the meeting's identity and access, and what the gateway itself sets.
bool stays_in_url(std::string_view name) {
  for (std::string_view n :
       {"meetingID", "attendeePW", "moderatorPW", "maxParticipants", "duration",
        "voiceBridge", "dialNumber", "meta_endCallbackUrl"})
    if (name == n)
      return true;
  return false;
}

} // namespace

std::string node_create_query(const create_forward& f, const node_info& node) {
  return sign_query("create", node_create_params(f), node.secret,
                    node_checksum);
}

node_request create_request(const create_forward& f, const node_info& node,
                            const std::string& body,
                            const std::string& content_type) {
  node_request req;
  auto params = node_create_params(f);
  bool xml_body = !body.empty() && !is_form_type(content_type);
  auto parsed =
    xml_body || !(is_form_type(content_type) || params.size() > max_node_query)
      ? std::nullopt
      : query::parse(params);
  if (parsed) {
    // A POST form: the identity in the signed URL, the rest in the body.
    // bbb-web (2.4 to 3.0) checksums only the URL's query when it is not
    // empty and reads the parameters of both.
    std::string url;
    std::string form;
    for (const auto& p : parsed->params()) {
      auto& side = stays_in_url(p.name) ? url : form;
      if (!side.empty())
        side.push_back('&');
      side.append(parsed->raw_name(p));
      if (p.has_equals) {
        side.push_back('=');
        side.append(parsed->raw_value(p));
      }
    }
    req.target = node.api_path + "create?"
                 + sign_query("create", url, node.secret, node_checksum);
    req.post = true;
    req.body = std::move(form);
    req.content_type = "application/x-www-form-urlencoded";
    return req;
  }
  req.target = node.api_path + "create?"
               + sign_query("create", params, node.secret, node_checksum);
  if (!body.empty()) {
    req.post = true;
    req.body = body;
    req.content_type = content_type.empty() ? "application/xml" : content_type;
  }
  return req;
}

create_answer read_create_answer(const node_response& res) {
  create_answer a;
  if (!res.error.empty()) {
    a.problem = res.error;
    return a;
  }
  auto doc = res.status == 200 ? bbb_answer::parse(res.body) : nullptr;
  if (!doc) {
    a.problem = "HTTP " + std::to_string(res.status) + ", no BBB document";
    return a;
  }
  a.usable = true;
  a.success = doc->text("returncode") == "SUCCESS";
  if (!a.success)
    return a;
  a.internal_id = doc->text("internalMeetingID");
  auto ct = doc->text("createTime");
  a.create_time = is_digits(ct) && ct.size() < 19 ? std::stoll(ct) : 0;
  a.create_date = doc->text("createDate");
  a.attendee_pw = doc->text("attendeePW");
  a.moderator_pw = doc->text("moderatorPW");
  a.voice_bridge = doc->text("voiceBridge");
  a.dial_number = doc->text("dialNumber");
  return a;
}

node_request end_request(const node_info& node,
                         const std::string& node_meeting_id) {
  node_request req;
  req.target =
    node.api_path + "end?"
    + sign_query("end", "meetingID=" + percent_encode(node_meeting_id),
                 node.secret, node_checksum);
  return req;
}

node_request meeting_info_request(const node_info& node,
                                  const std::string& node_meeting_id) {
  node_request req;
  req.target = node.api_path + "getMeetingInfo?"
               + sign_query("getMeetingInfo",
                            "meetingID=" + percent_encode(node_meeting_id),
                            node.secret, node_checksum);
  return req;
}

node_request recordings_request(const node_info& node, int64_t offset,
                                int64_t limit) {
  node_request req;
  std::string params = "state=any";
  if (limit > 0)
    params +=
      "&offset=" + std::to_string(offset) + "&limit=" + std::to_string(limit);
  req.target =
    node.api_path + "getRecordings?"
    + sign_query("getRecordings", params, node.secret, node_checksum);
  // A node with many recordings takes a while to list them.
  req.timeout = std::chrono::milliseconds(60000);
  return req;
}

node_request recordings_by_id_request(const node_info& node,
                                      const std::vector<std::string>& ids) {
  std::string list;
  for (const auto& id : ids)
    list += (list.empty() ? "" : ",") + id;
  node_request req;
  req.target = node.api_path + "getRecordings?"
               + sign_query("getRecordings",
                            "recordID=" + percent_encode(list) + "&state=any",
                            node.secret, node_checksum);
  req.timeout = std::chrono::milliseconds(20000);
  return req;
}

node_request recording_call_request(const node_info& node,
                                    const std::string& call,
                                    const std::string& params) {
  node_request req;
  req.target = node.api_path + call + "?"
               + sign_query(call, params, node.secret, node_checksum);
  req.timeout = std::chrono::milliseconds(20000);
  return req;
}

node_request hooks_list_request(const node_info& node) {
  node_request req;
  // bbb-webhooks 2.x checks SHA-1 only (3.x: the four algorithms).
  req.target = node.api_path + "hooks/list?"
               + sign_query("hooks/list", "", node.secret, digest_algo::sha1);
  req.timeout = std::chrono::milliseconds(10000);
  return req;
}

node_request hooks_create_request(const node_info& node,
                                  const std::string& url) {
  node_request req;
  req.target =
    node.api_path + "hooks/create?"
    + sign_query("hooks/create",
                 "callbackURL=" + percent_encode(url) + "&getRaw=false",
                 node.secret, digest_algo::sha1);
  req.timeout = std::chrono::milliseconds(10000);
  return req;
}

node_request poll_request(const node_info& node,
                          std::chrono::milliseconds timeout) {
  node_request req;
  req.target = node.api_path + "getMeetings?"
               + sign_query("getMeetings", "", node.secret, node_checksum);
  req.timeout = timeout;
  return req;
}

poll_result parse_poll(const node_response& res) {
  poll_result out;
  if (!res.error.empty()) {
    out.error = res.error;
    return out;
  }
  auto doc = res.status == 200 ? bbb_answer::parse(res.body) : nullptr;
  if (!doc) {
    out.error = "unusable answer (HTTP " + std::to_string(res.status) + ")";
    return out;
  }
  if (doc->text("returncode") != "SUCCESS") {
    out.error = "FAILED: " + doc->text("messageKey");
    return out;
  }
  out.ok = true;
  const auto* meetings = child(doc->root(), "meetings");
  if (meetings == nullptr)
    return out;
  // Only <response><meetings><meeting> are meetings: a metadata element
  // named "meeting" deeper down is not.
  for_each_child(*meetings, "meeting", [&](const xml_node& m) {
    live_meeting live;
    live.running = child_text(m, "running") == "true";
    live.has_user_joined = child_text(m, "hasUserJoined") == "true";
    live.participants = to_int(child_text(m, "participantCount"));
    live.listeners = to_int(child_text(m, "listenerCount"));
    live.voice = to_int(child_text(m, "voiceParticipantCount"));
    live.video = to_int(child_text(m, "videoCount"));
    live.moderators = to_int(child_text(m, "moderatorCount"));
    live.start_time = to_int(child_text(m, "startTime"));
    live.end_time = to_int(child_text(m, "endTime"));
    if (const auto* att = child(m, "attendees"))
      live.attendees_xml = inner_xml(*att);
    out.meetings[child_text(m, "meetingID")] = std::move(live);
  });
  return out;
}

std::string end_callback_url(const std::string& public_url,
                             const std::string& tenant, const std::string& id,
                             const std::string& nonce,
                             const std::string& client_url) {
  // The client's own URL rides along (r.<key>, as in the recording-ready
  // URL) so that recording metadata can show it (net/callback_urls).
  return public_url + "/_gw/callback/end?t=" + percent_encode(tenant)
         + "&m=" + percent_encode(id) + "&n=" + nonce
         + (client_url.empty()
              ? std::string{}
              : "&r.endcallbackurl=" + percent_encode(client_url));
}

} // namespace gw::net
