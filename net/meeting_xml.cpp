#include "net/meeting_xml.hpp"

#include <cstring>
#include <vector>

#include <rapidxml/rapidxml.hpp>

namespace gw::net {

bool is_bbb_response(std::string_view body) {
  std::vector<char> buf(body.begin(), body.end());
  buf.push_back('\0');
  rapidxml::xml_document<> doc;
  try {
    doc.parse<rapidxml::parse_non_destructive>(buf.data());
  } catch (const rapidxml::parse_error&) {
    return false;
  }
  auto root = doc.first_node();
  if (root == nullptr
      || std::string_view(root->name(), root->name_size()) != "response")
    return false;
  return root->first_node("returncode") != nullptr;
}

std::string element_text(std::string_view xml, std::string_view name) {
  return xml_unescape(find_element(xml, name));
}

std::string rewrite_meeting_id(std::string body,
                               const std::string& node_meeting_id,
                               const std::string& client_meeting_id) {
  if (node_meeting_id == client_meeting_id)
    return body;
  auto from = "<meetingID>" + xml_escape(node_meeting_id) + "</meetingID>";
  auto to = "<meetingID>" + xml_escape(client_meeting_id) + "</meetingID>";
  std::size_t pos = 0;
  while ((pos = body.find(from, pos)) != std::string::npos) {
    body.replace(pos, from.size(), to);
    pos += to.size();
  }
  return body;
}

std::string replace_element(std::string body, std::string_view name,
                            std::string_view text) {
  std::string open = "<" + std::string{name} + ">";
  std::string close = "</" + std::string{name} + ">";
  auto begin = body.find(open);
  if (begin == std::string::npos)
    return body;
  begin += open.size();
  auto end = body.find(close, begin);
  if (end == std::string::npos)
    return body;
  body.replace(begin, end - begin, xml_escape(text));
  return body;
}

std::string remove_metadata(std::string body, std::string_view name) {
  auto md = body.find("<metadata>");
  if (md == std::string::npos)
    return body;
  std::string open = "<" + std::string{name} + ">";
  std::string close = "</" + std::string{name} + ">";
  auto begin = body.find(open, md);
  auto md_end = body.find("</metadata>", md);
  if (begin == std::string::npos || begin > md_end)
    return body;
  auto end = body.find(close, begin);
  if (end == std::string::npos)
    return body;
  body.erase(begin, end + close.size() - begin);
  return body;
}

void write_meeting(xml_writer& w, const meeting_row& r,
                   const live_meeting* live) {
  static const live_meeting nobody;
  const auto& l = live ? *live : nobody;
  auto num = [](int64_t v) { return static_cast<long long>(v); };
  w.elem("meetingName", r.name)
    .elem("meetingID", r.meeting_id)
    .elem("internalMeetingID", r.internal_id)
    .elem("createTime", num(shown_create_time(r)))
    .elem("createDate", r.create_date)
    .elem("voiceBridge", r.voice_bridge)
    .elem("dialNumber", r.dial_number)
    .elem("attendeePW", r.attendee_pw)
    .elem("moderatorPW", r.moderator_pw)
    .elem("running", l.running)
    .elem("duration", r.client_duration)
    .elem("hasUserJoined", l.has_user_joined)
    .elem("recording", r.record)
    .elem("hasBeenForciblyEnded", false)
    .elem("startTime", num(l.start_time))
    .elem("endTime", num(l.end_time))
    .elem("participantCount", num(l.participants))
    .elem("listenerCount", num(l.listeners))
    .elem("voiceParticipantCount", num(l.voice))
    .elem("videoCount", num(l.video))
    .elem("maxUsers", num(r.max_participants))
    .elem("moderatorCount", num(l.moderators))
    .raw("<attendees>")
    .raw(l.attendees_xml)
    .raw("</attendees>")
    .open("metadata");
  for (const auto& [k, v] : r.metadata)
    w.elem(k, v);
  w.close("metadata").elem("isBreakout", false);
}

std::string render_create(const create_result& r) {
  if (r.failed())
    return failed_xml(message_key(r.error.code), r.error.message);
  auto body =
    rewrite_meeting_id(r.node_answer, r.node_meeting_id, r.meeting_id);
  if (r.shown_create_time != 0)
    body = replace_element(std::move(body), "createTime",
                           std::to_string(r.shown_create_time));
  if (!r.shown_create_date.empty())
    body = replace_element(std::move(body), "createDate", r.shown_create_date);
  return replace_element(std::move(body), "duration", r.client_duration);
}

} // namespace gw::net
