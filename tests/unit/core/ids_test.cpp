#include <gtest/gtest.h>

#include "core/ids.hpp"

using namespace gw;

TEST(Ids, TenantPrefixIsStableOpaqueAndDistinct) {
  auto p = tenant_prefix("acme");
  EXPECT_EQ(p, tenant_prefix("acme"));
  EXPECT_EQ(p.size(), 10u);
  EXPECT_EQ(p.front(), 't');
  EXPECT_EQ(p.back(), '-');
  EXPECT_EQ(p.find("acme"), std::string::npos);
  EXPECT_NE(p, tenant_prefix("acme2"));
}

TEST(Ids, NodeMeetingIdsStayWithinBbbsLimit) {
  auto p = tenant_prefix("acme");
  EXPECT_EQ(node_meeting_id(p, "room"), p + "room");
  std::string at_limit(256 - p.size(), 'x');
  EXPECT_EQ(node_meeting_id(p, at_limit), p + at_limit);
  std::string longer(256, 'x');
  auto hashed = node_meeting_id(p, longer);
  EXPECT_LE(utf8_length(hashed), 256u);
  EXPECT_EQ(hashed, node_meeting_id(p, longer));
  EXPECT_NE(hashed, node_meeting_id(p, longer + "y"));
}

TEST(Ids, CountsCodePoints) {
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("\xc3\xa9t\xc3\xa9"), 3u);
  EXPECT_EQ(meeting_key("acme", "r1"), "acme/r1");
}

TEST(Ids, ThePrefixOfANodeMeetingIdNamesItsTenant) {
  auto p = tenant_prefix("acme");
  EXPECT_EQ(prefix_of(node_meeting_id(p, "room")), p);
  EXPECT_EQ(prefix_of(node_meeting_id(p, std::string(300, 'x'))), p);
  EXPECT_EQ(prefix_of("room"), "");
  EXPECT_EQ(prefix_of(p), "");             // nothing after the prefix
  EXPECT_EQ(prefix_of("tABCDEF01-x"), ""); // not lowercase hex
  EXPECT_EQ(prefix_of("t0123456x-x"), "");
}
