#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "store/store.hpp"

namespace {

std::string temp_db() {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path()
             / ("bbbgate-store-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return (dir / "t.db").string();
}

gw::meeting_row sample() {
  gw::meeting_row r;
  r.tenant = "acme";
  r.meeting_id = "m\xC3\xA4-1";
  r.node_id = "n1";
  r.node_meeting_id = "tx-m1";
  r.internal_id = "abc-1";
  r.create_time = 1700000000123;
  r.booked_at = 1700000000100;
  r.max_participants = 15;
  r.duration_minutes = 120;
  r.client_duration = "120";
  r.record = true;
  r.metadata = {{"bbb-origin", "Moodle"}, {"x", "<&>"}};
  r.create_query = "meetingID=m1&name=A";
  r.create_body = std::string("<modules>\0</modules>", 20);
  return r;
}

} // namespace

TEST(Store, RoundTripsAMeetingAcrossReopen) {
  auto path = temp_db();
  {
    gw::store::store s;
    ASSERT_EQ(s.open(path), "");
    ASSERT_EQ(s.put_meeting(sample()), "");
  }
  gw::store::store s;
  ASSERT_EQ(s.open(path), "");
  auto rows = s.load_meetings();
  ASSERT_EQ(rows.size(), 1u);
  const auto& r = rows[0];
  auto want = sample();
  EXPECT_EQ(r.meeting_id, want.meeting_id);
  EXPECT_EQ(r.create_time, want.create_time);
  EXPECT_EQ(r.booked_at, want.booked_at);
  EXPECT_EQ(r.max_participants, 15);
  EXPECT_EQ(r.duration_minutes, 120);
  EXPECT_TRUE(r.record);
  EXPECT_EQ(r.metadata, want.metadata);
  // The create call is read on demand only (moving a meeting).
  EXPECT_TRUE(r.create_body.empty());
  auto full = s.load_meeting("acme", want.meeting_id);
  EXPECT_EQ(full.create_query, want.create_query);
  EXPECT_EQ(full.create_body, want.create_body);
  EXPECT_TRUE(s.load_meeting("acme", "other").meeting_id.empty());
}

TEST(Store, ReplaceAndErase) {
  gw::store::store s;
  ASSERT_EQ(s.open(temp_db()), "");
  auto r = sample();
  s.put_meeting(r);
  r.node_id = "n2";
  s.put_meeting(r);
  auto rows = s.load_meetings();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].node_id, "n2");
  EXPECT_EQ(s.erase_meeting("acme", r.meeting_id), "");
  EXPECT_TRUE(s.load_meetings().empty());
}

TEST(Store, ReportsUnopenableDatabase) {
  gw::store::store s;
  EXPECT_NE(s.open("/nonexistent-dir/x/y.db"), "");
}
