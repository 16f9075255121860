#include <regex>

#include <gtest/gtest.h>

#include "core/hook.hpp"

using namespace gw;

TEST(Hook, EventFilterAndMeetingAsBbbWebhooks) {
  hook global;
  EXPECT_TRUE(hook_wants(global, "any", "user-joined"));
  hook bound;
  bound.meeting_id = "room";
  EXPECT_TRUE(hook_wants(bound, "room", "meeting-ended"));
  EXPECT_FALSE(hook_wants(bound, "other", "meeting-ended"));
  hook filtered;
  filtered.event_ids = parse_event_ids("User-Joined,,user-left");
  ASSERT_EQ(filtered.event_ids.size(), 2u);
  EXPECT_EQ(filtered.event_ids[0], "user-joined");
  EXPECT_TRUE(hook_wants(filtered, "x", "user-joined"));
  EXPECT_TRUE(hook_wants(filtered, "x", "USER-LEFT"));
  EXPECT_FALSE(hook_wants(filtered, "x", "meeting-ended"));
  EXPECT_EQ(join_event_ids(filtered.event_ids), "user-joined,user-left");
}

TEST(Hook, IdsAreRandomUuidsV4) {
  std::regex v4{"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                "[0-9a-f]{12}"};
  auto a = new_uuid();
  auto b = new_uuid();
  EXPECT_TRUE(std::regex_match(a, v4)) << a;
  EXPECT_TRUE(std::regex_match(b, v4)) << b;
  EXPECT_NE(a, b);
}
