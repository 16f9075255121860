// Rendering meetings and rewriting node answers into the client's view.
#include <random>

#include <gtest/gtest.h>

#include "net/bbb_params.hpp"
#include "net/meeting_xml.hpp"
#include "net/query.hpp"
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
  auto x = w.take();
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

TEST(MeetingXml, RandomBytesThroughCreateAndGetMeetingsStayWellFormed) {
  // Property: whatever bytes a client sends, a create that passes
  // validation renders into well-formed XML (Moodle's and Greenlight's
  // room lists parse it).
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<int> byte(0, 255), len(0, 40);
  int accepted = 0;
  for (int round = 0; round < 2000; ++round) {
    // Mostly text, with controls, markup, multi-byte characters and now
    // and then any byte at all.
    auto random_text = [&] {
      std::string s;
      for (int i = len(rng); i > 0; --i) {
        auto pick = byte(rng);
        if (pick < 150)
          s.push_back(static_cast<char>(0x20 + pick % 95));
        else if (pick < 190)
          s += "\xc3\xa9<&>\"'";
        else if (pick < 240)
          s.push_back(static_cast<char>(pick % 32));
        else
          s.push_back(static_cast<char>(byte(rng)));
      }
      return percent_encode(s);
    };
    auto q =
      query::parse("meetingID=room-" + std::to_string(round) + random_text()
                   + "&name=" + random_text() + "&meta_origin=" + random_text()
                   + "&meta_x=" + random_text());
    ASSERT_TRUE(q);
    if (validate_create(*q))
      continue;
    ++accepted;
    meeting_row r;
    r.meeting_id = *q->get("meetingID");
    r.name = sanitize(*q->get("name"));
    r.metadata = {{"origin", *q->get("meta_origin")}, {"x", *q->get("meta_x")}};
    xml_writer w;
    w.raw("<response><returncode>SUCCESS</returncode><meetings><meeting>");
    write_meeting(w, r, nullptr);
    w.raw("</meeting></meetings></response>");
    ASSERT_TRUE(is_bbb_response(w.str())) << w.str();
  }
  EXPECT_GT(accepted, 0);
  // Invalid UTF-8 is refused up front, with BBB's validationError.
  auto bad = *query::parse("meetingID=room&name=%FF%FEname");
  ASSERT_TRUE(validate_create(bad));
  EXPECT_EQ(validate_create(bad)->key, "validationError");
}
