// The simulator's bbb-webhooks: the hooks/* API as bbb-webhooks 3.x
// answers it, events delivered to the hooks that want them, signed as
// bbb-webhooks signs them, and BBB's analytics report at a meeting's end.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/digest.hpp"
#include "net/checksum.hpp"
#include "net/jwt.hpp"
#include "net/query.hpp"
#include "net/webhooks.hpp"
#include "net/xml.hpp"
#include "sim/sim_state.hpp"

using namespace gw;
using nlohmann::json;

namespace {

class SimWebhooks : public ::testing::Test {
protected:
  sim::sim_state sim_{"sekret", "http://127.0.0.1:9"};

  void SetUp() override {
    sim_.set_clock(1700000000000);
    sim_.set_recording_delay(0);
  }

  sim::reply call(const std::string& name, const std::string& qs) {
    return sim_.handle(
      name, net::sign_query(name, qs, "sekret", net::checksum_algo::sha1),
      "GET", "");
  }

  static std::string el(const sim::reply& r, const std::string& name) {
    return std::string{net::find_element(r.body, name)};
  }

  /// The events delivered to `url` so far (checksums verified).
  std::vector<json> events_to(const std::vector<sim::callback>& cbs,
                              const std::string& url) {
    std::vector<json> out;
    for (const auto& cb : cbs) {
      if (cb.url.rfind(url + "?checksum=", 0) != 0)
        continue;
      auto sum = cb.url.substr(url.size() + 10);
      EXPECT_TRUE(net::webhook_delivery_valid(url, sum, "", cb.body, "sekret"));
      auto evs = net::read_webhook_events(cb.body);
      EXPECT_TRUE(evs);
      for (auto& e : *evs)
        out.push_back(e);
    }
    return out;
  }
};

} // namespace

TEST_F(SimWebhooks, HooksApiAsBbbWebhooks) {
  auto a =
    call("hooks/create", "callbackURL=" + net::percent_encode("http://a/"));
  EXPECT_EQ(el(a, "returncode"), "SUCCESS");
  auto id = el(a, "hookID");
  EXPECT_EQ(id.size(), 36u);
  auto dup =
    call("hooks/create",
         "callbackURL=" + net::percent_encode("http://a/") + "&meetingID=x");
  EXPECT_EQ(el(dup, "hookID"), id);
  EXPECT_EQ(el(dup, "messageKey"), "duplicateWarning");
  EXPECT_EQ(el(call("hooks/create", ""), "messageKey"),
            "missingParamCallbackURL");
  auto bad = sim_.handle("hooks/list", "checksum=00", "GET", "");
  EXPECT_EQ(el(bad, "messageKey"), "checksumError");
  EXPECT_NE(
    call("hooks/list", "").body.find("<callbackURL><![CDATA[http://a/]]>"),
    std::string::npos);
  EXPECT_EQ(el(call("hooks/destroy", "hookID=nope"), "messageKey"),
            "destroyMissingHook");
  EXPECT_EQ(el(call("hooks/destroy", "hookID=" + id), "removed"), "true");
  EXPECT_EQ(sim_.handle("hooks/ping", "", "GET", "").body,
            "bbb-webhooks API up!");
  sim_.set_webhooks(false);
  EXPECT_EQ(call("hooks/list", "").status, 404u);
}

TEST_F(SimWebhooks, DeliversAMeetingsEventsToTheHooksThatWantThem) {
  call("hooks/create", "callbackURL=" + net::percent_encode("http://all/"));
  call("hooks/create", "callbackURL=" + net::percent_encode("http://one/")
                         + "&meetingID=m1&eventID=user-joined,meeting-ended");
  call("create", "meetingID=m1&name=Room&record=true");
  call("create", "meetingID=m2&name=Room");
  sim::attendee u;
  u.user_id = "u1";
  u.full_name = "Ann";
  ASSERT_TRUE(sim_.add_attendee("m1", u));
  ASSERT_TRUE(sim_.remove_attendee("m1", "u1"));
  ASSERT_TRUE(sim_.end_meeting("m1"));
  sim_.tick(); // the recording is published
  auto cbs = sim_.take_callbacks();
  auto all = events_to(cbs, "http://all/");
  std::vector<std::string> ids;
  for (const auto& e : all)
    ids.push_back(e["data"]["id"]);
  EXPECT_EQ(ids,
            (std::vector<std::string>{
              "meeting-created", "meeting-created", "user-joined", "user-left",
              "meeting-ended", "rap-archive-started", "rap-archive-ended",
              "rap-publish-ended", "rap-post-publish-ended"}));
  EXPECT_EQ(all[2]["data"]["attributes"]["meeting"]["external-meeting-id"],
            "m1");
  EXPECT_EQ(all[2]["data"]["attributes"]["user"]["name"], "Ann");
  auto one = events_to(cbs, "http://one/");
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(one[0]["data"]["id"], "user-joined");
  EXPECT_EQ(one[1]["data"]["id"], "meeting-ended");
}

TEST_F(SimWebhooks, SendsTheAnalyticsReportSignedHs512) {
  call("create", "meetingID=m1&name=Room&meta_analytics-callback-url="
                   + net::percent_encode("http://lms/analytics"));
  sim::attendee u;
  u.user_id = "u1";
  u.full_name = "Ann";
  sim_.add_attendee("m1", u);
  sim_.end_meeting("m1");
  auto cbs = sim_.take_callbacks();
  const sim::callback* report = nullptr;
  for (const auto& cb : cbs)
    if (cb.url == "http://lms/analytics")
      report = &cb;
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(report->method, "POST");
  EXPECT_EQ(report->content_type, "application/json");
  ASSERT_EQ(report->headers.rfind("Authorization: Bearer ", 0), 0u);
  auto token = report->headers.substr(22);
  auto v = net::jwt_verify(token, "sekret", int64_t{1700000000});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->alg, net::jwt_alg::hs512);
  auto body = json::parse(report->body);
  EXPECT_EQ(body["meeting_id"], "m1");
  EXPECT_EQ(body["data"]["attendees"][0]["ext_user_id"], "u1");
}
