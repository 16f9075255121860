// The simulated server's calls on a running meeting: insertDocument (2.5+)
// and sendChatMessage (3.0+), docs/bbb-api.md 3.14 and 3.16.
#include "net/checksum.hpp"
#include "sim/sim_reply.hpp"
#include "sim/sim_state.hpp"

namespace gw::sim {

using net::xml_writer;

reply sim_state::insert_document(const net::query& q, const std::string& body) {
  auto id = q.get("meetingID");
  if (auto err = net::check_meeting_id(id))
    return failed(*err);
  auto it = meetings_.find(*id);
  if (it == meetings_.end()) {
    // bbb-web 2.7: FAILED with a message and no key.
    xml_writer w;
    w.open("response")
      .elem("returncode", std::string_view{"FAILED"})
      .elem("message", "Meeting with id [" + *id + "] not found.")
      .close("response");
    return xml(w.take());
  }
  it->second.documents.push_back(body);
  return xml("<response><returncode>SUCCESS</returncode><message>Presentation "
             "is being uploaded</message></response>");
}

reply sim_state::send_chat_message(const net::query& q) {
  auto id = q.get("meetingID");
  if (id == nullptr || id->empty())
    return failed({"missingParamMeetingID", "You must specify a meeting ID "
                                            "for the meeting."});
  auto message = q.get("message");
  if (message == nullptr || message->empty())
    return failed({"missingParamMessage", "You must specify a message."});
  if (message->size() > 500)
    return failed({"sizeError", "Message must be between 1 and 500 "
                                "characters."});
  auto user = q.get("userName");
  if (user != nullptr && user->size() > 255)
    return failed({"sizeError", "User name must be at most 255 characters."});
  auto it = meetings_.find(*id);
  if (it == meetings_.end())
    return failed({"meetingNotFound", "Meeting not found or not active"});
  it->second.chat.emplace_back(user && !user->empty() ? *user : "System",
                               *message);
  return xml("<response><returncode>SUCCESS</returncode><messageKey>"
             "</messageKey><message></message></response>");
}

reply sim_state::get_join_url(const net::query& q) {
  // No checksum: the session token authorises it (bbb-api.md 3.15).
  auto token = q.get("sessionToken");
  auto fail = [&](const std::string& message) {
    return json_reply({{"returncode", "FAILED"},
                       {"message", message},
                       {"sessionToken", token ? *token : std::string{}}});
  };
  if (token == nullptr || token->empty())
    return fail("Invalid Session");
  auto it = sessions_.find(*token);
  if (it == sessions_.end())
    return fail("Invalid Session");
  if (meetings_.count(it->second.meeting_id) == 0)
    return fail("Meeting not found");
  const auto& s = it->second;
  std::string params =
    "fullName=" + net::percent_encode(s.full_name)
    + "&meetingID=" + net::percent_encode(s.meeting_id) + "&role=" + s.role
    + "&redirect=true&existingUserID=" + net::percent_encode(s.user_id);
  for (const auto& p : q.params())
    if (p.name.rfind("userdata-", 0) == 0 || p.name == "sessionName"
        || p.name == "enforceLayout")
      params +=
        "&" + net::percent_encode(p.name) + "=" + net::percent_encode(p.value);
  return json_reply({{"returncode", "SUCCESS"},
                     {"message", "Join URL provided successfully."},
                     {"url", base_url_ + "/bigbluebutton/api/join?"
                               + net::sign_query("join", params, secret_,
                                                 net::checksum_algo::sha1)}});
}

} // namespace gw::sim
