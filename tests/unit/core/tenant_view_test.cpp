// The tenant's published meetings: sharded, immutable snapshots built from
// the last one.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/tenant_view.hpp"

using namespace gw;

namespace {

tenant_view::row_ptr row(const std::string& id, const std::string& internal) {
  auto r = std::make_shared<meeting_row>();
  r->meeting_id = id;
  r->internal_id = internal;
  return r;
}

std::set<std::string> ids(const tenant_view& v) {
  std::set<std::string> out;
  v.for_each([&](const tenant_view::row_ptr& r) { out.insert(r->meeting_id); });
  return out;
}

} // namespace

TEST(TenantView, FindsByIdAndByInternalId) {
  tenant_view empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.find("a"), nullptr);
  tenant_view_builder b{empty};
  auto a = row("a", "ia");
  b.put(a, nullptr);
  b.put(row("b", "ib"), nullptr);
  auto v = b.build();
  EXPECT_EQ(v->size(), 2u);
  ASSERT_NE(v->find("a"), nullptr);
  EXPECT_EQ(*v->find("a"), a);
  ASSERT_NE(v->find_internal("ia"), nullptr);
  EXPECT_EQ(*v->find_internal("ia"), a);
  EXPECT_EQ(v->find("ia"), nullptr);
  EXPECT_EQ(v->find_internal("a"), nullptr);
  EXPECT_EQ(ids(*v), (std::set<std::string>{"a", "b"}));
}

TEST(TenantView, ASnapshotNeverChangesOnceBuilt) {
  tenant_view_builder first{tenant_view{}};
  for (int i = 0; i < 500; ++i)
    first.put(row("m" + std::to_string(i), "i" + std::to_string(i)), nullptr);
  auto v1 = first.build();
  tenant_view_builder second{*v1};
  second.remove(*v1->find("m7"));
  second.put(row("new", "inew"), nullptr);
  auto v2 = second.build();
  EXPECT_EQ(v1->size(), 500u);
  EXPECT_NE(v1->find("m7"), nullptr);
  EXPECT_EQ(v1->find("new"), nullptr);
  EXPECT_EQ(ids(*v1).size(), 500u);
  EXPECT_EQ(v2->size(), 500u);
  EXPECT_EQ(v2->find("m7"), nullptr);
  EXPECT_EQ(v2->find_internal("i7"), nullptr);
  EXPECT_NE(v2->find("new"), nullptr);
  // Every other meeting is the same row in both.
  for (int i = 0; i < 500; ++i) {
    if (i == 7)
      continue;
    auto id = "m" + std::to_string(i);
    ASSERT_NE(v2->find(id), nullptr);
    EXPECT_EQ(*v2->find(id), *v1->find(id));
  }
}

TEST(TenantView, AReplacedMeetingTakesItsInternalIdWithIt) {
  tenant_view_builder b{tenant_view{}};
  auto old = row("a", "first");
  b.put(old, nullptr);
  auto v1 = b.build();
  tenant_view_builder next{*v1};
  auto moved = row("a", "second");
  next.put(moved, old);
  auto v2 = next.build();
  EXPECT_EQ(v2->size(), 1u);
  EXPECT_EQ(*v2->find("a"), moved);
  EXPECT_EQ(v2->find_internal("first"), nullptr);
  EXPECT_EQ(*v2->find_internal("second"), moved);
  // The row's key is the new row's: dropping the old one changes nothing.
  old.reset();
  v1.reset();
  EXPECT_EQ((*v2->find("a"))->meeting_id, "a");
}

TEST(TenantView, RemovingAReplacedRowKeepsItsSuccessor) {
  // A meeting ended and created again before the snapshot was built: the
  // removal of the old row must not remove the new one.
  tenant_view_builder b{tenant_view{}};
  auto old = row("a", "i1");
  b.put(old, nullptr);
  auto v1 = b.build();
  tenant_view_builder next{*v1};
  next.remove(old);
  auto again = row("a", "i2");
  next.put(again, nullptr);
  next.remove(old);
  auto v2 = next.build();
  EXPECT_EQ(v2->size(), 1u);
  EXPECT_EQ(*v2->find("a"), again);
  EXPECT_EQ(*v2->find_internal("i2"), again);
  EXPECT_EQ(v2->find_internal("i1"), nullptr);
}
