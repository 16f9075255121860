#include <gtest/gtest.h>

#include "actors/tenant_state.hpp"

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
