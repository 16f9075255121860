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

TEST(Store, WritesABatchInOrderInOneTransaction) {
  auto path = temp_db();
  gw::store::store s;
  ASSERT_EQ(s.open(path, false), "");
  std::vector<gw::store::store::meeting_write> batch;
  auto a = sample();
  a.meeting_id = "a";
  auto b = sample();
  b.meeting_id = "b";
  batch.push_back({false, a});
  batch.push_back({false, b});
  batch.push_back({true, a}); // put then erase in one batch: gone
  ASSERT_EQ(s.write_meetings(batch), "");
  auto rows = s.load_meetings();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].meeting_id, "b");
  // Replace and erase mixed, in order.
  auto c = sample();
  c.meeting_id = "c";
  batch = {{false, c}, {true, b}};
  ASSERT_EQ(s.write_meetings(batch), "");
  EXPECT_EQ(s.load_meetings().size(), 1u);
  EXPECT_EQ(s.load_meetings()[0].meeting_id, "c");
}

TEST(Store, CheckpointCopiesTheLogIntoTheDatabase) {
  auto path = temp_db();
  gw::store::store s;
  ASSERT_EQ(s.open(path, false), "");
  gw::store::store checkpoints;
  ASSERT_EQ(checkpoints.open(path, false), "");
  auto before = std::filesystem::file_size(path);
  std::vector<gw::store::store::meeting_write> batch;
  for (int i = 0; i < 200; ++i) {
    auto r = sample();
    r.meeting_id = "m-" + std::to_string(i);
    batch.push_back({false, r});
  }
  ASSERT_EQ(s.write_meetings(batch), "");
  // Without automatic checkpoints the rows are only in the log...
  EXPECT_EQ(std::filesystem::file_size(path), before);
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 0u);
  // ...until the other connection checkpoints.
  ASSERT_EQ(checkpoints.checkpoint(), "");
  EXPECT_GT(std::filesystem::file_size(path), before);
  ASSERT_EQ(checkpoints.checkpoint(true), "");
  EXPECT_EQ(s.load_meetings().size(), 200u);
}
