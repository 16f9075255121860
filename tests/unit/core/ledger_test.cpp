#include <gtest/gtest.h>

#include "core/ledger.hpp"

using gw::ledger;

TEST(Ledger, ReservesWhileConnectionsAreFree) {
  ledger l{20};
  EXPECT_EQ(l.reserve(15).result, ledger::verdict::ok);
  l.book("a", 15);
  EXPECT_EQ(l.reserve(6).result, ledger::verdict::not_enough);
  EXPECT_EQ(l.reserve(5).result, ledger::verdict::ok);
  EXPECT_EQ(l.reserve(21).result, ledger::verdict::exceeds_subscription);
  EXPECT_EQ(l.committed(), 15);
}

TEST(Ledger, PreemptsEarliestLapsedFirstAndOnlyAsManyAsNeeded) {
  ledger l{30};
  l.book("late", 10);
  l.confirm("late", 1, 3000);
  l.book("early", 10);
  l.confirm("early", 2, 1000);
  l.book("mid", 10);
  l.confirm("mid", 3, 2000);
  ASSERT_TRUE(l.lapse("late", 1));
  ASSERT_TRUE(l.lapse("early", 2));
  ASSERT_TRUE(l.lapse("mid", 3));
  auto p = l.reserve(15);
  ASSERT_EQ(p.result, ledger::verdict::ok);
  EXPECT_EQ(p.preempt, (std::vector<std::string>{"early", "mid"}));
  EXPECT_EQ(l.reserve(5).preempt, (std::vector<std::string>{"early"}));
}

TEST(Ledger, AllOrNothingWhenLapsedMeetingsAreNotEnough) {
  ledger l{20};
  l.book("lapsed", 5);
  l.confirm("lapsed", 1, 10);
  l.lapse("lapsed", 1);
  l.book("reserved", 15);
  l.confirm("reserved", 2, 99);
  auto p = l.reserve(6);
  EXPECT_EQ(p.result, ledger::verdict::not_enough);
  EXPECT_TRUE(p.preempt.empty());
}

TEST(Ledger, LapseIgnoresPendingAndReusedIds) {
  ledger l{10};
  l.book("m", 5);
  EXPECT_FALSE(l.lapse("m", 0)); // still pending
  l.confirm("m", 42, 100);
  EXPECT_FALSE(l.lapse("m", 41)); // an older meeting of the same ID
  EXPECT_TRUE(l.lapse("m", 42));
  EXPECT_EQ(l.lapsed_count(), 1u);
}

TEST(Ledger, RestoreMarksDueBookingsLapsed) {
  ledger l{10};
  l.restore("due", 3, 1, 500, 1000);
  l.restore("not-due", 3, 2, 5000, 1000);
  EXPECT_TRUE(l.find("due")->lapsed);
  EXPECT_FALSE(l.find("not-due")->lapsed);
  EXPECT_EQ(l.committed(), 6);
  EXPECT_TRUE(l.release("due"));
  EXPECT_FALSE(l.release("due"));
  EXPECT_EQ(l.committed(), 3);
}

TEST(Ledger, LapsesByEndTimeAndKnowsTheNextEnd) {
  ledger l{100};
  EXPECT_FALSE(l.next_end().has_value());
  l.book("pending", 1); // not confirmed: no end yet
  l.book("a", 1);
  l.confirm("a", 1, 300);
  l.book("b", 1);
  l.confirm("b", 2, 100);
  l.book("c", 1);
  l.confirm("c", 3, 200);
  EXPECT_EQ(l.next_end(), 100);
  EXPECT_EQ(l.lapse_until(99), 0u);
  EXPECT_EQ(l.lapse_until(200), 2u);
  EXPECT_TRUE(l.find("b")->lapsed);
  EXPECT_TRUE(l.find("c")->lapsed);
  EXPECT_FALSE(l.find("a")->lapsed);
  EXPECT_EQ(l.lapsed_count(), 2u);
  EXPECT_EQ(l.next_end(), 300);
  // A released booking no longer has an end to wait for.
  l.release("a");
  EXPECT_FALSE(l.next_end().has_value());
  EXPECT_EQ(l.lapse_until(1000), 0u);
  // A moved meeting is confirmed again with its end: one entry, not two.
  l.book("m", 1);
  l.confirm("m", 4, 500);
  l.confirm("m", 5, 500);
  EXPECT_EQ(l.lapse_until(500), 1u);
  EXPECT_FALSE(l.next_end().has_value());
}
