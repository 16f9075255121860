// The simulator's recordings behave as BBB's: made when a recorded meeting
// ends, published after the delay with a signed recording-ready callback,
// and every recording call with its checks in bbb-web's order.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "net/checksum.hpp"
#include "net/jwt.hpp"
#include "net/query.hpp"
#include "net/xml.hpp"
#include "sim/sim_state.hpp"

using namespace gw;

namespace {

class SimRecordings : public ::testing::Test {
protected:
  sim::sim_state sim_{"sekret", "http://127.0.0.1:9"};
  int64_t now_ = 1700000000000;

  void SetUp() override {
    sim_.set_clock(now_);
    sim_.set_recording_delay(5000);
  }

  sim::reply call(const std::string& name, const std::string& qs,
                  const std::string& method = "GET",
                  const std::string& body = "",
                  const std::string& content_type = "") {
    return sim_.handle(
      name, net::sign_query(name, qs, "sekret", net::checksum_algo::sha1),
      method, body, content_type);
  }

  static std::string el(const sim::reply& r, const std::string& name) {
    return std::string{net::find_element(r.body, name)};
  }

  static int count(const std::string& body, const std::string& what) {
    int n = 0;
    for (auto p = body.find(what); p != std::string::npos;
         p = body.find(what, p + 1))
      ++n;
    return n;
  }

  std::string add(const std::string& meeting, const std::string& state = "",
                  std::vector<std::pair<std::string, std::string>> meta = {}) {
    sim::recording_change c;
    c.meeting_id = meeting;
    c.state = state;
    c.metadata = std::move(meta);
    return sim_.add_recording(c);
  }
};

} // namespace

TEST_F(SimRecordings, ARecordedMeetingBecomesARecordingAndCallsBack) {
  call("create", "meetingID=m1&name=Room+One&record=true"
                 "&meta_bbb-recording-ready-url=http%3A%2F%2Fh%2Fready"
                 "&meta_bn-recording-ready-url=http%3A%2F%2Fh%2Fbn"
                 "&meta_course=math");
  call("create", "meetingID=m2&name=Unrecorded");
  ASSERT_TRUE(sim_.add_attendee("m1", {}));
  ASSERT_TRUE(sim_.add_attendee("m1", {}));
  ASSERT_TRUE(sim_.end_meeting("m1"));
  ASSERT_TRUE(sim_.end_meeting("m2"));
  sim_.take_callbacks();
  ASSERT_EQ(sim_.recordings().size(), 1u);
  const auto& r = sim_.recordings().begin()->second;
  EXPECT_EQ(r.state, "processing");
  EXPECT_EQ(r.participants, 2);
  // Processing: not listed by default, listed with state=any.
  EXPECT_EQ(el(call("getRecordings", "meetingID=m1"), "messageKey"),
            "noRecordings");
  auto any = call("getRecordings", "meetingID=m1&state=any");
  EXPECT_EQ(el(any, "state"), "processing");
  EXPECT_EQ(el(any, "meetingId"), "m1");
  EXPECT_EQ(el(any, "meetingName"), "Room One");
  EXPECT_EQ(el(any, "course"), "math");
  sim_.set_clock(now_ + 4999);
  sim_.tick();
  EXPECT_TRUE(sim_.take_callbacks().empty());
  sim_.set_clock(now_ + 5000);
  sim_.tick();
  auto list = call("getRecordings", "meetingID=m1");
  EXPECT_EQ(el(list, "state"), "published");
  EXPECT_EQ(el(list, "recordID"), r.record_id);
  EXPECT_EQ(el(list, "type"), "presentation");
  auto cbs = sim_.take_callbacks();
  ASSERT_EQ(cbs.size(), 2u);
  for (const auto& cb : cbs) {
    EXPECT_EQ(cb.method, "POST");
    EXPECT_EQ(cb.content_type, "application/x-www-form-urlencoded");
    auto form = net::query::parse(cb.body);
    ASSERT_TRUE(form);
    auto token = form->get("signed_parameters");
    ASSERT_NE(token, nullptr);
    auto t = net::jwt_verify(*token, "sekret", now_ / 1000);
    ASSERT_TRUE(t) << *token;
    auto claims = nlohmann::json::parse(t->payload);
    EXPECT_EQ(claims["meeting_id"], "m1");
    EXPECT_EQ(claims["record_id"], r.record_id);
    EXPECT_FALSE(net::jwt_verify(*token, "other", std::nullopt));
  }
  EXPECT_EQ(cbs[0].url, "http://h/ready");
  EXPECT_EQ(cbs[1].url, "http://h/bn");
  // Published once: no second callback.
  sim_.tick();
  EXPECT_TRUE(sim_.take_callbacks().empty());
}

TEST_F(SimRecordings, FiltersAndPages) {
  for (int i = 0; i < 5; ++i) {
    sim_.set_clock(now_ + i);
    add("room-" + std::to_string(i % 2), "",
        {{"course", i < 3 ? "math-101" : "art"}});
  }
  auto all = call("getRecordings", "");
  EXPECT_EQ(count(all.body, "<recording>"), 5);
  EXPECT_EQ(all.body.find("totalElements"), std::string::npos);
  EXPECT_EQ(
    count(call("getRecordings", "meetingID=room-0").body, "<recording>"), 3);
  EXPECT_EQ(
    count(call("getRecordings", "meetingID=room-0,room-1").body, "<recording>"),
    5);
  EXPECT_EQ(
    count(call("getRecordings", "meta_course=math%25").body, "<recording>"), 3);
  EXPECT_EQ(count(call("getRecordings", "meta_COURSE=art").body, "<recording>"),
            2);
  auto page = call("getRecordings", "limit=2&offset=1");
  EXPECT_EQ(count(page.body, "<recording>"), 2);
  EXPECT_EQ(el(page, "totalElements"), "5");
  auto past = call("getRecordings", "limit=2&offset=9");
  EXPECT_EQ(el(past, "messageKey"), "noRecordings");
  EXPECT_EQ(el(past, "totalElements"), "5");
}

TEST_F(SimRecordings, PublishUpdateDeleteCheckPresenceBeforeTheChecksum) {
  auto id = add("m1");
  // No checksum, then missing IDs, then a bad checksum.
  EXPECT_EQ(
    el(sim_.handle("publishRecordings", "recordID=x&publish=true", "GET", ""),
       "messageKey"),
    "checksumError");
  EXPECT_EQ(
    el(sim_.handle("publishRecordings", "publish=true&checksum=bad", "GET", ""),
       "messageKey"),
    "missingParamRecordID");
  EXPECT_EQ(
    el(sim_.handle("publishRecordings", "recordID=x&checksum=bad", "GET", ""),
       "messageKey"),
    "missingParamPublish");
  EXPECT_EQ(
    el(sim_.handle("deleteRecordings", "recordID=x&checksum=bad", "GET", ""),
       "messageKey"),
    "checksumError");
  EXPECT_EQ(
    el(call("publishRecordings", "recordID=nope&publish=true"), "messageKey"),
    "notFound");
  EXPECT_EQ(
    el(call("updateRecordings", "recordID=nope,x&meta_a=b"), "messageKey"),
    "notFound");
  EXPECT_EQ(el(call("updateRecordings",
                    "recordID=nope," + id + "&meta_Tag=b&meta_Old=a"),
               "updated"),
            "true");
  auto got = call("getRecordings", "recordID=" + id);
  EXPECT_EQ(el(got, "tag"), "b");
  EXPECT_EQ(el(got, "old"), "a");
  // An empty value removes the (lowercased) key.
  call("updateRecordings", "recordID=" + id + "&meta_OLD=");
  got = call("getRecordings", "recordID=" + id);
  EXPECT_EQ(got.body.find("<old>"), std::string::npos);
  EXPECT_EQ(el(got, "tag"), "b");
  EXPECT_EQ(el(call("publishRecordings", "recordID=" + id + "&publish=false"),
               "published"),
            "false");
  // A processing recording cannot be published.
  auto busy = add("m2", "processing");
  EXPECT_EQ(el(call("publishRecordings", "recordID=" + busy + "&publish=true"),
               "messageKey"),
            "notFound");
  EXPECT_EQ(el(call("deleteRecordings", "recordID=" + id), "deleted"), "true");
  EXPECT_EQ(el(call("deleteRecordings", "recordID=" + id), "messageKey"),
            "notFound");
}

TEST_F(SimRecordings, TextTracksInJson) {
  auto id = add("m1");
  auto j = [](const sim::reply& r) {
    return nlohmann::json::parse(r.body)["response"];
  };
  EXPECT_EQ(j(sim_.handle("getRecordingTextTracks", "recordID=" + id, "GET",
                          ""))["message"],
            "Missing param checksum.");
  EXPECT_EQ(el(sim_.handle("getRecordingTextTracks",
                           "recordID=" + id + "&checksum=bad", "GET", ""),
               "messageKey"),
            "checksumError");
  EXPECT_EQ(j(call("getRecordingTextTracks", "recordID=nope"))["messageKey"],
            "noRecordings");
  EXPECT_EQ(j(call("getRecordingTextTracks", "recordID=" + id))["tracks"],
            nlohmann::json::array());
  const std::string type = "multipart/form-data; boundary=XyZ";
  auto body = [](const std::string& content) {
    return "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
           "filename=\"a.vtt\"\r\nContent-Type: text/vtt\r\n\r\n"
           + content + "\r\n--XyZ--\r\n";
  };
  auto put = [&](const std::string& qs, const std::string& b) {
    return j(call("putRecordingTextTrack", qs, "POST", b, type));
  };
  EXPECT_EQ(put("recordID=" + id + "&lang=en-US", body("x"))["message"],
            "Missing param kind.");
  EXPECT_EQ(
    put("recordID=" + id + "&kind=songs&lang=en", body("x"))["messageKey"],
    "invalidKind");
  EXPECT_EQ(
    put("recordID=" + id + "&kind=subtitles&lang=e$", body("x"))["messageKey"],
    "invalidLang");
  EXPECT_EQ(
    put("recordID=" + id + "&kind=subtitles&lang=en", body(""))["messageKey"],
    "empty_uploaded_text_track");
  auto ok = put("recordID=" + id + "&kind=subtitles&lang=en-US&label=English",
                body("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"));
  EXPECT_EQ(ok["returncode"], "SUCCESS");
  EXPECT_EQ(ok["recordId"], id);
  auto tracks = j(call("getRecordingTextTracks", "recordID=" + id))["tracks"];
  ASSERT_EQ(tracks.size(), 1u);
  EXPECT_EQ(tracks[0]["label"], "English");
  EXPECT_EQ(tracks[0]["lang"], "en-US");
  EXPECT_EQ(tracks[0]["kind"], "subtitles");
  EXPECT_EQ(sim_.recordings().at(id).tracks[0].content,
            "WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n");
}

TEST_F(SimRecordings, InsertDocumentAndChatReachTheMeeting) {
  call("create", "meetingID=m1&name=Aa");
  const std::string doc =
    "<modules><module name=\"presentation\"><document url=\"http://x/a.pdf\" "
    "filename=\"a.pdf\"/></module></modules>";
  auto r =
    call("insertDocument", "meetingID=m1", "POST", doc, "application/xml");
  EXPECT_EQ(r.body, "<response><returncode>SUCCESS</returncode><message>"
                    "Presentation is being uploaded</message></response>");
  EXPECT_EQ(sim_.meetings().at("m1").documents.at(0), doc);
  EXPECT_EQ(
    el(call("insertDocument", "meetingID=zz", "POST", doc, "application/xml"),
       "message"),
    "Meeting with id [zz] not found.");
  EXPECT_EQ(
    el(call("sendChatMessage", "meetingID=m1&message=Hello+all"), "returncode"),
    "SUCCESS");
  EXPECT_EQ(sim_.meetings().at("m1").chat.at(0).first, "System");
  EXPECT_EQ(sim_.meetings().at("m1").chat.at(0).second, "Hello all");
  EXPECT_EQ(el(call("sendChatMessage", "meetingID=m1"), "messageKey"),
            "missingParamMessage");
  EXPECT_EQ(el(call("sendChatMessage", "meetingID=zz&message=x"), "messageKey"),
            "meetingNotFound");
  EXPECT_EQ(call("sendChatMessage", "meetingID=m1&message=x", "POST").status,
            405u);
}
