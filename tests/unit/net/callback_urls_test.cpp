// The gateway's callback URLs: what a create sends the node instead of the
// client's, and how the client's URLs are shown again.
#include <gtest/gtest.h>

#include "net/callback_urls.hpp"
#include "net/node_api.hpp"
#include "net/query.hpp"

namespace gw::net {
namespace {

TEST(CallbackUrls, RecordingReadyKeysInAnyCase) {
  EXPECT_TRUE(is_recording_ready_param("meta_bbb-recording-ready-url"));
  EXPECT_TRUE(is_recording_ready_param("meta_bn-recording-ready-url"));
  EXPECT_TRUE(is_recording_ready_param("META_Canvas-Recording-Ready-URL"));
  EXPECT_FALSE(is_recording_ready_param("meta_endCallbackUrl"));
  EXPECT_FALSE(is_recording_ready_param("bbb-recording-ready-url"));
  EXPECT_FALSE(is_recording_ready_param("meta_-recording-ready-url"));
  EXPECT_FALSE(is_recording_ready_param("meta_recording-ready-url-x"));
}

TEST(CallbackUrls, TheClientsUrlsRideInTheGatewaysAndComeBack) {
  metadata_list client{{"bn-recording-ready-url", "https://lms/bn?a=1&b=2"},
                       {"bbb-recording-ready-url", "https://gl/ready"}};
  auto url =
    recording_ready_url("https://gw.example", "acme", "room 1", client);
  EXPECT_EQ(url.rfind("https://gw.example/_gw/callback/recording?t=acme"
                      "&m=room%201&",
                      0),
            0u);
  auto cb = read_gateway_callback(url, "https://gw.example/_gw/");
  ASSERT_TRUE(cb);
  EXPECT_EQ(cb->kind, "recording");
  EXPECT_EQ(cb->tenant, "acme");
  EXPECT_EQ(cb->meeting_id, "room 1");
  EXPECT_EQ(cb->client_urls, client);
  EXPECT_FALSE(read_gateway_callback(url, "https://other/_gw/"));
  EXPECT_FALSE(read_gateway_callback("https://gw.example/_gw/admin",
                                     "https://gw.example/_gw/"));
  // In metadata: the client's keys instead of the gateway's URL; other
  // gateway URLs (the end callback without a client URL) left out.
  metadata_list node{
    {"course", "math"},
    {"bbb-recording-ready-url", url},
    {"endcallbackurl",
     end_callback_url("https://gw.example", "acme", "room 1", "nonce")}};
  EXPECT_EQ(client_metadata(node, "https://gw.example/_gw/"),
            (metadata_list{{"course", "math"},
                           {"bn-recording-ready-url", "https://lms/bn?a=1&b=2"},
                           {"bbb-recording-ready-url", "https://gl/ready"}}));
  node[2].second = end_callback_url("https://gw.example", "acme", "room 1",
                                    "nonce", "https://gl/end");
  EXPECT_EQ(
    client_metadata(node, "https://gw.example/_gw/").back(),
    (std::pair<std::string, std::string>{"endcallbackurl", "https://gl/end"}));
}

TEST(CallbackUrls, GetMeetingInfoMetadataIsRestored) {
  auto url =
    recording_ready_url("http://gw", "acme", "r",
                        {{"bn-recording-ready-url", "http://l/x?a=1&b=2"}});
  std::string node = "<response><metadata><course>m&amp;m</course>"
                     "<bbb-recording-ready-url>"
                     + url.replace(url.find('&'), 1, "&amp;")
                     + "</bbb-recording-ready-url><empty/></metadata>"
                       "<x>1</x></response>";
  EXPECT_EQ(restore_client_metadata(node, "http://gw/_gw/"),
            "<response><metadata><course>m&amp;m</course><empty></empty>"
            "<bn-recording-ready-url>http://l/x?a=1&amp;b=2"
            "</bn-recording-ready-url></metadata><x>1</x></response>");
  // Anything it cannot read stays as it was.
  EXPECT_EQ(restore_client_metadata("<metadata><a>", "http://gw/_gw/"),
            "<metadata><a>");
}

TEST(CallbackUrls, CreatesCarryOnlyTheGatewaysRecordingReadyUrl) {
  auto q =
    *query::parse("meetingID=r&meta_bn-recording-ready-url=http%3A%2F%2Fl"
                  "&META_BBB-RECORDING-READY-URL=http%3A%2F%2Fg"
                  "&meta_course=m");
  create_forward f;
  f.q = &q;
  f.node_meeting_id = "tX-r";
  f.recording_ready_url = "http://gw/_gw/callback/recording?t=a&m=r";
  node_info node;
  node.secret = "s";
  auto got = *query::parse(node_create_query(f, node));
  EXPECT_EQ(got.get("meta_bn-recording-ready-url"), nullptr);
  EXPECT_EQ(got.get("META_BBB-RECORDING-READY-URL"), nullptr);
  EXPECT_EQ(*got.get("meta_bbb-recording-ready-url"), f.recording_ready_url);
  EXPECT_EQ(*got.get("meta_course"), "m");
}

} // namespace
} // namespace gw::net
