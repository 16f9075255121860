// The bbb-webhooks wire format: the delivery body and its checksum (as
// bbb-webhooks 3.x builds them), the node events' routing and rewriting,
// the hooks/* answers.
#include <gtest/gtest.h>

#include "net/callback_urls.hpp"
#include "net/webhooks.hpp"

using namespace gw;
using nlohmann::json;

TEST(Webhooks, FormEncodesAsUrlSearchParams) {
  EXPECT_EQ(net::form_urlencode("a b*-._~!'()\"[]{}:,/"),
            "a+b*-._%7E%21%27%28%29%22%5B%5D%7B%7D%3A%2C%2F");
  EXPECT_EQ(net::form_urlencode("\xc3\xa9"), "%C3%A9");
}

// The checksum a bbb-webhooks receiver computes: sha1(url + body + secret)
// (vector from Python's hashlib).
TEST(Webhooks, SignsTheDeliveryAsBbbWebhooks) {
  auto body = net::webhook_body("gw.example", "[{\"a\":1}]", 1700000000000);
  EXPECT_EQ(body, "domain=gw.example&event=%5B%7B%22a%22%3A1%7D%5D"
                  "&timestamp=1700000000000");
  EXPECT_EQ(net::webhook_signed_url("http://lms.example/hook", body,
                                    "tenant-secret", digest_algo::sha1),
            "http://lms.example/hook?checksum="
            "eb5e1c9e9b252e6971c873acecaec8de55c9f185");
  auto with_query = net::webhook_signed_url("http://lms.example/hook?x=1", body,
                                            "s", digest_algo::sha1);
  EXPECT_NE(with_query.find("?x=1&checksum="), std::string::npos);
}

TEST(Webhooks, VerifiesANodesDeliveryByChecksumOrBearer) {
  std::string url = "http://gw.example/_gw/events/bbb1";
  auto body = net::webhook_body("node", "[]", 1);
  auto signed_url =
    net::webhook_signed_url(url, body, "node-secret", digest_algo::sha256);
  auto sum = signed_url.substr(signed_url.find("checksum=") + 9);
  EXPECT_TRUE(net::webhook_delivery_valid(url, sum, "", body, "node-secret"));
  EXPECT_FALSE(net::webhook_delivery_valid(url, sum, "", body, "other"));
  EXPECT_FALSE(
    net::webhook_delivery_valid(url, sum, "", body + "x", "node-secret"));
  EXPECT_FALSE(
    net::webhook_delivery_valid(url, "abc", "", body, "node-secret"));
  EXPECT_TRUE(net::webhook_delivery_valid(url, "", "Bearer node-secret", body,
                                          "node-secret"));
  EXPECT_FALSE(
    net::webhook_delivery_valid(url, "", "Bearer nope", body, "node-secret"));
  EXPECT_FALSE(net::webhook_delivery_valid(url, "", "", body, "node-secret"));
}

TEST(Webhooks, ReadsEventsAndTheirRoute) {
  json ev{{"data",
           {{"type", "event"},
            {"id", "rap-publish-ended"},
            {"attributes",
             {{"meeting",
               {{"internal-meeting-id", "abc-1"},
                {"external-meeting-id", "t1234abcd-room"}}},
              {"record-id", "abc-1"}}},
            {"event", {{"ts", 1}}}}}};
  auto body = net::webhook_body("n", "[" + ev.dump() + "]", 5);
  auto events = net::read_webhook_events(body);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  auto r = net::route_of(events->front());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "rap-publish-ended");
  EXPECT_EQ(r->external_meeting_id, "t1234abcd-room");
  EXPECT_EQ(r->internal_meeting_id, "abc-1");
  EXPECT_EQ(r->record_id, "abc-1");
  EXPECT_FALSE(net::read_webhook_events("event=not-json"));
  EXPECT_FALSE(net::read_webhook_events("domain=x"));
  EXPECT_FALSE(net::route_of(json{{"data", {{"type", "event"}}}}));
}

// No node-side ID survives; the client's own callback URLs come back in
// the metadata instead of the gateway's.
TEST(Webhooks, RewritesEveryNodeSideIdAndRestoresClientUrls) {
  std::string own = "http://gw.example/_gw/";
  auto ready = net::recording_ready_url(
    "http://gw.example", "acme", "room",
    {{"bn-recording-ready-url", "https://lms.example/ready"}});
  json ev{{"data",
           {{"id", "meeting-created"},
            {"attributes",
             {{"meeting",
               {{"internal-meeting-id", "abc-1"},
                {"external-meeting-id", "t1234abcd-room"},
                {"name", "t1234abcd-room's name"},
                {"metadata",
                 {{"bbb-recording-ready-url", ready},
                  {"meetingid", "t1234abcd-room"},
                  {"course", "c1"}}}}}}}}}};
  net::rewrite_event(ev, "t1234abcd-room", "room", own);
  auto text = ev.dump();
  EXPECT_EQ(text.find("t1234abcd"), std::string::npos) << text;
  const auto& m = ev["data"]["attributes"]["meeting"];
  EXPECT_EQ(m["external-meeting-id"], "room");
  EXPECT_EQ(m["name"], "room's name");
  EXPECT_EQ(m["metadata"]["bn-recording-ready-url"],
            "https://lms.example/ready");
  EXPECT_FALSE(m["metadata"].contains("bbb-recording-ready-url"));
  EXPECT_EQ(m["metadata"]["course"], "c1");
  EXPECT_EQ(m["internal-meeting-id"], "abc-1");
}

TEST(Webhooks, AnswersAsBbbWebhooks) {
  hook h;
  h.id = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  h.callback_url = "https://lms.example/h?a=1&b=]]>";
  EXPECT_EQ(net::hooks_created(h),
            "<response><returncode>SUCCESS</returncode><hookID>"
            "7c9e6679-7425-40de-944b-e07fc1f90ae7</hookID><permanentHook>"
            "false</permanentHook><rawData>false</rawData></response>");
  EXPECT_NE(net::hooks_duplicate(h.id).find(
              "<messageKey>duplicateWarning</messageKey><message>There is "
              "already a hook for this callback URL.</message>"),
            std::string::npos);
  EXPECT_EQ(net::hooks_checksum_error(),
            "<response><returncode>FAILED</returncode><messageKey>"
            "checksumError</messageKey><message>You did not pass the checksum "
            "security check.</message></response>");
  hook g = h;
  g.id = "b";
  g.meeting_id = "room & co";
  g.event_ids = {"user-joined", "user-left"};
  auto list = net::hooks_list({h, g});
  EXPECT_NE(list.find("<meetingID><![CDATA[room & co]]></meetingID>"),
            std::string::npos);
  EXPECT_NE(list.find("<eventID>user-joined,user-left</eventID>"),
            std::string::npos);
  // What the gateway reads back of a node's list (CDATA decoded).
  auto read = net::read_hooks_list(list);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ(read->at(0).second, h.callback_url);
  EXPECT_EQ(net::hooks_list({}),
            "<response><returncode>SUCCESS</returncode><hooks></hooks>"
            "</response>");
  EXPECT_EQ(net::read_hooks_create(net::hooks_created(h)), h.id);
  EXPECT_EQ(net::read_hooks_create(net::hooks_duplicate("x")), "x");
  EXPECT_FALSE(net::read_hooks_create(net::hooks_checksum_error()));
  EXPECT_FALSE(net::read_hooks_list("<html>404</html>"));
}
