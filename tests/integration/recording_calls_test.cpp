// publish/update/deleteRecordings and the text-track calls through the
// gateway (issue 13): routed to the node(s) holding the IDs, reflected in
// the next getRecordings, FAILED when a node holding one fails, one
// tenant's only; and the calls on a running meeting (insertDocument,
// sendChatMessage) end to end.
#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/ids.hpp"
#include "net/query.hpp"
#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using namespace std::chrono_literals;

namespace {

class RecordingCalls : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "poll_interval_seconds: 1\nrecordings:\n"
           "  sync_interval_seconds: 1\n";
  }

  std::string record(sim_process& sim, const std::string& tenant,
                     const std::string& id) {
    return nlohmann::json::parse(
             sim.control("recording?meetingID=" + gw::tenant_prefix(tenant) + id
                         + "&meta_course=math"))
      .value("recordID", "");
  }

  std::string state_on(const sim_process& sim, const std::string& id) {
    for (const auto& r : nlohmann::json::parse(sim.control("recordings")))
      if (r["recordID"] == id)
        return r["state"];
    return "gone";
  }

  static std::size_t count(const std::string& body) {
    std::size_t n = 0;
    for (auto p = body.find("<recording>"); p != std::string::npos;
         p = body.find("<recording>", p + 1))
      ++n;
    return n;
  }

  void wait_indexed(const std::string& tenant, std::size_t n) {
    for (int i = 0; i < 60 && count(api(tenant, "getRecordings", "").body) < n;
         ++i)
      std::this_thread::sleep_for(100ms);
  }
};

} // namespace

TEST_F(RecordingCalls, PublishUpdateDeleteGoWhereTheRecordingsAre) {
  auto a = record(*node1_, "acme", "room-a");
  auto b = record(*node2_, "acme", "room-b");
  auto theirs = record(*node1_, "beta", "room-x");
  wait_indexed("acme", 2);
  wait_indexed("beta", 1);
  node1_->control("log/clear");
  node2_->control("log/clear");
  // Both IDs, plus one nobody has: each node gets its own, none the other's.
  auto r = api("acme", "publishRecordings",
               "recordID=" + a + "," + b + ",nope&publish=false");
  EXPECT_EQ(r.body, "<response><returncode>SUCCESS</returncode><published>"
                    "false</published></response>");
  EXPECT_EQ(state_on(*node1_, a), "unpublished");
  EXPECT_EQ(state_on(*node2_, b), "unpublished");
  auto log1 = nlohmann::json::parse(node1_->control("log"));
  ASSERT_EQ(log1.size(), 2u); // publishRecordings, then the index's read
  EXPECT_EQ(log1[0]["params"]["recordID"], a);
  // Shown at once, without waiting for a reconciliation.
  auto list = api("acme", "getRecordings", "recordID=" + a).body;
  EXPECT_EQ(el(list, "state"), "unpublished");
  // A tenant cannot touch another's recording by its ID.
  EXPECT_EQ(
    el(api("acme", "publishRecordings", "recordID=" + theirs + "&publish=false")
         .body,
       "messageKey"),
    "notFound");
  EXPECT_EQ(el(api("acme", "deleteRecordings", "recordID=" + theirs).body,
               "messageKey"),
            "notFound");
  EXPECT_EQ(state_on(*node1_, theirs), "published");
  // Update: metadata to the node, BBB's own keys and callback URLs not.
  node1_->control("log/clear");
  r =
    api("acme", "updateRecordings",
        "recordID=" + a
          + "&meta_Topic=Algebra&meta_meetingId=x&meta_bn-recording-ready-url="
            "http%3A%2F%2Fevil");
  EXPECT_EQ(el(r.body, "updated"), "true") << r.body;
  log1 = nlohmann::json::parse(node1_->control("log"));
  ASSERT_GE(log1.size(), 1u);
  EXPECT_EQ(log1[0]["call"], "updateRecordings");
  EXPECT_EQ(log1[0]["params"]["meta_Topic"], "Algebra");
  EXPECT_FALSE(log1[0]["params"].contains("meta_meetingId"));
  EXPECT_FALSE(log1[0]["params"].contains("meta_bn-recording-ready-url"));
  // The client's recording-ready URL rides in the gateway's on the node.
  std::string gw_url = log1[0]["params"]["meta_bbb-recording-ready-url"];
  EXPECT_EQ(gw_url.rfind("http://127.0.0.1:" + std::to_string(port())
                           + "/_gw/callback/recording?",
                         0),
            0u)
    << gw_url;
  list = api("acme", "getRecordings", "recordID=" + a).body;
  EXPECT_EQ(el(list, "topic"), "Algebra");
  EXPECT_EQ(el(list, "meetingId"), "room-a");
  EXPECT_EQ(el(list, "bn-recording-ready-url"), "http://evil");
  EXPECT_EQ(list.find("_gw"), std::string::npos) << list;
  // Presence before the checksum, as bbb-web.
  EXPECT_EQ(el(get(port(), "/acme/bigbluebutton/api/publishRecordings?"
                           "recordID=x&checksum=bad")
                 .body,
               "messageKey"),
            "missingParamPublish");
  EXPECT_EQ(el(api("acme", "deleteRecordings", "").body, "messageKey"),
            "missingParamRecordID");
  // Delete: gone from the node and from the next answer.
  r = api("acme", "deleteRecordings", "recordID=" + b);
  EXPECT_EQ(el(r.body, "deleted"), "true");
  EXPECT_EQ(state_on(*node2_, b), "gone");
  EXPECT_EQ(
    el(api("acme", "getRecordings", "recordID=" + b).body, "messageKey"),
    "noRecordings");
  EXPECT_EQ(
    el(api("acme", "deleteRecordings", "recordID=" + b).body, "messageKey"),
    "notFound");
}

TEST_F(RecordingCalls, ANodeThatFailsMakesTheAnswerFailed) {
  auto a = record(*node1_, "acme", "room-a");
  auto b = record(*node2_, "acme", "room-b");
  wait_indexed("acme", 2);
  node2_->control("fail?mode=500");
  auto r = api("acme", "publishRecordings",
               "recordID=" + a + "," + b + "&publish=false");
  EXPECT_EQ(el(r.body, "returncode"), "FAILED") << r.body;
  EXPECT_EQ(el(r.body, "messageKey"), "internalError");
  // The node that could change it did; a retry once the other is back
  // succeeds.
  EXPECT_EQ(state_on(*node1_, a), "unpublished");
  node2_->control("fail?mode=none");
  r = api("acme", "publishRecordings",
          "recordID=" + a + "," + b + "&publish=false");
  EXPECT_EQ(el(r.body, "returncode"), "SUCCESS") << r.body;
  EXPECT_EQ(state_on(*node2_, b), "unpublished");
  // getRecordings is never failed by a node.
  node2_.reset();
  EXPECT_EQ(count(api("acme", "getRecordings", "state=any").body), 2u);
}

TEST_F(RecordingCalls, TextTracksGoToTheRecordingsNode) {
  auto b = record(*node2_, "acme", "room-b");
  auto theirs = record(*node2_, "beta", "room-x");
  wait_indexed("acme", 1);
  wait_indexed("beta", 1);
  auto j = [](const response& r) {
    return nlohmann::json::parse(r.body)["response"];
  };
  auto tracks = j(api("acme", "getRecordingTextTracks", "recordID=" + b));
  EXPECT_EQ(tracks["returncode"], "SUCCESS");
  EXPECT_EQ(tracks["tracks"].size(), 0u);
  EXPECT_EQ(j(api("acme", "getRecordingTextTracks",
                  "recordID=" + theirs))["messageKey"],
            "noRecordings");
  EXPECT_EQ(j(get(port(), "/acme/bigbluebutton/api/getRecordingTextTracks?"
                          "recordID=x"))["message"],
            "Missing param checksum.");
  const std::string vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n";
  auto body = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; "
              "filename=\"de.vtt\"\r\nContent-Type: text/vtt\r\n\r\n"
              + vtt + "\r\n--b0undary--\r\n";
  auto qs = "recordID=" + b + "&kind=subtitles&lang=de-DE&label=Deutsch";
  auto up = http(port(), "POST",
                 "/acme/bigbluebutton/api/putRecordingTextTrack?"
                   + sign("putRecordingTextTrack", qs, "acme-secret"),
                 body, "multipart/form-data; boundary=b0undary");
  EXPECT_EQ(j(up)["returncode"], "SUCCESS") << up.body;
  EXPECT_EQ(j(up)["messageKey"], "upload_text_track_success");
  tracks = j(api("acme", "getRecordingTextTracks", "recordID=" + b));
  ASSERT_EQ(tracks["tracks"].size(), 1u);
  EXPECT_EQ(tracks["tracks"][0]["label"], "Deutsch");
  EXPECT_EQ(tracks["tracks"][0]["lang"], "de-DE");
}

TEST_F(RecordingCalls, InsertDocumentAndChatReachTheMeeting) {
  ASSERT_EQ(el(create("acme", "live").body, "returncode"), "SUCCESS");
  const std::string doc =
    "<modules><module name=\"presentation\"><document "
    "url=\"https://example.org/slides.pdf\" filename=\"slides.pdf\"/>"
    "</module></modules>";
  auto r = http(port(), "POST",
                "/acme/bigbluebutton/api/insertDocument?"
                  + sign("insertDocument", "meetingID=live", "acme-secret"),
                doc, "application/xml");
  EXPECT_EQ(el(r.body, "returncode"), "SUCCESS") << r.body;
  r = api("acme", "sendChatMessage",
          "meetingID=live&message=Hello+class"
          "&userName=Teacher");
  EXPECT_EQ(el(r.body, "returncode"), "SUCCESS") << r.body;
  bool seen = false;
  for (auto* sim : {node1_.get(), node2_.get()})
    for (const auto& m : nlohmann::json::parse(sim->control("meetings")))
      if (m["meetingID"] == gw::tenant_prefix("acme") + "live") {
        seen = true;
        ASSERT_EQ(m["documents"].size(), 1u);
        EXPECT_EQ(m["documents"][0], doc); // byte for byte
        ASSERT_EQ(m["chat"].size(), 1u);
        EXPECT_EQ(m["chat"][0][0], "Teacher");
        EXPECT_EQ(m["chat"][0][1], "Hello class");
      }
  EXPECT_TRUE(seen);
  EXPECT_EQ(el(api("acme", "sendChatMessage", "meetingID=nope&message=x").body,
               "messageKey"),
            "meetingNotFound");
}

TEST_F(RecordingCalls, GetJoinUrlFindsTheSessionsNodeAndAnswersAsTheTenant) {
  ASSERT_EQ(el(create("acme", "rejoin").body, "returncode"), "SUCCESS");
  auto joined = api("acme", "join",
                    "meetingID=rejoin&fullName=Ann+Lee"
                    "&role=viewer&redirect=false");
  auto token = el(joined.body, "session_token");
  ASSERT_FALSE(token.empty()) << joined.body;
  auto j = [](const response& r) {
    return nlohmann::json::parse(r.body)["response"];
  };
  // No checksum: the session token is the credential.
  auto r = j(get(port(), "/acme/bigbluebutton/api/getJoinUrl?sessionToken="
                           + token + "&userdata-bbb_show_participants=false"));
  ASSERT_EQ(r["returncode"], "SUCCESS") << r.dump();
  std::string url = r["url"];
  auto base = "http://127.0.0.1:" + std::to_string(port())
              + "/acme/bigbluebutton/api/join?";
  ASSERT_EQ(url.rfind(base, 0), 0u) << url;
  auto q = *gw::net::query::parse(url.substr(base.size()));
  EXPECT_EQ(*q.get("meetingID"), "rejoin");
  EXPECT_EQ(*q.get("fullName"), "Ann Lee");
  EXPECT_EQ(*q.get("userdata-bbb_show_participants"), "false");
  EXPECT_EQ(url.find(gw::tenant_prefix("acme")), std::string::npos);
  // Signed with the tenant's secret: the gateway takes it.
  auto follow = get(port(), url.substr(url.find("/acme/")));
  EXPECT_EQ(follow.status, 302u) << follow.body;
  // On to the node's join, the same user again.
  auto location = follow.header("Location");
  EXPECT_NE(location.find("/bigbluebutton/api/join?"), std::string::npos)
    << location << follow.body;
  EXPECT_NE(location.find("existingUserID=" + el(joined.body, "user_id")),
            std::string::npos)
    << location;
  // Another tenant's path, or an unknown token: BBB's unknown session.
  auto other =
    j(get(port(), "/beta/bigbluebutton/api/getJoinUrl?sessionToken=" + token));
  EXPECT_EQ(other["returncode"], "FAILED");
  EXPECT_EQ(other["message"], "Invalid Session");
  EXPECT_EQ(
    j(get(port(),
          "/acme/bigbluebutton/api/getJoinUrl?sessionToken=nope"))["message"],
    "Invalid Session");
}
