// The recording-ready callback end to end (issue 13): a recorded meeting
// ends on a node, the node's post-publish callback reaches the gateway,
// which verifies it with the node's secret, indexes the recording at once
// and relays it to every client URL, re-signed with the tenant's secret.
#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/ids.hpp"
#include "net/jwt.hpp"
#include "net/query.hpp"
#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using namespace std::chrono_literals;

namespace {

class RecordingReady : public GatewayFixture {
protected:
  // No reconciliation during the test: whatever is indexed came with the
  // callback.
  std::string extra_config() const override {
    return "poll_interval_seconds: 1\nrecordings:\n"
           "  sync_interval_seconds: 3600\n";
  }

  void SetUp() override {
    GatewayFixture::SetUp();
    node1_->control("recordings/delay?ms=300");
    node2_->control("recordings/delay?ms=300");
  }

  static nlohmann::json claims_of(const callback_receiver::request& r,
                                  const std::string& secret) {
    auto form = gw::net::query::parse(r.body);
    if (!form || !form->get("signed_parameters"))
      return {};
    auto t = gw::net::jwt_verify(*form->get("signed_parameters"), secret,
                                 std::nullopt);
    if (!t)
      return {};
    return nlohmann::json::parse(t->payload);
  }
};

} // namespace

TEST_F(RecordingReady, IndexedAtOnceAndRelayedReSigned) {
  callback_receiver client;
  auto base = "http%3A%2F%2F127.0.0.1%3A" + std::to_string(client.port());
  ASSERT_EQ(el(create("acme", "lecture",
                      "&record=true&meta_bn-recording-ready-url=" + base
                        + "%2Fbn%3Fid%3D7&meta_bbb-recording-ready-url=" + base
                        + "%2Fgl&meta_course=math")
                 .body,
               "returncode"),
            "SUCCESS");
  auto internal = el(api("acme", "getMeetingInfo", "meetingID=lecture").body,
                     "internalMeetingID");
  // getMeetingInfo shows the client's URLs, not the gateway's.
  auto info = api("acme", "getMeetingInfo", "meetingID=lecture").body;
  EXPECT_EQ(el(info, "bn-recording-ready-url"),
            "http://127.0.0.1:" + std::to_string(client.port()) + "/bn?id=7");
  EXPECT_EQ(info.find("_gw"), std::string::npos) << info;
  ASSERT_EQ(
    el(api("acme", "end", "meetingID=lecture&password=mp").body, "returncode"),
    "SUCCESS");
  auto got = client.wait_requests(2, 10s);
  ASSERT_EQ(got.size(), 2u);
  for (const auto& r : got) {
    EXPECT_EQ(r.method, "POST");
    auto claims = claims_of(r, "acme-secret");
    ASSERT_FALSE(claims.is_null()) << r.body;
    EXPECT_EQ(claims["meeting_id"], "lecture");
    EXPECT_EQ(claims["record_id"], internal);
    // Not verifiable with the node's secret: it was re-signed.
    EXPECT_TRUE(claims_of(r, "node-secret-1").is_null());
    EXPECT_TRUE(claims_of(r, "node-secret-2").is_null());
  }
  EXPECT_TRUE((got[0].target == "/bn?id=7" && got[1].target == "/gl")
              || (got[0].target == "/gl" && got[1].target == "/bn?id=7"));
  // Indexed before the client heard of it.
  auto list = api("acme", "getRecordings", "meetingID=lecture").body;
  EXPECT_EQ(el(list, "recordID"), internal) << list;
  EXPECT_EQ(el(list, "state"), "published");
  EXPECT_EQ(el(list, "meetingId"), "lecture");
  EXPECT_EQ(el(list, "course"), "math");
  EXPECT_EQ(el(list, "bn-recording-ready-url"),
            "http://127.0.0.1:" + std::to_string(client.port()) + "/bn?id=7");
  EXPECT_EQ(list.find("_gw"), std::string::npos) << list;
  EXPECT_EQ(list.find(gw::tenant_prefix("acme")), std::string::npos) << list;
  // The other tenant sees nothing of it.
  EXPECT_EQ(
    el(api("beta", "getRecordings", "recordID=" + internal).body, "messageKey"),
    "noRecordings");
}

TEST_F(RecordingReady, ForgedCallbacksAreRefused) {
  callback_receiver client;
  auto url = "http://127.0.0.1:" + std::to_string(client.port()) + "/bn";
  create("acme", "forged",
         "&record=true&meta_bn-recording-ready-url="
           + gw::net::percent_encode(url));
  auto target =
    "/_gw/callback/recording?t=acme&m=forged&r.bn-recording-ready-url="
    + gw::net::percent_encode(url);
  auto claims = nlohmann::json{
    {"meeting_id", gw::tenant_prefix("acme") + "forged"},
    {"record_id",
     "abc-1"}}.dump();
  auto post = [&](const std::string& token) {
    return http(port(), "POST", target,
                "signed_parameters=" + gw::net::percent_encode(token),
                "application/x-www-form-urlencoded");
  };
  // Signed with the tenant's secret (what a client knows), or none at all.
  EXPECT_EQ(post(gw::net::jwt_sign(claims, "acme-secret")).status, 401u);
  EXPECT_EQ(post("").status, 400u);
  EXPECT_EQ(http(port(), "GET", target).status, 405u);
  // A node's signature over another meeting's claims.
  auto other = nlohmann::json{
    {"meeting_id", gw::tenant_prefix("beta") + "x"},
    {"record_id",
     "abc-1"}}.dump();
  EXPECT_EQ(post(gw::net::jwt_sign(other, "node-secret-1")).status, 400u);
  EXPECT_EQ(http(port(), "POST", "/_gw/callback/recording?t=nobody&m=x",
                 "signed_parameters=x", "application/x-www-form-urlencoded")
              .status,
            404u);
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(client.wait_requests(1, 0ms).empty());
  // A genuine one (the node's secret) is relayed.
  EXPECT_EQ(post(gw::net::jwt_sign(claims, "node-secret-2")).status, 200u);
  auto got = client.wait_requests(1, 5s);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(claims_of(got[0], "acme-secret")["record_id"], "abc-1");
}

TEST_F(RecordingReady, ARelayIsRetriedUntilTheClientTakesIt) {
  callback_receiver client;
  client.fail_next(2);
  auto url = "http://127.0.0.1:" + std::to_string(client.port()) + "/ready";
  create("acme", "retry",
         "&record=true&meta_bbb-recording-ready-url="
           + gw::net::percent_encode(url));
  api("acme", "end", "meetingID=retry&password=mp");
  // 500, 500 (after ~2 s), then 200 (after ~4 s more).
  auto got = client.wait_requests(3, 15s);
  ASSERT_EQ(got.size(), 3u);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(client.wait_requests(4, 0ms).size(), 3u);
  for (const auto& r : got)
    EXPECT_EQ(claims_of(r, "acme-secret")["meeting_id"], "retry");
}

TEST_F(RecordingReady, APendingRelaySurvivesKillNine) {
  callback_receiver client;
  client.fail_next(1);
  auto url = "http://127.0.0.1:" + std::to_string(client.port()) + "/ready";
  create("acme", "durable",
         "&record=true&meta_bbb-recording-ready-url="
           + gw::net::percent_encode(url));
  api("acme", "end", "meetingID=durable&password=mp");
  // The first delivery fails; the gateway dies before its retry (2 s).
  ASSERT_EQ(client.wait_requests(1, 10s).size(), 1u);
  crash_and_restart();
  // Resumed from the outbox at start.
  auto got = client.wait_requests(2, 10s);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(claims_of(got[1], "acme-secret")["meeting_id"], "durable");
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(client.wait_requests(3, 0ms).size(), 2u);
}
