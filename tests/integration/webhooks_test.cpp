// Callbacks and events end to end (issue 15): the gateway registers its
// own hook on every node running bbb-webhooks, maps each node event to its
// tenant and meeting, rewrites the IDs and delivers it to that tenant's
// hooks only, signed with the tenant's secret, through the durable outbox;
// the learning-analytics report is relayed re-signed.
#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/ids.hpp"
#include "net/checksum.hpp"
#include "net/jwt.hpp"
#include "net/query.hpp"
#include "net/webhooks.hpp"
#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

class Webhooks : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "admin:\n  token: admin-token\npoll_interval_seconds: 1\n";
  }

  /// Waits until both nodes list the gateway's hook.
  void wait_registered() {
    for (int i = 0; i < 100; ++i) {
      if (node1_->control("webhooks").find("/_gw/events/n1")
            != std::string::npos
          && node2_->control("webhooks").find("/_gw/events/n2")
               != std::string::npos)
        return;
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << "the gateway's hook was not registered on the nodes";
  }

  std::string receiver_url(const callback_receiver& r,
                           const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(r.port()) + path;
  }

  response hook(const std::string& tenant, const std::string& url,
                const std::string& extra = "") {
    return api(tenant, "hooks/create",
               "callbackURL=" + gw::net::percent_encode(url) + extra);
  }

  /// Adds a user to meeting `id` of `tenant` on whichever node runs it.
  void join_user(const std::string& tenant, const std::string& id,
                 const std::string& user) {
    auto q = "attendee?meetingID="
             + gw::net::percent_encode(gw::tenant_prefix(tenant) + id)
             + "&fullName=" + user + "&userID=" + user;
    if (node1_->control(q).find("\"ok\"") == std::string::npos)
      node2_->control(q);
  }

  /// The events of a delivery, after checking its checksum with `secret`
  /// (the URL the client registered is `url`).
  static std::vector<json> events_of(const callback_receiver::request& r,
                                     const std::string& url,
                                     const std::string& secret) {
    auto q = r.target.find("checksum=");
    EXPECT_NE(q, std::string::npos) << r.target;
    if (q == std::string::npos)
      return {};
    auto sum = r.target.substr(q + 9);
    EXPECT_TRUE(gw::net::webhook_delivery_valid(url, sum, "", r.body, secret))
      << "not signed with " << secret;
    auto evs = gw::net::read_webhook_events(r.body);
    EXPECT_TRUE(evs) << r.body;
    return evs ? *evs : std::vector<json>{};
  }

  response admin(const std::string& method, const std::string& path) {
    return http(port(), method, path, "", "", "",
                {"Authorization: Bearer admin-token"});
  }
};

std::string id_of(const json& e) {
  return e["data"]["id"].get<std::string>();
}

} // namespace

// Two tenants, each with a global and a meeting-bound hook, both using the
// meetingID "room": each receives exactly its own events, with its own
// IDs, verifiable with its own secret.
TEST_F(Webhooks, EachTenantReceivesExactlyItsOwnEvents) {
  wait_registered();
  callback_receiver acme_all, acme_room, beta_all, beta_room;
  auto aa = receiver_url(acme_all, "/all");
  auto ar = receiver_url(acme_room, "/room?x=1");
  auto ba = receiver_url(beta_all, "/all");
  auto br = receiver_url(beta_room, "/room");
  ASSERT_EQ(el(hook("acme", aa).body, "returncode"), "SUCCESS");
  ASSERT_EQ(el(hook("acme", ar, "&meetingID=room").body, "returncode"),
            "SUCCESS");
  ASSERT_EQ(el(hook("beta", ba).body, "returncode"), "SUCCESS");
  ASSERT_EQ(el(hook("beta", br, "&meetingID=room").body, "returncode"),
            "SUCCESS");
  // The same URL again: duplicate within a tenant only.
  EXPECT_EQ(el(hook("acme", aa).body, "messageKey"), "duplicateWarning");
  auto same_url = hook("beta", aa).body;
  EXPECT_EQ(el(same_url, "messageKey"), "");
  EXPECT_EQ(
    el(api("beta", "hooks/destroy", "hookID=" + el(same_url, "hookID")).body,
       "removed"),
    "true");
  ASSERT_EQ(el(create("acme", "room").body, "returncode"), "SUCCESS");
  ASSERT_EQ(el(create("beta", "room").body, "returncode"), "SUCCESS");
  ASSERT_EQ(el(create("acme", "other").body, "returncode"), "SUCCESS");
  join_user("acme", "room", "ann");
  join_user("beta", "room", "bob");
  api("acme", "end", "meetingID=room&password=mp");
  api("beta", "end", "meetingID=room&password=mp");
  // acme/all: created x2 (room, other), joined, ended; acme/room: 3.
  auto got_aa = acme_all.wait_requests(4, 15s);
  auto got_ar = acme_room.wait_requests(3, 15s);
  auto got_ba = beta_all.wait_requests(3, 15s);
  auto got_br = beta_room.wait_requests(3, 15s);
  std::this_thread::sleep_for(500ms);
  got_aa = acme_all.wait_requests(100, 0ms);
  got_ar = acme_room.wait_requests(100, 0ms);
  got_ba = beta_all.wait_requests(100, 0ms);
  got_br = beta_room.wait_requests(100, 0ms);
  EXPECT_EQ(got_aa.size(), 4u);
  EXPECT_EQ(got_ar.size(), 3u);
  EXPECT_EQ(got_ba.size(), 3u);
  EXPECT_EQ(got_br.size(), 3u);
  auto check = [&](const std::vector<callback_receiver::request>& got,
                   const std::string& url, const std::string& secret,
                   const std::string& other_secret, const std::string& user) {
    std::vector<std::string> ids;
    for (const auto& r : got) {
      EXPECT_EQ(r.method, "POST");
      EXPECT_EQ(r.body.find(gw::tenant_prefix("acme")), std::string::npos);
      EXPECT_EQ(r.body.find(gw::tenant_prefix("beta")), std::string::npos);
      EXPECT_EQ(r.body.find("_gw"), std::string::npos) << r.body;
      auto sum = r.target.substr(r.target.find("checksum=") + 9);
      EXPECT_FALSE(
        gw::net::webhook_delivery_valid(url, sum, "", r.body, other_secret));
      EXPECT_FALSE(
        gw::net::webhook_delivery_valid(url, sum, "", r.body, "node-secret-1"));
      for (const auto& e : events_of(r, url, secret)) {
        ids.push_back(id_of(e));
        auto ext = e["data"]["attributes"]["meeting"]["external-meeting-id"];
        EXPECT_TRUE(ext == "room" || ext == "other") << e.dump();
        if (id_of(e) == "user-joined") {
          EXPECT_EQ(e["data"]["attributes"]["user"]["name"], user);
        }
      }
    }
    return ids;
  };
  auto ids_ar = check(got_ar, ar, "acme-secret", "beta-secret", "ann");
  std::sort(ids_ar.begin(), ids_ar.end());
  EXPECT_EQ(ids_ar, (std::vector<std::string>{"meeting-created",
                                              "meeting-ended", "user-joined"}));
  check(got_aa, aa, "acme-secret", "beta-secret", "ann");
  check(got_ba, ba, "beta-secret", "acme-secret", "bob");
  check(got_br, br, "beta-secret", "acme-secret", "bob");
  // Lists and destroys: only the tenant's own.
  auto list = api("acme", "hooks/list", "").body;
  EXPECT_NE(list.find(aa), std::string::npos);
  EXPECT_EQ(list.find(br), std::string::npos);
  auto beta_list = api("beta", "hooks/list", "meetingID=room").body;
  auto beta_id = el(beta_list, "hookID");
  ASSERT_FALSE(beta_id.empty());
  EXPECT_EQ(
    el(api("acme", "hooks/destroy", "hookID=" + beta_id).body, "messageKey"),
    "destroyMissingHook");
  EXPECT_EQ(
    el(api("beta", "hooks/destroy", "hookID=" + beta_id).body, "removed"),
    "true");
}

TEST_F(Webhooks, AReceiverFailingThreeTimesGetsTheEventOnceItRecovers) {
  wait_registered();
  callback_receiver client;
  client.fail_next(3);
  auto url = receiver_url(client, "/h");
  hook("acme", url, "&eventID=meeting-created");
  create("acme", "flaky");
  // 500, then after ~2 s, ~4 s, ~8 s: the fourth is taken.
  auto got = client.wait_requests(4, 30s);
  ASSERT_EQ(got.size(), 4u);
  for (const auto& r : got)
    EXPECT_EQ(r.body, got[0].body); // the same delivery, same timestamp
  auto evs = events_of(got[3], url, "acme-secret");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(id_of(evs[0]), "meeting-created");
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(client.wait_requests(5, 0ms).size(), 4u);
}

TEST_F(Webhooks, APendingEventSurvivesKillNine) {
  wait_registered();
  callback_receiver client;
  client.fail_next(1);
  auto url = receiver_url(client, "/h");
  hook("acme", url, "&eventID=meeting-created");
  create("acme", "durable");
  ASSERT_EQ(client.wait_requests(1, 10s).size(), 1u);
  // The gateway dies before the retry (2 s later).
  crash_and_restart();
  auto got = client.wait_requests(2, 10s);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].body, got[0].body);
  // The hook survived too.
  EXPECT_NE(api("acme", "hooks/list", "").body.find(url), std::string::npos);
}

TEST_F(Webhooks, TheAnalyticsReportIsRelayedReSignedWithTheClientsIds) {
  callback_receiver lms;
  auto url = receiver_url(lms, "/analytics?course=7");
  ASSERT_EQ(
    el(create("acme", "lecture",
              "&meta_analytics-callback-url=" + gw::net::percent_encode(url))
         .body,
       "returncode"),
    "SUCCESS");
  // The client sees its own URL in the meeting's metadata.
  auto info = api("acme", "getMeetingInfo", "meetingID=lecture").body;
  EXPECT_EQ(el(info, "analytics-callback-url"), url);
  join_user("acme", "lecture", "ann");
  api("acme", "end", "meetingID=lecture&password=mp");
  auto got = lms.wait_requests(1, 10s);
  ASSERT_EQ(got.size(), 1u);
  const auto& r = got[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/analytics?course=7");
  EXPECT_EQ(r.body.find(gw::tenant_prefix("acme")), std::string::npos)
    << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body["meeting_id"], "lecture");
  EXPECT_EQ(body["data"]["attendees"][0]["ext_user_id"], "ann");
  auto at = r.head.find("Authorization: Bearer ");
  ASSERT_NE(at, std::string::npos) << r.head;
  auto token = r.head.substr(at + 22, r.head.find("\r\n", at) - at - 22);
  auto t = gw::net::jwt_verify(token, "acme-secret", int64_t{1700000000});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->alg, gw::net::jwt_alg::hs512);
  EXPECT_TRUE(json::parse(t->payload).contains("exp"));
  EXPECT_FALSE(gw::net::jwt_verify(token, "node-secret-1", std::nullopt));
  EXPECT_FALSE(gw::net::jwt_verify(token, "node-secret-2", std::nullopt));
}

TEST_F(Webhooks, TheHooksApiChecksLikeBbbWebhooksAndRefusesUnsafeUrls) {
  auto bad = get(port(), "/acme/bigbluebutton/api/hooks/list?checksum=0000");
  EXPECT_EQ(el(bad.body, "messageKey"), "checksumError");
  EXPECT_EQ(el(bad.body, "message"),
            "You did not pass the checksum security check.");
  EXPECT_EQ(el(api("acme", "hooks/create", "").body, "messageKey"),
            "missingParamCallbackURL");
  EXPECT_EQ(el(api("acme", "hooks/destroy", "").body, "messageKey"),
            "missingParamHookID");
  auto self = "http://127.0.0.1:" + std::to_string(port()) + "/admin/nodes";
  EXPECT_EQ(el(hook("acme", self).body, "messageKey"), "createHookError");
  EXPECT_EQ(el(hook("acme", node1_->url() + "api/end").body, "messageKey"),
            "createHookError");
  EXPECT_EQ(
    el(hook("acme", "http://127.0.0.1:9/h", "&getRaw=true").body, "messageKey"),
    "createHookError");
  EXPECT_EQ(get(port(), "/acme/bigbluebutton/api/hooks/ping").body,
            "bbb-webhooks API up!");
  EXPECT_EQ(http(port(), "POST", "/acme/bigbluebutton/api/hooks/list", "",
                 "application/x-www-form-urlencoded")
              .status,
            405u);
  // A forged node delivery (not signed with a node's secret) is refused.
  auto forged = gw::net::webhook_body("x", "[]", 1);
  EXPECT_EQ(http(port(), "POST", "/_gw/events/n1?checksum=abc", forged,
                 "application/x-www-form-urlencoded")
              .status,
            401u);
  EXPECT_EQ(http(port(), "POST", "/_gw/events/nope", forged,
                 "application/x-www-form-urlencoded")
              .status,
            404u);
}

// A node without bbb-webhooks is reported, never fatal; a node that forgot
// the gateway's hook gets it again.
TEST_F(Webhooks, NodesWithoutWebhooksAreReportedAndForgottenHooksReturn) {
  wait_registered();
  EXPECT_EQ(json::parse(admin("GET", "/admin/nodes/n1").body)["webhooks"],
            "registered");
  node2_->control("webhooks?enabled=false");
  // The node forgets every hook (bbb-webhooks reinstalled).
  auto listed = node1_->control("webhooks");
  auto id = json::parse(listed)["hooks"][0]["hookID"].get<std::string>();
  get(node1_->port,
      "/bigbluebutton/api/hooks/destroy?"
        + sign("hooks/destroy", "hookID=" + id, "node-secret-1", "sha1"));
  ASSERT_EQ(node1_->control("webhooks").find("/_gw/events/n1"),
            std::string::npos);
  bool absent = false;
  bool back = false;
  for (int i = 0; i < 100 && !(absent && back); ++i) {
    std::this_thread::sleep_for(100ms);
    absent =
      json::parse(admin("GET", "/admin/nodes/n2").body)["webhooks"] == "absent";
    back =
      node1_->control("webhooks").find("/_gw/events/n1") != std::string::npos;
  }
  EXPECT_TRUE(absent);
  EXPECT_TRUE(back);
  // Meetings still work on the node without webhooks.
  EXPECT_EQ(el(create("acme", "plain").body, "returncode"), "SUCCESS");
}
