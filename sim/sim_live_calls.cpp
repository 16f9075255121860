// The simulated server's calls on a running meeting: insertDocument (2.5+)
// and sendChatMessage (3.0+), docs/bbb-api.md 3.14 and 3.16.
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

} // namespace gw::sim
