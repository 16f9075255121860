// design.md §2 end to end: bookings, lapses and preemption over HTTP, with
// one API minute shortened to 10 ms (testing.minute_seconds).
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using json = nlohmann::json;

namespace {

class Reservations : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "testing:\n  minute_seconds: 0.01\n";
  }

  std::string extra_tenants() const override {
    return "  - id: small\n    secrets: [small-key]\n    connections: 20\n"
           "  - id: off\n    secrets: [off-key]\n    connections: 20\n"
           "    api_enabled: false\n";
  }

  std::string key(const response& r) {
    return el(r.body, "messageKey");
  }

  std::size_t on_nodes(const std::string& suffix) {
    std::size_t n = 0;
    for (const auto* node : {node1_.get(), node2_.get()})
      for (const auto& m : json::parse(node->control("meetings"))) {
        auto id = m["meetingID"].get<std::string>();
        if (id.size() >= suffix.size()
            && id.compare(id.size() - suffix.size(), suffix.size(), suffix)
                 == 0)
          ++n;
      }
    return n;
  }
};

} // namespace

TEST_F(Reservations, WorkedExampleOfTheDesign) {
  auto a = create("small", "AA", "&maxParticipants=15&duration=120");
  ASSERT_EQ(el(a.body, "returncode"), "SUCCESS") << a.body;
  EXPECT_EQ(el(a.body, "duration"), "120");
  EXPECT_EQ(key(create("small", "six", "&maxParticipants=6")),
            "notEnoughConnections");
  auto five = create("small", "five", "&maxParticipants=5&duration=100000");
  EXPECT_EQ(el(five.body, "returncode"), "SUCCESS");
  // Before A's 120 minutes (1.2 s) nothing may be ended.
  EXPECT_EQ(key(create("small", "ten-early", "&maxParticipants=10")),
            "notEnoughConnections");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto ten = create("small", "ten", "&maxParticipants=10");
  EXPECT_EQ(el(ten.body, "returncode"), "SUCCESS") << ten.body;
  EXPECT_EQ(key(api("small", "getMeetingInfo", "meetingID=AA")), "notFound");
  EXPECT_EQ(on_nodes("-AA"), 0u);   // ended on its node
  EXPECT_EQ(on_nodes("-five"), 1u); // the reserved one was not touched
}

TEST_F(Reservations, FortyParallelCreatesOnTwentyConnections) {
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  auto p = port();
  for (int i = 0; i < 40; ++i)
    threads.emplace_back([&, i] {
      auto id = "par-" + std::to_string(i);
      auto r =
        get(p, "/small/bigbluebutton/api/create?"
                 + sign("create",
                        "meetingID=" + id + "&name=Room&maxParticipants=1",
                        "small-key"));
      if (el(r.body, "returncode") == "SUCCESS")
        ++ok;
      else if (el(r.body, "messageKey") == "notEnoughConnections")
        ++refused;
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 20);
  EXPECT_EQ(refused.load(), 20);
  EXPECT_EQ(on_nodes(""), 20u);
}

TEST_F(Reservations, SubscriptionDefaultsAndDisabledApi) {
  EXPECT_EQ(key(create("small", "huge", "&maxParticipants=21")),
            "maxParticipantsExceedsSubscription");
  // No maxParticipants: the platform default (10) is booked and sent.
  create("small", "d1");
  create("small", "d2");
  EXPECT_EQ(key(create("small", "d3", "&maxParticipants=1")),
            "notEnoughConnections");
  EXPECT_EQ(key(create("off", "x1")), "integrationApiDisabled");
}

TEST_F(Reservations, EndReleasesAtOnce) {
  create("small", "big", "&maxParticipants=20");
  EXPECT_EQ(key(create("small", "more", "&maxParticipants=1")),
            "notEnoughConnections");
  api("small", "end", "meetingID=big");
  EXPECT_EQ(
    el(create("small", "more", "&maxParticipants=1").body, "returncode"),
    "SUCCESS");
  // A node that forgot the meeting (ended behind our back) releases it too.
  auto hosted = json::parse(node1_->control("meetings"));
  auto& node = hosted.empty() ? *node2_ : *node1_;
  auto list = json::parse(node.control("meetings"));
  ASSERT_EQ(list.size(), 1u);
  node.control("end?meetingID=" + list[0]["meetingID"].get<std::string>());
  EXPECT_EQ(key(api("small", "getMeetingInfo", "meetingID=more")), "notFound");
  EXPECT_EQ(
    el(create("small", "all", "&maxParticipants=20").body, "returncode"),
    "SUCCESS");
}

TEST_F(Reservations, KillNineKeepsBookingsAndTheirLapse) {
  // 500 API minutes are 5 s here: room for a restart under ASan.
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(el(create("small", "kept", "&maxParticipants=15&duration=500").body,
               "returncode"),
            "SUCCESS");
  crash_and_restart();
  ASSERT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
  EXPECT_EQ(key(create("small", "six", "&maxParticipants=6")),
            "notEnoughConnections");
  std::this_thread::sleep_until(t0 + std::chrono::milliseconds(5500));
  EXPECT_EQ(
    el(create("small", "ten", "&maxParticipants=10").body, "returncode"),
    "SUCCESS");
  EXPECT_EQ(on_nodes("-kept"), 0u);
}
