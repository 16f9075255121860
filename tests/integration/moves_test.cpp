// A move the client never notices, and live data that is never stale
// (design.md §7), over loopback with two simulated nodes.
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

class Moves : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "poll_interval_seconds: 1\n";
  }

  sim_process* host_of(const std::string& id) {
    for (auto* node : {node1_.get(), node2_.get()}) {
      auto list = json::parse(node->control("meetings"), nullptr, false);
      if (!list.is_array())
        continue;
      for (const auto& m : list)
        if (m["meetingID"].get<std::string>().size() > id.size()
            && m["meetingID"].get<std::string>().substr(
                 m["meetingID"].get<std::string>().size() - id.size() - 1)
                 == "-" + id)
          return node;
    }
    return nullptr;
  }
};

class FreshLiveData : public GatewayFixture {
protected:
  // Polls far apart: what getMeetings shows within a second comes from a
  // refresh, not from the regular poll.
  std::string extra_config() const override {
    return "poll_interval_seconds: 30\nlive_data_max_age_ms: 1000\n";
  }

  std::size_t node_calls(sim_process* node, const std::string& call) {
    auto log = json::parse(node->control("log"), nullptr, false);
    std::size_t n = 0;
    for (const auto& c : log)
      n += c["call"] == call;
    return n;
  }
};

} // namespace

TEST_F(Moves, AJoinWithTheFirstCreateTimeReachesTheMovedMeeting) {
  // Created as Greenlight does: no passwords (the node generates them).
  auto first = api("acme", "create", "meetingID=gl-room&name=Room");
  ASSERT_EQ(el(first.body, "returncode"), "SUCCESS") << first.body;
  auto ct = el(first.body, "createTime");
  auto mpw = el(first.body, "moderatorPW");
  auto apw = el(first.body, "attendeePW");
  auto date = el(first.body, "createDate");
  ASSERT_FALSE(mpw.empty());
  auto* dead = host_of("gl-room");
  ASSERT_NE(dead, nullptr);
  auto* alive = dead == node1_.get() ? node2_.get() : node1_.get();
  dead->proc.kill(9);
  std::this_thread::sleep_for(3500ms); // offline after three failed polls
  // Greenlight joins with the createTime of its create answer.
  auto j =
    api("acme", "join",
        "meetingID=gl-room&fullName=Ann&role=moderator&createTime=" + ct);
  ASSERT_EQ(j.status, 302u) << j.body;
  auto to = j.header("location");
  ASSERT_EQ(to.rfind(alive->url() + "api/join?", 0), 0u) << to;
  auto page = get(alive->port, to.substr(to.find("/bigbluebutton")));
  ASSERT_EQ(page.status, 302u);
  EXPECT_NE(page.header("location").find("/html5client/join"),
            std::string::npos)
    << page.header("location");
  // A repeated create answers what the first one did.
  auto again = api("acme", "create", "meetingID=gl-room&name=Room");
  ASSERT_EQ(el(again.body, "returncode"), "SUCCESS") << again.body;
  EXPECT_EQ(el(again.body, "createTime"), ct) << again.body;
  EXPECT_EQ(el(again.body, "createDate"), date);
  EXPECT_EQ(el(again.body, "moderatorPW"), mpw);
  EXPECT_EQ(el(again.body, "attendeePW"), apw);
  auto info = api("acme", "getMeetingInfo", "meetingID=gl-room");
  EXPECT_EQ(el(info.body, "createTime"), ct);
  EXPECT_EQ(el(info.body, "attendeePW"), apw);
  EXPECT_EQ(el(info.body, "createDate"), date);
  auto list = api("acme", "getMeetings", "");
  EXPECT_EQ(el(list.body, "createTime"), ct);
  // Joins with the first passwords (Moodle, WordPress, the PHP library).
  for (const auto& pw : {mpw, apw}) {
    auto pj =
      api("acme", "join", "meetingID=gl-room&fullName=Bo&password=" + pw);
    ASSERT_EQ(pj.status, 302u);
    auto loc = pj.header("location");
    auto follow = get(alive->port, loc.substr(loc.find("/bigbluebutton")));
    EXPECT_NE(follow.header("location").find("/html5client/join"),
              std::string::npos)
      << pw << ": " << follow.header("location");
  }
  // A createTime the client was never told is the node's to refuse.
  auto wrong =
    api("acme", "join",
        "meetingID=gl-room&fullName=Cy&role=viewer&createTime=12345");
  ASSERT_EQ(wrong.status, 302u);
  auto wl = wrong.header("location");
  auto refused = get(alive->port, wl.substr(wl.find("/bigbluebutton")));
  EXPECT_NE(refused.header("location").find("mismatchCreateTimeParam"),
            std::string::npos);
}

TEST_F(FreshLiveData, GetMeetingsShowsAttendeesWithinASecond) {
  ASSERT_EQ(el(create("acme", "live").body, "returncode"), "SUCCESS");
  auto before = api("acme", "getMeetings", "");
  EXPECT_EQ(el(before.body, "running"), "false");
  sim_process* host = nullptr;
  for (auto* node : {node1_.get(), node2_.get()}) {
    auto list = json::parse(node->control("meetings"), nullptr, false);
    for (const auto& m : list)
      if (m["meetingID"].get<std::string>().find("-live") != std::string::npos)
        host = node;
  }
  ASSERT_NE(host, nullptr);
  auto nid =
    json::parse(host->control("meetings"))[0]["meetingID"].get<std::string>();
  for (const char* who : {"u1", "u2", "u3"})
    host->control("attendee?meetingID=" + nid + "&userID=" + who
                  + "&fullName=" + who);
  std::this_thread::sleep_for(1100ms); // the data is now older than 1 s
  auto after = api("acme", "getMeetings", "");
  EXPECT_EQ(el(after.body, "running"), "true") << after.body;
  EXPECT_EQ(el(after.body, "participantCount"), "3");
}

TEST_F(FreshLiveData, ManyCallersShareOneRefreshPerNode) {
  ASSERT_EQ(el(create("acme", "busy").body, "returncode"), "SUCCESS");
  std::this_thread::sleep_for(1100ms);
  for (auto* node : {node1_.get(), node2_.get()})
    node->control("log/clear");
  // 200 callers at once, each on its own connection.
  std::vector<std::future<response>> calls;
  auto target = [&] {
    return "/acme/bigbluebutton/api/getMeetings?"
           + sign("getMeetings", "", secret_of("acme"), algo_of("acme"));
  }();
  for (int i = 0; i < 200; ++i)
    calls.push_back(
      std::async(std::launch::async, [&] { return get(port(), target); }));
  std::size_t ok = 0;
  for (auto& f : calls)
    ok += el(f.get().body, "returncode") == "SUCCESS";
  EXPECT_EQ(ok, 200u);
  // They took well under a second: the node holding the meeting was polled
  // exactly once for all of them, the other (none of this tenant's
  // meetings) not at all.
  std::size_t polls = 0;
  for (auto* node : {node1_.get(), node2_.get()}) {
    auto n = node_calls(node, "getMeetings");
    EXPECT_LE(n, 1u);
    polls += n;
  }
  EXPECT_EQ(polls, 1u);
}
