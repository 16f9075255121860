// Usage accounting (core/usage.hpp): a scripted day of meetings gives
// exact connection-minutes, peaks, counts and participant-minutes, split at
// UTC midnight; dates are real calendar dates.
#include <gtest/gtest.h>

#include "core/usage.hpp"

using namespace gw;

namespace {

constexpr int64_t minute = 60'000;
constexpr int64_t hour = 60 * minute;

usage_meeting meeting(int64_t start, int64_t end, int64_t connections) {
  return usage_meeting{"acme", "m", start, end, connections};
}

} // namespace

TEST(Usage, DatesAreCalendarDates) {
  EXPECT_EQ(parse_day("1970-01-01"), 0);
  EXPECT_EQ(parse_day("2026-11-29"), 20'786);
  EXPECT_EQ(format_day(20'786), "2026-11-29");
  EXPECT_EQ(parse_day("2024-02-29"), parse_day("2024-02-28").value() + 1);
  EXPECT_FALSE(parse_day("2023-02-29"));
  EXPECT_FALSE(parse_day("2026-13-01"));
  EXPECT_FALSE(parse_day("2026-1-01"));
  EXPECT_FALSE(parse_day("26-11-29xx"));
  EXPECT_FALSE(parse_day("1969-12-31"));
}

TEST(Usage, AScriptedScenarioGivesExactFigures) {
  const int64_t d = *parse_day("2026-11-29");
  const int64_t t0 = d * 24 * hour;
  std::vector<usage_meeting> meetings{
    meeting(t0 + 1 * hour, t0 + 2 * hour, 10),    // 600
    meeting(t0 + 90 * minute, t0 + 25 * hour, 5), // 6750 + 300
    meeting(t0 + 2 * hour, t0 + 3 * hour, 4),     // 240, after the first
    meeting(t0 + 24 * hour + 30 * minute, 0, 2),  // running: 180
    meeting(t0 - 2 * hour, t0 - hour, 50),        // the day before
  };
  std::vector<usage_event> events{
    {"acme", std::string{usage_preemption}, t0 + 2 * hour, 1},
    {"acme", "refused:notEnoughConnections", t0 + 25 * hour, 1},
    {"acme", "refused:notEnoughConnections", t0 + 26 * hour, 1},
    {"acme", "refused:maxParticipantsExceedsSubscription", t0 + 26 * hour, 1},
    {"acme", std::string{usage_participant_ms}, t0 + 3 * hour, 3 * 10 * minute},
  };
  auto now = t0 + 26 * hour;
  auto days = compute_usage(meetings, events, d, d + 1, minute, now);
  ASSERT_EQ(days.size(), 2u);
  const auto& a = days[0];
  EXPECT_EQ(a.date, "2026-11-29");
  EXPECT_DOUBLE_EQ(a.reserved_connection_minutes, 600 + 22.5 * 60 * 5 + 240);
  EXPECT_EQ(a.peak_reserved_connections, 15); // 10 + 5; 4 starts as 10 ends
  EXPECT_EQ(a.meetings, 3);
  EXPECT_EQ(a.preemptions, 1);
  EXPECT_TRUE(a.refused.empty());
  EXPECT_DOUBLE_EQ(a.participant_minutes, 30);
  const auto& b = days[1];
  EXPECT_EQ(b.date, "2026-11-30");
  EXPECT_DOUBLE_EQ(b.reserved_connection_minutes, 60 * 5 + 90 * 2);
  EXPECT_EQ(b.peak_reserved_connections, 7);
  EXPECT_EQ(b.meetings, 1);
  EXPECT_EQ(b.refused.at("notEnoughConnections"), 2);
  EXPECT_EQ(b.refused.at("maxParticipantsExceedsSubscription"), 1);
  // API minutes: the same rows with a 6-second minute are ten times more.
  auto fast = compute_usage(meetings, events, d, d, minute / 10.0, now);
  EXPECT_DOUBLE_EQ(fast[0].reserved_connection_minutes,
                   10 * a.reserved_connection_minutes);
  EXPECT_TRUE(compute_usage(meetings, events, d + 1, d, minute, now).empty());
}
