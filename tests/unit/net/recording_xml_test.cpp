// getRecordings answers: rendered from the index in BBB's shape, and read
// from a node's answer (the simulator's, as BBB writes it).
#include <gtest/gtest.h>

#include "net/checksum.hpp"
#include "net/recording_xml.hpp"
#include "net/xml_reader.hpp"
#include "sim/sim_state.hpp"

using namespace gw;

namespace {

gw::recording sample() {
  gw::recording r;
  r.record_id = "abc-1";
  r.meeting_id = "room & co";
  r.internal_meeting_id = "abc-1";
  r.name = "Room <1>";
  r.state = "published";
  r.published = true;
  r.start_time = 10;
  r.end_time = 20;
  r.participants = 3;
  r.raw_size = 100;
  r.size = 50;
  r.metadata = {{"course", "math"}};
  r.formats = {{"presentation", "https://h/p/abc-1", 7, 33, 50, ""}};
  return r;
}

} // namespace

TEST(RecordingXml, RendersBbbsShapeInItsOrder) {
  auto r = sample();
  recording_page page;
  page.shown = {&r};
  page.total = 1;
  EXPECT_EQ(net::render_recordings(page, false),
            "<response><returncode>SUCCESS</returncode><recordings><recording>"
            "<recordID>abc-1</recordID><meetingID>room &amp; co</meetingID>"
            "<internalMeetingID>abc-1</internalMeetingID>"
            "<name>Room &lt;1&gt;</name><isBreakout>false</isBreakout>"
            "<published>true</published><state>published</state>"
            "<startTime>10</startTime><endTime>20</endTime>"
            "<participants>3</participants><rawSize>100</rawSize>"
            "<metadata><course>math</course></metadata><size>50</size>"
            "<playback><format><type>presentation</type>"
            "<url>https://h/p/abc-1</url><processingTime>7</processingTime>"
            "<length>33</length><size>50</size></format></playback>"
            "</recording></recordings></response>");
  auto paged = net::render_recordings(page, true);
  EXPECT_NE(paged.find("</recordings><totalElements>1</totalElements>"
                       "</response>"),
            std::string::npos);
}

TEST(RecordingXml, NothingFoundIsNoRecordingsInBbbsShape) {
  recording_page none;
  none.total = 4; // a page past the end
  auto expected =
    "<response><returncode>SUCCESS</returncode><recordings></recordings>"
    "<messageKey>noRecordings</messageKey><message>There are no recordings "
    "for the meeting(s).</message></response>";
  EXPECT_EQ(net::render_recordings(none, false), expected);
  EXPECT_EQ(net::render_recordings(none, true), expected);
}

TEST(RecordingXml, ReadsANodesAnswer) {
  sim::sim_state node{"s", "http://127.0.0.1:9"};
  auto sign = [](const std::string& call, const std::string& qs) {
    return net::sign_query(call, qs, "s", net::checksum_algo::sha1);
  };
  node.handle("create",
              sign("create", "meetingID=tX-room&name=Room&meta_course=math"),
              "GET", "");
  sim::recording_change c;
  c.meeting_id = "tX-room";
  c.state = "unpublished";
  auto id = node.add_recording(c);
  auto res =
    node.handle("getRecordings", sign("getRecordings", "state=any"), "GET", "");
  node_response nr;
  nr.status = res.status;
  nr.body = res.body;
  auto got = net::read_node_recordings(nr);
  ASSERT_TRUE(got.ok) << got.problem;
  ASSERT_EQ(got.recordings.size(), 1u);
  const auto& r = got.recordings[0];
  EXPECT_EQ(r.record_id, id);
  EXPECT_EQ(r.meeting_id, "tX-room");
  EXPECT_EQ(r.name, "Room");
  EXPECT_EQ(r.state, "unpublished");
  EXPECT_FALSE(r.published);
  bool course = false;
  for (const auto& [k, v] : r.metadata)
    course = course || (k == "course" && v == "math");
  EXPECT_TRUE(course);
  // Rendered again, it parses and says the same.
  recording_page page;
  page.shown = {&r};
  nr.body = net::render_recordings(page, false);
  auto again = net::read_node_recordings(nr);
  ASSERT_EQ(again.recordings.size(), 1u);
  EXPECT_EQ(again.recordings[0].name, "Room");
  EXPECT_EQ(again.recordings[0].metadata, r.metadata);
  // What is not a BBB success is not taken for an empty list.
  nr.body = "<response><returncode>FAILED</returncode></response>";
  EXPECT_FALSE(net::read_node_recordings(nr).ok);
  nr.status = 502;
  EXPECT_FALSE(net::read_node_recordings(nr).ok);
}
