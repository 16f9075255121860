// Fleet health, end detection and failover over loopback (issue 4): nodes
// polled every second, sims switched to failure modes or killed.
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

class Failover : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "poll_interval_seconds: 1\n";
  }

  /// Returns true when `node` (a live sim) holds the meeting `id`.
  static bool hosts(const sim_process* node, const std::string& id) {
    auto list = json::parse(node->control("meetings"), nullptr, false);
    if (!list.is_array())
      return false; // killed
    for (const auto& m : list) {
      auto nid = m["meetingID"].get<std::string>();
      if (nid.size() > id.size()
          && nid.compare(nid.size() - id.size() - 1, id.size() + 1, "-" + id)
               == 0)
        return true;
    }
    return false;
  }

  /// Returns the first sim holding the meeting `id` (or null).
  sim_process* host_of(const std::string& id) {
    for (auto* node : {node1_.get(), node2_.get()})
      if (hosts(node, id))
        return node;
    return nullptr;
  }

  sim_process* other(sim_process* node) {
    return node == node1_.get() ? node2_.get() : node1_.get();
  }
};

class EndCallback : public GatewayFixture {
protected:
  // Polls are far apart: a release within a second comes from the callback.
  std::string extra_config() const override {
    return "poll_interval_seconds: 60\n";
  }
  std::string extra_tenants() const override {
    return "  - id: small\n    secrets: [small-key]\n    connections: 20\n";
  }
};

} // namespace

TEST_F(Failover, DeadNodeIsOfflineWithinThreePollsAndMeetingsMove) {
  ASSERT_EQ(
    el(create("acme", "moving", "&maxParticipants=5").body, "returncode"),
    "SUCCESS");
  auto* dead = host_of("moving");
  ASSERT_NE(dead, nullptr);
  auto* alive = other(dead);
  dead->control("fail?mode=down");
  std::this_thread::sleep_for(3500ms); // three poll intervals and a bit
  // New creates land on the healthy node only.
  for (int i = 0; i < 3; ++i) {
    auto id = "fresh-" + std::to_string(i);
    ASSERT_EQ(el(create("acme", id, "&maxParticipants=1").body, "returncode"),
              "SUCCESS");
    EXPECT_EQ(host_of(id), alive) << id;
  }
  // A join to the meeting that lived there re-creates it on the healthy
  // node and sends the user there.
  auto j = api("acme", "join", "meetingID=moving&fullName=Jo&password=mp");
  ASSERT_EQ(j.status, 302u) << j.body;
  EXPECT_EQ(j.header("location").rfind(alive->url() + "api/join?", 0), 0u)
    << j.header("location");
  EXPECT_TRUE(hosts(alive, "moving"));
  auto follow = get(
    alive->port,
    j.header("location").substr(j.header("location").find("/bigbluebutton")));
  EXPECT_EQ(follow.status, 302u);
  auto info = api("acme", "getMeetingInfo", "meetingID=moving");
  EXPECT_EQ(el(info.body, "maxUsers"), "5");
  EXPECT_EQ(el(info.body, "attendeePW"), "ap");
}

TEST_F(Failover, KilledNodeAndDuplicateCreateMoveTheMeeting) {
  ASSERT_EQ(el(create("acme", "dup-move").body, "returncode"), "SUCCESS");
  auto* dead = host_of("dup-move");
  ASSERT_NE(dead, nullptr);
  auto* alive = other(dead);
  auto before = api("acme", "getMeetingInfo", "meetingID=dup-move");
  dead->proc.kill(9);
  std::this_thread::sleep_for(3500ms);
  auto again = create("acme", "dup-move");
  EXPECT_EQ(el(again.body, "returncode"), "SUCCESS") << again.body;
  EXPECT_TRUE(hosts(alive, "dup-move"));
  EXPECT_NE(el(again.body, "internalMeetingID"),
            el(before.body, "internalMeetingID"));
  // Reads of the meeting now go to its new node.
  EXPECT_EQ(
    el(api("acme", "getMeetingInfo", "meetingID=dup-move").body, "returncode"),
    "SUCCESS");
}

TEST_F(Failover, SlowNodeDoesNotSlowCallsForOtherNodes) {
  create("acme", "on-a", "&maxParticipants=5");
  create("acme", "on-b", "&maxParticipants=5");
  auto* slow = host_of("on-a");
  ASSERT_NE(slow, nullptr);
  ASSERT_NE(host_of("on-b"), slow);
  slow->control("fail?mode=slow&delay_ms=3000");
  std::thread stuck([&] { api("acme", "getMeetingInfo", "meetingID=on-a"); });
  std::this_thread::sleep_for(100ms);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(
      el(api("acme", "getMeetingInfo", "meetingID=on-b").body, "returncode"),
      "SUCCESS");
  auto elapsed = std::chrono::steady_clock::now() - t0;
  stuck.join();
  // Five calls to the healthy node while the slow one holds a call for 3 s.
  EXPECT_LT(elapsed, 1500ms);
}

TEST_F(EndCallback, EndedMeetingIsFreeWithinASecondAndClientIsCalled) {
  callback_receiver client;
  auto cb = "http%3A%2F%2F127.0.0.1%3A" + std::to_string(client.port())
            + "%2Fended%3Froom%3D7";
  ASSERT_EQ(
    el(create("small", "big", "&maxParticipants=20&meta_endCallbackUrl=" + cb)
         .body,
       "returncode"),
    "SUCCESS");
  // Clients still see their own callback URL.
  EXPECT_EQ(
    el(api("small", "getMeetingInfo", "meetingID=big").body, "endcallbackurl"),
    "http://127.0.0.1:" + std::to_string(client.port()) + "/ended?room=7");
  EXPECT_EQ(
    el(create("small", "next", "&maxParticipants=20").body, "messageKey"),
    "notEnoughConnections");
  // Everyone leaves: the node calls the gateway's end callback.
  for (auto* node : {node1_.get(), node2_.get()})
    for (const auto& m : json::parse(node->control("meetings")))
      node->control("end?meetingID=" + m["meetingID"].get<std::string>());
  auto t0 = std::chrono::steady_clock::now();
  bool free = false;
  while (!free && std::chrono::steady_clock::now() - t0 < 1s) {
    free = el(create("small", "next", "&maxParticipants=20").body, "returncode")
           == "SUCCESS";
    if (!free)
      std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(free);
  auto calls = client.wait(2s);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0], "/ended?room=7&meetingID=big&recordingmarks=false");
}

TEST_F(EndCallback, ForgedCallbacksAreRefused) {
  create("small", "kept", "&maxParticipants=20");
  auto r = get(port(), "/_gw/callback/end?t=small&m=kept&n=0000");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(
    el(create("small", "more", "&maxParticipants=1").body, "messageKey"),
    "notEnoughConnections");
}

TEST_F(Failover, ReadsAskedTogetherShareNodeCallsButNeverAnOlderAnswer) {
  create("acme", "polled", "&maxParticipants=5");
  auto* node = host_of("polled");
  ASSERT_NE(node, nullptr);
  node->control("log/clear");
  node->control("fail?mode=slow&delay_ms=1000");
  // One read reaches the node; nine more arrive while it is in flight.
  std::vector<std::string> answers(10);
  std::vector<std::thread> readers;
  readers.emplace_back([&] {
    answers[0] = api("acme", "getMeetingInfo", "meetingID=polled").body;
  });
  std::this_thread::sleep_for(200ms);
  for (std::size_t i = 1; i < answers.size(); ++i)
    readers.emplace_back([&, i] {
      answers[i] = api("acme", "getMeetingInfo", "meetingID=polled").body;
    });
  for (auto& t : readers)
    t.join();
  node->control("fail?mode=none");
  for (const auto& a : answers) {
    EXPECT_EQ(el(a, "returncode"), "SUCCESS") << a;
    EXPECT_EQ(el(a, "meetingID"), "polled");
  }
  // The nine late readers did not get the first call's answer (it may
  // predate them): they shared the next call (two, should one of them be
  // scheduled late enough to miss it).
  int node_calls = 0;
  for (const auto& call : json::parse(node->control("log")))
    if (call["call"] == "getMeetingInfo")
      ++node_calls;
  EXPECT_GE(node_calls, 2);
  EXPECT_LE(node_calls, 3);
}

TEST_F(Failover, GetMeetingsFollowsCreatesEndsAndPolls) {
  // getMeetings is rendered once per snapshot and reused: every change of
  // a snapshot (a create, an end, a poll) must show at once.
  auto listed = [&](const std::string& id) {
    return api("acme", "getMeetings", "")
             .body.find("<meetingID>" + id + "</meetingID>")
           != std::string::npos;
  };
  create("acme", "list-a", "&maxParticipants=5");
  EXPECT_TRUE(listed("list-a"));
  EXPECT_FALSE(listed("list-b"));
  create("acme", "list-b", "&maxParticipants=5");
  EXPECT_TRUE(listed("list-a"));
  EXPECT_TRUE(listed("list-b"));
  // Live data arrives with the next poll (every second here).
  auto* node = host_of("list-a");
  ASSERT_NE(node, nullptr);
  for (const auto& m : json::parse(node->control("meetings"))) {
    auto nid = m["meetingID"].get<std::string>();
    if (nid.size() > 7 && nid.substr(nid.size() - 7) == "-list-a")
      node->control("attendee?meetingID=" + nid
                    + "&fullName=Ann&role=moderator");
  }
  auto t0 = std::chrono::steady_clock::now();
  bool counted = false;
  while (!counted && std::chrono::steady_clock::now() - t0 < 4s) {
    counted = api("acme", "getMeetings", "")
                .body.find("<participantCount>1</participantCount>")
              != std::string::npos;
    if (!counted)
      std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(counted);
  // An end shows as soon as the tenant has published it.
  auto ended = api("acme", "end", "meetingID=list-b&password=mp");
  EXPECT_EQ(el(ended.body, "returncode"), "SUCCESS") << ended.body;
  t0 = std::chrono::steady_clock::now();
  while (listed("list-b") && std::chrono::steady_clock::now() - t0 < 1s)
    std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(listed("list-b"));
  EXPECT_TRUE(listed("list-a"));
}
