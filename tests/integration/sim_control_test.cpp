// The simulator's HTTP surface: API under /bigbluebutton/api, control
// endpoints under /_ctl (docs/sim.md).
#include <chrono>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/integration/harness.hpp"

using namespace gw::test;
using json = nlohmann::json;

namespace {

class SimHttp : public ::testing::Test {
protected:
  sim_process sim_{"sim-secret"};

  response api(const std::string& call, const std::string& qs) {
    return get(sim_.port, "/bigbluebutton/api/" + call + "?"
                            + sign(call, qs, "sim-secret", "sha512"));
  }
};

} // namespace

TEST_F(SimHttp, ServesTheApiAndLogsCalls) {
  auto root = get(sim_.port, "/bigbluebutton/api");
  EXPECT_EQ(el(root.body, "version"), "2.0");
  auto c = api("create", "meetingID=m1&name=Demo");
  EXPECT_EQ(el(c.body, "returncode"), "SUCCESS");
  EXPECT_EQ(c.header("content-type"), "text/xml;charset=utf-8");
  auto log = json::parse(sim_.control("log"));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["call"], "");
  EXPECT_EQ(log[1]["call"], "create");
  EXPECT_EQ(log[1]["params"]["name"], "Demo");
  sim_.control("log/clear");
  EXPECT_EQ(json::parse(sim_.control("log")).size(), 0u);
}

TEST_F(SimHttp, AttendeesMakeAMeetingRun) {
  api("create", "meetingID=m1&name=Demo");
  EXPECT_EQ(el(api("isMeetingRunning", "meetingID=m1").body, "running"),
            "false");
  sim_.control("attendee?meetingID=m1&fullName=Ann&userID=u1&role=moderator");
  auto info = api("getMeetingInfo", "meetingID=m1");
  EXPECT_EQ(el(info.body, "running"), "true");
  EXPECT_EQ(el(info.body, "moderatorCount"), "1");
  EXPECT_EQ(el(info.body, "userID"), "u1");
  sim_.control("attendee/remove?meetingID=m1&userID=u1");
  EXPECT_EQ(el(api("isMeetingRunning", "meetingID=m1").body, "running"),
            "false");
  sim_.control("end?meetingID=m1");
  EXPECT_EQ(el(api("getMeetingInfo", "meetingID=m1").body, "messageKey"),
            "notFound");
}

TEST_F(SimHttp, FailureModes) {
  sim_.control("fail?mode=500");
  EXPECT_EQ(api("getMeetings", "").status, 500u);
  sim_.control("fail?mode=down");
  EXPECT_EQ(api("getMeetings", "").status, 0u); // connection dropped
  sim_.control("fail?mode=garbage");
  EXPECT_EQ(api("getMeetings", "").body, "<response><returncode>SUCC");
  sim_.control("fail?mode=html");
  EXPECT_EQ(api("getMeetings", "").header("content-type"), "text/html");
  sim_.control("fail?mode=slow&delay_ms=300");
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(el(api("getMeetings", "").body, "returncode"), "SUCCESS");
  EXPECT_GE(std::chrono::steady_clock::now() - t0,
            std::chrono::milliseconds(290));
  sim_.control("fail?mode=none");
  EXPECT_EQ(api("getMeetings", "").status, 200u);
  EXPECT_EQ(get(sim_.port, "/_ctl/fail?mode=bogus").status, 400u);
}

TEST_F(SimHttp, RecordingsSeededThroughControl) {
  api("create", "meetingID=m1&name=Demo");
  auto id = json::parse(sim_.control("recording?meetingID=m1"))["recordID"]
              .get<std::string>();
  EXPECT_EQ(el(api("getRecordings", "meetingID=m1").body, "recordID"), id);
}
