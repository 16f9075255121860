// Rendering meetings and rewriting node answers into the client's view.
#include <gtest/gtest.h>

#include "net/meeting_xml.hpp"
#include "net/xml.hpp"

using namespace gw;
using namespace gw::net;

namespace {

meeting_row row() {
  meeting_row r;
  r.meeting_id = "room <1>";
  r.node_meeting_id = "tX-room <1>";
  r.internal_id = "abc-1";
  r.create_time = 1700000000000;
  r.name = "Room & co";
  r.attendee_pw = "ap";
  r.moderator_pw = "mp";
  r.max_participants = 12;
  r.client_duration = "90";
  r.record = true;
  r.metadata = {{"bbb-origin", "Moodle"}};
  return r;
}

} // namespace

TEST(MeetingXml, WritesAMeetingFromTheRowAndItsLiveData) {
  live_meeting live;
  live.running = true;
  live.participants = 4;
  live.moderators = 1;
  live.attendees_xml = "<attendee><userID>u</userID></attendee>";
  xml_writer w;
  w.open("meeting");
  write_meeting(w, row(), &live);
  w.close("meeting");
  auto x = w.str();
  EXPECT_TRUE(is_bbb_response("<response><returncode>SUCCESS</returncode>" + x
                              + "</response>"));
  EXPECT_EQ(element_text(x, "meetingID"), "room <1>");
  EXPECT_EQ(element_text(x, "meetingName"), "Room & co");
  EXPECT_EQ(element_text(x, "running"), "true");
  EXPECT_EQ(element_text(x, "participantCount"), "4");
  EXPECT_EQ(element_text(x, "maxUsers"), "12");
  EXPECT_EQ(element_text(x, "duration"), "90");
  EXPECT_EQ(element_text(x, "recording"), "true");
  EXPECT_EQ(element_text(x, "bbb-origin"), "Moodle");
  EXPECT_NE(x.find("<attendees><attendee><userID>u</userID></attendee>"
                   "</attendees>"),
            std::string::npos);
}

TEST(MeetingXml, WithoutLiveDataNobodyIsThere) {
  xml_writer w;
  write_meeting(w, row(), nullptr);
  EXPECT_EQ(element_text(w.str(), "running"), "false");
  EXPECT_EQ(element_text(w.str(), "participantCount"), "0");
}

TEST(MeetingXml, RewritesNodeIdsAndElements) {
  std::string node =
    "<response><returncode>SUCCESS</returncode><meetingID>tX-r</meetingID>"
    "<duration>0</duration><metadata><endcallbackurl>http://gw/x"
    "</endcallbackurl><a>b</a></metadata></response>";
  auto out = rewrite_meeting_id(node, "tX-r", "r & s");
  EXPECT_EQ(element_text(out, "meetingID"), "r & s");
  out = replace_element(out, "duration", "45");
  EXPECT_EQ(element_text(out, "duration"), "45");
  out = remove_metadata(out, "endcallbackurl");
  EXPECT_EQ(out.find("endcallbackurl"), std::string::npos);
  EXPECT_EQ(element_text(out, "a"), "b");
  EXPECT_TRUE(is_bbb_response(out));
}
