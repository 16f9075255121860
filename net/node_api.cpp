#include "net/node_api.hpp"

#include <vector>

#include "net/bbb_params.hpp"
#include "net/checksum.hpp"
#include "net/meeting_xml.hpp"
#include "net/xml.hpp"

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

int64_t to_int(std::string_view s) {
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return v;
    v = v * 10 + (c - '0');
  }
  return v;
}

} // namespace

std::string node_create_query(const create_forward& f, const node_info& node) {
  const auto& q = *f.q;
  std::vector<std::string> drop{"checksum",
                                "deactivateBbbserverDefaultChatTexts"};
  // BBB keeps one end callback per meeting: the gateway's, which relays to
  // the client's own afterwards.
  for (const auto& p : q.params())
    if (ascii_lower(p.name) == "meta_endcallbackurl")
      drop.push_back(p.name);
  std::vector<std::pair<std::string, std::string>> replace{
    {"meetingID", f.node_meeting_id},
    {"maxParticipants", std::to_string(f.max_participants)},
    {"duration", "0"}};
  if (!f.end_callback_url.empty())
    replace.emplace_back("meta_endCallbackUrl", f.end_callback_url);
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
  auto qs = q.rewrite(drop, replace);
  return sign_query("create", qs, node.secret, node_checksum);
}

node_request create_request(const create_forward& f, const node_info& node,
                            const std::string& body,
                            const std::string& content_type) {
  node_request req;
  req.target = node.api_path + "create?" + node_create_query(f, node);
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
  if (res.status != 200 || !is_bbb_response(res.body)) {
    a.problem = "HTTP " + std::to_string(res.status) + ", no BBB document";
    return a;
  }
  a.usable = true;
  a.success = element_text(res.body, "returncode") == "SUCCESS";
  if (!a.success)
    return a;
  a.internal_id = element_text(res.body, "internalMeetingID");
  auto ct = element_text(res.body, "createTime");
  a.create_time = is_digits(ct) && ct.size() < 19 ? std::stoll(ct) : 0;
  a.create_date = element_text(res.body, "createDate");
  a.attendee_pw = element_text(res.body, "attendeePW");
  a.moderator_pw = element_text(res.body, "moderatorPW");
  a.voice_bridge = element_text(res.body, "voiceBridge");
  a.dial_number = element_text(res.body, "dialNumber");
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
  if (res.status != 200 || !is_bbb_response(res.body)) {
    out.error = "unusable answer (HTTP " + std::to_string(res.status) + ")";
    return out;
  }
  std::string_view body = res.body;
  if (find_element(body, "returncode") != "SUCCESS") {
    out.error = "FAILED: " + element_text(body, "messageKey");
    return out;
  }
  out.ok = true;
  std::size_t pos = 0;
  while ((pos = body.find("<meeting>", pos)) != std::string_view::npos) {
    auto end = body.find("</meeting>", pos);
    if (end == std::string_view::npos)
      break;
    auto m = body.substr(pos + 9, end - pos - 9);
    pos = end + 10;
    live_meeting live;
    live.running = find_element(m, "running") == "true";
    live.has_user_joined = find_element(m, "hasUserJoined") == "true";
    live.participants = to_int(find_element(m, "participantCount"));
    live.listeners = to_int(find_element(m, "listenerCount"));
    live.voice = to_int(find_element(m, "voiceParticipantCount"));
    live.video = to_int(find_element(m, "videoCount"));
    live.moderators = to_int(find_element(m, "moderatorCount"));
    live.start_time = to_int(find_element(m, "startTime"));
    live.end_time = to_int(find_element(m, "endTime"));
    live.attendees_xml = std::string{find_element(m, "attendees")};
    out.meetings[element_text(m, "meetingID")] = std::move(live);
  }
  return out;
}

std::string end_callback_url(const std::string& public_url,
                             const std::string& tenant, const std::string& id,
                             const std::string& nonce) {
  return public_url + "/_gw/callback/end?t=" + percent_encode(tenant)
         + "&m=" + percent_encode(id) + "&n=" + nonce;
}

} // namespace gw::net
