#include "actors/poll.hpp"

#include "net/meeting_xml.hpp"

namespace gw {

namespace {

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

poll_result parse_poll(const net::client_response& res) {
  poll_result out;
  if (res.ec) {
    out.error = res.ec.message();
    return out;
  }
  if (res.status != 200 || !net::is_bbb_response(res.body)) {
    out.error = "unusable answer (HTTP " + std::to_string(res.status) + ")";
    return out;
  }
  std::string_view body = res.body;
  if (net::find_element(body, "returncode") != "SUCCESS") {
    out.error = "FAILED: " + net::element_text(body, "messageKey");
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
    live.running = net::find_element(m, "running") == "true";
    live.has_user_joined = net::find_element(m, "hasUserJoined") == "true";
    live.participants = to_int(net::find_element(m, "participantCount"));
    live.listeners = to_int(net::find_element(m, "listenerCount"));
    live.voice = to_int(net::find_element(m, "voiceParticipantCount"));
    live.video = to_int(net::find_element(m, "videoCount"));
    live.moderators = to_int(net::find_element(m, "moderatorCount"));
    live.start_time = to_int(net::find_element(m, "startTime"));
    live.end_time = to_int(net::find_element(m, "endTime"));
    live.attendees_xml = std::string{net::find_element(m, "attendees")};
    out.meetings[net::element_text(m, "meetingID")] = std::move(live);
  }
  return out;
}

} // namespace gw
