// How the gateway talks to a node: requests it builds, answers it reads.
#include <limits>

#include <gtest/gtest.h>

#include "core/digest.hpp"
#include "net/checksum.hpp"
#include "net/node_api.hpp"

using namespace gw;
using namespace gw::net;

namespace {

std::shared_ptr<const node_info> node() {
  return make_node_info("n1", "http://127.0.0.1:1/bigbluebutton/", "nsecret");
}

node_response ok(std::string body) {
  node_response r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

} // namespace

TEST(NodeApi, CreateQueryIsNamespacedBookedAndSignedForTheNode) {
  auto q = *query::parse("meetingID=room&name=R&duration=90&maxParticipants=3"
                         "&welcome=Hi&deactivateBbbserverDefaultChatTexts="
                         "false&meta_endCallbackUrl=http%3A%2F%2Fc%2Fend"
                         "&checksum=abc");
  create_forward f;
  f.q = &q;
  f.node_meeting_id = "tX-room";
  f.max_participants = 7;
  f.end_callback_url = "http://gw/_gw/callback/end?t=a";
  f.welcome = "Platform";
  auto qs = node_create_query(f, *node());
  auto got = *query::parse(qs);
  EXPECT_EQ(*got.get("meetingID"), "tX-room");
  EXPECT_EQ(*got.get("maxParticipants"), "7");
  EXPECT_EQ(*got.get("duration"), "0");
  EXPECT_EQ(*got.get("welcome"), "Platform<br><br>Hi");
  EXPECT_EQ(*got.get("meta_endCallbackUrl"), "http://gw/_gw/callback/end?t=a");
  EXPECT_EQ(got.get("deactivateBbbserverDefaultChatTexts"), nullptr);
  // Signed with the node's secret, not the client's checksum.
  auto unsigned_qs = qs.substr(0, qs.rfind("&checksum="));
  EXPECT_EQ(*got.get("checksum"),
            hex_digest(digest_algo::sha256, "create", unsigned_qs, "nsecret"));
}

TEST(NodeApi, OnlyClientTextsLeavesThePlatformsOut) {
  auto q = *query::parse("meetingID=room&welcome=Hi");
  create_forward f;
  f.q = &q;
  f.node_meeting_id = "tX-room";
  f.only_client_texts = true;
  f.welcome = "Platform";
  auto got = *query::parse(node_create_query(f, *node()));
  EXPECT_EQ(*got.get("welcome"), "Hi");
}

TEST(NodeApi, CreateWithBodyIsAPost) {
  auto q = *query::parse("meetingID=room");
  create_forward f;
  f.q = &q;
  auto req = create_request(f, *node(), "<modules/>", "");
  EXPECT_TRUE(req.post);
  EXPECT_EQ(req.content_type, "application/xml");
  EXPECT_EQ(req.target.rfind("/bigbluebutton/api/create?", 0), 0u);
  EXPECT_FALSE(create_request(f, *node(), "", "").post);
}

// A create the client sent as a POST form, or one too long for a node's
// request line, goes as a POST form: identity and access in the signed URL
// (bbb-web checksums only the URL's query then), the rest in the body.
TEST(NodeApi, FormAndLongCreatesAreSentAsPostForms) {
  auto q = *query::parse("meetingID=room&name=R+1&attendeePW=ap&moderatorPW=mp"
                         "&record=true&meta_x="
                         + std::string(100, 'v'));
  create_forward f;
  f.q = &q;
  f.node_meeting_id = "tX-room";
  f.max_participants = 7;
  f.end_callback_url = "http://gw/cb?t=a";
  auto req =
    create_request(f, *node(), "", "application/x-www-form-urlencoded");
  ASSERT_TRUE(req.post);
  EXPECT_EQ(req.content_type, "application/x-www-form-urlencoded");
  auto prefix = std::string{"/bigbluebutton/api/create?"};
  ASSERT_EQ(req.target.rfind(prefix, 0), 0u) << req.target;
  auto url_qs = req.target.substr(prefix.size());
  auto url = *query::parse(url_qs);
  EXPECT_EQ(*url.get("meetingID"), "tX-room");
  EXPECT_EQ(*url.get("attendeePW"), "ap");
  EXPECT_EQ(*url.get("moderatorPW"), "mp");
  EXPECT_EQ(*url.get("maxParticipants"), "7");
  EXPECT_EQ(*url.get("duration"), "0");
  EXPECT_EQ(*url.get("meta_endCallbackUrl"), "http://gw/cb?t=a");
  EXPECT_EQ(url.get("name"), nullptr);
  // Signed over the URL's query only, with the node's secret.
  EXPECT_EQ(
    verify_checksum("create", url_qs, {"nsecret"}, {checksum_algo::sha256}),
    checksum_result::ok);
  auto body = *query::parse(req.body);
  EXPECT_EQ(*body.get("name"), "R 1");
  EXPECT_EQ(*body.get("record"), "true");
  EXPECT_EQ(body.get("meta_x")->size(), 100u);
  EXPECT_EQ(body.get("meetingID"), nullptr);
  EXPECT_EQ(body.get("checksum"), nullptr);

  // A GET create: in the URL while it is short, a POST form when it is not.
  EXPECT_FALSE(create_request(f, *node(), "", "").post);
  auto big =
    *query::parse("meetingID=room&meta_x=" + std::string(max_node_query, 'v'));
  f.q = &big;
  auto long_req = create_request(f, *node(), "", "");
  EXPECT_TRUE(long_req.post);
  EXPECT_LT(long_req.target.size(), 1024u);
  // An XML body (presentations) keeps the URL form: it cannot be both.
  auto xml_req = create_request(f, *node(), "<modules/>", "text/xml");
  EXPECT_EQ(xml_req.body, "<modules/>");
  EXPECT_GT(xml_req.target.size(), max_node_query);
}

TEST(NodeApi, ReadsCreateAnswers) {
  auto a = read_create_answer(
    ok("<response><returncode>SUCCESS</returncode><meetingID>m</meetingID>"
       "<internalMeetingID>abc-1</internalMeetingID><createTime>1700000000000"
       "</createTime><attendeePW>ap</attendeePW><moderatorPW>mp</moderatorPW>"
       "<voiceBridge>70001</voiceBridge></response>"));
  EXPECT_TRUE(a.usable);
  EXPECT_TRUE(a.success);
  EXPECT_EQ(a.internal_id, "abc-1");
  EXPECT_EQ(a.create_time, 1700000000000);
  EXPECT_EQ(a.attendee_pw, "ap");
  EXPECT_EQ(a.voice_bridge, "70001");
  auto failed = read_create_answer(
    ok("<response><returncode>FAILED</returncode><messageKey>idNotUnique"
       "</messageKey></response>"));
  EXPECT_TRUE(failed.usable);
  EXPECT_FALSE(failed.success);
  EXPECT_FALSE(read_create_answer(ok("<html>busy</html>")).usable);
  node_response down;
  down.error = "Connection refused";
  auto d = read_create_answer(down);
  EXPECT_FALSE(d.usable);
  EXPECT_EQ(d.problem, "Connection refused");
}

TEST(NodeApi, ParsesPolls) {
  auto r = parse_poll(ok(
    "<response><returncode>SUCCESS</returncode><meetings><meeting>"
    "<meetingID>tX-a</meetingID><running>true</running><hasUserJoined>true"
    "</hasUserJoined><participantCount>3</participantCount><listenerCount>1"
    "</listenerCount><voiceParticipantCount>2</voiceParticipantCount>"
    "<videoCount>1</videoCount><moderatorCount>1</moderatorCount><startTime>5"
    "</startTime><attendees><attendee><userID>u</userID></attendee>"
    "</attendees></meeting><meeting><meetingID>tX-b</meetingID><running>false"
    "</running></meeting></meetings></response>"));
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.meetings.size(), 2u);
  const auto& a = r.meetings.at("tX-a");
  EXPECT_TRUE(a.running);
  EXPECT_TRUE(a.has_user_joined);
  EXPECT_EQ(a.participants, 3);
  EXPECT_EQ(a.listeners, 1);
  EXPECT_EQ(a.voice, 2);
  EXPECT_EQ(a.video, 1);
  EXPECT_EQ(a.moderators, 1);
  EXPECT_EQ(a.start_time, 5);
  EXPECT_EQ(a.attendees_xml, "<attendee><userID>u</userID></attendee>");
  EXPECT_FALSE(r.meetings.at("tX-b").running);
}

TEST(NodeApi, APollThatFailsSaysWhy) {
  auto none = parse_poll(ok("<response><returncode>SUCCESS</returncode>"
                            "<meetings/><messageKey>noMeetings</messageKey>"
                            "</response>"));
  EXPECT_TRUE(none.ok);
  EXPECT_TRUE(none.meetings.empty());
  auto failed = parse_poll(ok("<response><returncode>FAILED</returncode>"
                              "<messageKey>checksumError</messageKey>"
                              "</response>"));
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.error, "FAILED: checksumError");
  node_response bad;
  bad.status = 502;
  bad.body = "<html/>";
  EXPECT_FALSE(parse_poll(bad).ok);
  node_response timeout;
  timeout.error = "timed out";
  EXPECT_EQ(parse_poll(timeout).error, "timed out");
}

TEST(NodeApi, EndAndPollRequestsAreSigned) {
  auto end = end_request(*node(), "tX-a b");
  EXPECT_EQ(end.target.rfind("/bigbluebutton/api/end?meetingID=tX-a%20b"
                             "&checksum=",
                             0),
            0u);
  auto poll = poll_request(*node(), std::chrono::milliseconds(1234));
  EXPECT_EQ(poll.timeout.count(), 1234);
  EXPECT_EQ(poll.target,
            "/bigbluebutton/api/getMeetings?checksum="
              + hex_digest(digest_algo::sha256, "getMeetings", "", "nsecret"));
}

TEST(NodeApi, APollReadsTheTreeNotText) {
  // A meeting whose metadata has a key named like BBB's own elements, and
  // escaped text: only <response><meetings><meeting> are meetings.
  auto r = parse_poll(
    ok("<response><returncode>SUCCESS</returncode><meetings><meeting>"
       "<meetingID>tX-a&amp;b</meetingID><running>true</running>"
       "<participantCount>2</participantCount><metadata><meeting>x</meeting>"
       "<meetingid>evil</meetingid><running>false</running></metadata>"
       "<attendees><attendee><fullName>A &lt;b&gt;</fullName></attendee>"
       "</attendees></meeting></meetings></response>"));
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.meetings.size(), 1u);
  ASSERT_EQ(r.meetings.count("tX-a&b"), 1u);
  const auto& m = r.meetings.at("tX-a&b");
  EXPECT_TRUE(m.running);
  EXPECT_EQ(m.participants, 2);
  EXPECT_EQ(m.attendees_xml,
            "<attendee><fullName>A &lt;b&gt;</fullName></attendee>");
  // A returncode in metadata of a FAILED answer is not the answer's.
  auto failed = read_create_answer(
    ok("<response><returncode>FAILED</returncode><metadata><returncode>"
       "SUCCESS</returncode></metadata><messageKey>idNotUnique</messageKey>"
       "</response>"));
  EXPECT_TRUE(failed.usable);
  EXPECT_FALSE(failed.success);
}

// Found by node_xml_fuzz: a count of 20 digits overflowed (undefined
// behaviour); it saturates now.
TEST(NodeApi, HugeCountsInAPollSaturate) {
  auto res = ok("<response><returncode>SUCCESS</returncode><meetings><meeting>"
                "<meetingID>m</meetingID><participantCount>"
                "11111111111111111111111</participantCount>"
                "<startTime>99999999999999999999</startTime>"
                "</meeting></meetings></response>");
  auto poll = parse_poll(res);
  ASSERT_TRUE(poll.ok);
  EXPECT_EQ(poll.meetings.at("m").participants,
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(poll.meetings.at("m").start_time,
            std::numeric_limits<int64_t>::max());
}
