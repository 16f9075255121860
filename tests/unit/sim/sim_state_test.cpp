#include <gtest/gtest.h>

#include "net/checksum.hpp"
#include "net/xml.hpp"
#include "sim/sim_state.hpp"

using namespace gw;

namespace {

class SimState : public ::testing::Test {
protected:
  sim::sim_state sim_{"sekret", "http://127.0.0.1:9"};

  sim::reply call(const std::string& name, const std::string& qs,
                  const std::string& method = "GET") {
    return sim_.handle(
      name, net::sign_query(name, qs, "sekret", net::checksum_algo::sha1),
      method, "");
  }

  static std::string el(const sim::reply& r, const std::string& name) {
    return std::string{net::find_element(r.body, name)};
  }
};

} // namespace

TEST_F(SimState, VersionRootNeedsNoChecksum) {
  auto r = sim_.handle("", "", "GET", "");
  EXPECT_EQ(r.body, "<response><returncode>SUCCESS</returncode><version>2.0"
                    "</version><apiVersion>2.0</apiVersion><bbbVersion>"
                    "</bbbVersion></response>");
}

TEST_F(SimState, CreateAnswersInBbbOrderWithGeneratedValues) {
  sim_.set_clock(1531155809613);
  auto r = call("create", "meetingID=test01&name=Demo");
  EXPECT_EQ(el(r, "returncode"), "SUCCESS");
  auto pos = [&](const char* n) {
    return r.body.find(std::string{"<"} + n + ">");
  };
  const char* order[] = {
    "returncode",           "meetingID",     "internalMeetingID",
    "parentMeetingID",      "attendeePW",    "moderatorPW",
    "createTime",           "voiceBridge",   "dialNumber",
    "createDate",           "hasUserJoined", "duration",
    "hasBeenForciblyEnded", "messageKey",    "message"};
  for (std::size_t i = 1; i < std::size(order); ++i)
    EXPECT_LT(pos(order[i - 1]), pos(order[i])) << order[i];
  EXPECT_EQ(el(r, "internalMeetingID"),
            net::hex_digest(net::checksum_algo::sha1, "test01")
              + "-1531155809613");
  EXPECT_EQ(el(r, "createDate"), "Mon Jul 09 17:03:29 UTC 2018");
  EXPECT_EQ(el(r, "voiceBridge").size(), 5u);
  EXPECT_NE(el(r, "attendeePW"), el(r, "moderatorPW"));
  EXPECT_EQ(el(r, "messageKey"), "");
}

TEST_F(SimState, DuplicateCreateRules) {
  auto first =
    call("create", "meetingID=m1&name=Aa&attendeePW=ap&moderatorPW=mp");
  auto again =
    call("create", "meetingID=m1&name=Bb&attendeePW=ap&moderatorPW=mp");
  EXPECT_EQ(el(again, "messageKey"), "duplicateWarning");
  EXPECT_EQ(el(again, "createTime"), el(first, "createTime"));
  auto other =
    call("create", "meetingID=m1&name=Aa&attendeePW=ap&moderatorPW=xx");
  EXPECT_EQ(el(other, "messageKey"), "idNotUnique");
  call("create", "meetingID=m2&name=Aa");
  EXPECT_EQ(el(call("create", "meetingID=m2&name=Aa"), "messageKey"),
            "duplicateWarning");
}

TEST_F(SimState, VoiceBridgeClashIsListForm) {
  call("create", "meetingID=m1&name=Aa&voiceBridge=12345");
  auto r = call("create", "meetingID=m2&name=Aa&voiceBridge=12345");
  EXPECT_NE(r.body.find("<errors><error><key>nonUniqueVoiceBridge</key>"),
            std::string::npos);
}

TEST_F(SimState, MetadataIsLowercasedFilteredAndEscaped) {
  call("create", "meetingID=m1&name=Aa&meta_bbb-origin=Moodle&meta_foo_bar=1"
                 "&meta_endCallbackUrl=http%3A%2F%2Fx%2Fcb&meta_x=%3Cb%3E%26");
  auto r = call("getMeetingInfo", "meetingID=m1");
  EXPECT_NE(r.body.find("<metadata><bbb-origin>Moodle</bbb-origin>"
                        "<endcallbackurl>http://x/cb</endcallbackurl>"
                        "<x>&lt;b&gt;&amp;</x></metadata>"),
            std::string::npos)
    << r.body;
}

TEST_F(SimState, JoinRedirectsOrAnswersXml) {
  call("create", "meetingID=m1&name=Aa&attendeePW=ap&moderatorPW=mp");
  auto r = call("join", "meetingID=m1&fullName=Jo&password=mp");
  EXPECT_EQ(r.status, 302u);
  EXPECT_NE(r.location.find("sessionToken="), std::string::npos);
  auto x = call("join", "meetingID=m1&fullName=Jo&password=mp&redirect=FALSE");
  EXPECT_EQ(el(x, "messageKey"), "successfullyJoined");
  EXPECT_EQ(el(x, "user_id").substr(0, 2), "w_");
  auto bad = call("join", "meetingID=m1&fullName=Jo&password=zz&redirect=0");
  EXPECT_EQ(el(bad, "messageKey"), "Params required");
  auto unknown = call("join", "meetingID=nope&fullName=Jo&role=viewer");
  EXPECT_EQ(unknown.status, 302u);
  EXPECT_NE(unknown.location.find("errors="), std::string::npos);
  auto mismatch = call("join", "meetingID=m1&fullName=Jo&role=viewer"
                               "&createTime=1&redirect=false");
  EXPECT_EQ(el(mismatch, "messageKey"), "mismatchCreateTimeParam");
}

TEST_F(SimState, RunningOnlyWithAttendeesAndEndFiresCallback) {
  call("create",
       "meetingID=m1&name=Aa&meta_endCallbackUrl=http%3A%2F%2Fh%2Fcb");
  EXPECT_EQ(el(call("isMeetingRunning", "meetingID=m1"), "running"), "false");
  ASSERT_TRUE(sim_.add_attendee("m1", {}));
  EXPECT_EQ(el(call("isMeetingRunning", "meetingID=m1"), "running"), "true");
  EXPECT_EQ(el(call("end", "meetingID=m1"), "messageKey"),
            "sentEndMeetingRequest");
  auto cbs = sim_.take_callbacks();
  ASSERT_EQ(cbs.size(), 1u);
  EXPECT_EQ(cbs[0].url, "http://h/cb?meetingID=m1&recordingmarks=false");
  EXPECT_EQ(el(call("getMeetingInfo", "meetingID=m1"), "messageKey"),
            "notFound");
  EXPECT_EQ(el(call("end", "meetingID=m1"), "messageKey"), "notFound");
}

TEST_F(SimState, GetMeetingsEmptyShape) {
  EXPECT_EQ(call("getMeetings", "").body,
            "<response><returncode>SUCCESS</returncode><meetings/><messageKey>"
            "noMeetings</messageKey><message>no meetings were found on this "
            "server</message></response>");
}

TEST_F(SimState, ChecksumAndUnknownCalls) {
  auto r = sim_.handle("getMeetings", "checksum=abc", "GET", "");
  EXPECT_EQ(el(r, "messageKey"), "checksumError");
  EXPECT_EQ(sim_.handle("Create", "", "GET", "").status, 404u);
  EXPECT_EQ(sim_.handle("join", "", "POST", "").status, 405u);
}

TEST_F(SimState, RecordingsLifecycle) {
  call("create", "meetingID=m1&name=Aa");
  sim::recording_change c;
  c.meeting_id = "m1";
  auto id = sim_.add_recording(c);
  auto list = call("getRecordings", "meetingID=m1");
  EXPECT_EQ(el(list, "recordID"), id);
  EXPECT_EQ(
    el(call("getRecordings", "recordID=" + id.substr(0, 10)), "recordID"), id);
  EXPECT_EQ(el(call("publishRecordings", "recordID=" + id + "&publish=false"),
               "published"),
            "false");
  EXPECT_EQ(el(call("getRecordings", "meetingID=m1&state=any"), "state"),
            "unpublished");
  EXPECT_EQ(el(call("deleteRecordings", "recordID=" + id), "deleted"), "true");
  EXPECT_EQ(el(call("getRecordings", "meetingID=m1"), "messageKey"),
            "noRecordings");
  EXPECT_EQ(el(call("deleteRecordings", "recordID=" + id), "messageKey"),
            "notFound");
}

// POST forms as bbb-web 2.4-3.0 read them.
TEST_F(SimState, PostFormsAreCheckedAsBbbWebChecksThem) {
  const std::string form = "application/x-www-form-urlencoded";
  auto sha1 = net::checksum_algo::sha1;
  // A query besides the checksum: only the query is checksummed, the body's
  // parameters count too.
  auto r = sim_.handle(
    "create", net::sign_query("create", "meetingID=f1", "sekret", sha1), "POST",
    "name=Form+One&meta_x=y", form);
  EXPECT_EQ(el(r, "returncode"), "SUCCESS") << r.body;
  EXPECT_EQ(sim_.meetings().at("f1").name, "Form One");
  // Only a checksum (over nothing) in the URL: every parameter in the body.
  r = sim_.handle("create", net::sign_query("create", "", "sekret", sha1),
                  "POST", "meetingID=f2&name=Two", form);
  EXPECT_EQ(el(r, "returncode"), "SUCCESS") << r.body;
  // No query: bbb-web 2.x checksums the sorted body parameters.
  auto sorted =
    net::hex_digest(sha1, "create", "meetingID=f3&name=Three", "sekret");
  r = sim_.handle("create", "", "POST",
                  "name=Three&meetingID=f3&checksum=" + sorted, form);
  EXPECT_EQ(el(r, "returncode"), "SUCCESS") << r.body;
  // A body changed under that checksum fails; so does a parameter in both.
  r = sim_.handle("create", "", "POST",
                  "name=Other&meetingID=f3&checksum=" + sorted, form);
  EXPECT_EQ(el(r, "messageKey"), "checksumError");
  r = sim_.handle("create",
                  net::sign_query("create", "meetingID=f4", "sekret", sha1),
                  "POST", "meetingID=f5&name=x", form);
  EXPECT_EQ(el(r, "messageKey"), "checksumError");
}
