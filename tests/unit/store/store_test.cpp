#include <filesystem>
#include <random>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "tests/scratch_dir.hpp"

using kind = gw::store::meeting_write::kind;

namespace {

std::string temp_db() {
  auto dir = gw::test::scratch_dir("bbbgate-store");
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
  return r;
}

gw::create_call sample_call() {
  gw::create_call c;
  c.query = "meetingID=m1&name=A";
  c.body = std::string("<modules>\0</modules>", 20);
  c.content_type = "application/xml";
  c.found = true;
  return c;
}

} // namespace

TEST(Store, RoundTripsAMeetingAcrossReopen) {
  auto path = temp_db();
  {
    gw::store::sqlite_store s;
    ASSERT_EQ(s.open(path), "");
    ASSERT_TRUE(s.write_meetings({{kind::put, sample(), sample_call(), {}}}));
  }
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path), "");
  auto rows = *s.load_meetings();
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
  auto call = *s.load_create_call("acme", want.meeting_id);
  EXPECT_TRUE(call.found);
  EXPECT_EQ(call.query, sample_call().query);
  EXPECT_EQ(call.body, sample_call().body);
  EXPECT_EQ(call.content_type, "application/xml");
  EXPECT_FALSE(s.load_create_call("acme", "other")->found);
}

TEST(Store, ReplaceAndErase) {
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(temp_db()), "");
  auto r = sample();
  ASSERT_TRUE(s.write_meetings({{kind::put, r, sample_call(), {}}}));
  r.node_id = "n2";
  ASSERT_TRUE(s.write_meetings({{kind::put, r, sample_call(), {}}}));
  auto rows = *s.load_meetings();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].node_id, "n2");
  EXPECT_TRUE(s.write_meetings({{kind::erase, r, {}, {}}}));
  EXPECT_TRUE(s.load_meetings()->empty());
}

TEST(Store, ReportsUnopenableDatabase) {
  gw::store::sqlite_store s;
  EXPECT_NE(s.open("/nonexistent-dir/x/y.db"), "");
}

TEST(Store, WritesABatchInOrderInOneTransaction) {
  auto path = temp_db();
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path, false), "");
  std::vector<gw::store::meeting_write> batch;
  auto a = sample();
  a.meeting_id = "a";
  auto b = sample();
  b.meeting_id = "b";
  batch.push_back({kind::put, a, sample_call(), {}});
  batch.push_back({kind::put, b, sample_call(), {}});
  batch.push_back(
    {kind::erase, a, {}, {}}); // put then erase in one batch: gone
  ASSERT_TRUE(s.write_meetings(batch));
  auto rows = *s.load_meetings();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].meeting_id, "b");
  // Replace and erase mixed, in order.
  auto c = sample();
  c.meeting_id = "c";
  batch = {{kind::put, c, sample_call(), {}}, {kind::erase, b, {}, {}}};
  ASSERT_TRUE(s.write_meetings(batch));
  EXPECT_EQ(s.load_meetings()->size(), 1u);
  EXPECT_EQ((*s.load_meetings())[0].meeting_id, "c");
}

TEST(Store, CheckpointCopiesTheLogIntoTheDatabase) {
  auto path = temp_db();
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path, false), "");
  gw::store::sqlite_store checkpoints;
  ASSERT_EQ(checkpoints.open(path, false), "");
  auto before = std::filesystem::file_size(path);
  std::vector<gw::store::meeting_write> batch;
  for (int i = 0; i < 200; ++i) {
    auto r = sample();
    r.meeting_id = "m-" + std::to_string(i);
    batch.push_back({kind::put, r, sample_call(), {}});
  }
  ASSERT_TRUE(s.write_meetings(batch));
  // Without automatic checkpoints the rows are only in the log...
  EXPECT_EQ(std::filesystem::file_size(path), before);
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 0u);
  // ...until the other connection checkpoints.
  ASSERT_EQ(checkpoints.checkpoint().error, "");
  EXPECT_GT(std::filesystem::file_size(path), before);
  ASSERT_EQ(
    checkpoints.checkpoint(gw::store::sqlite_store::checkpoint_mode::restart)
      .error,
    "");
  EXPECT_EQ(s.load_meetings()->size(), 200u);
}

TEST(Store, CommitsCountTheLogFramesTheyWrite) {
  auto path = temp_db();
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path, false), "");
  auto written = std::make_shared<std::atomic<int64_t>>(0);
  s.count_log_frames(written);
  gw::store::sqlite_store checkpoints;
  ASSERT_EQ(checkpoints.open(path, false), "");
  auto r = sample();
  ASSERT_TRUE(s.write_meetings({{kind::put, r, sample_call(), {}}}));
  auto first = written->load();
  EXPECT_GT(first, 0);
  // The log file holds what was counted (a 32-byte header, then a 24-byte
  // header and a page per frame).
  EXPECT_EQ(std::filesystem::file_size(path + "-wal"),
            static_cast<std::uintmax_t>(32 + first * (24 + s.page_size())));
  // A checkpoint that copies everything lets the log start over; the count
  // keeps growing across the restart.
  auto done = checkpoints.checkpoint();
  ASSERT_EQ(done.error, "");
  EXPECT_EQ(done.log_frames, first);
  EXPECT_EQ(done.copied_frames, first);
  r.meeting_id = "second";
  ASSERT_TRUE(s.write_meetings({{kind::put, r, sample_call(), {}}}));
  EXPECT_GT(written->load(), first);
  EXPECT_LE(checkpoints.checkpoint().log_frames, written->load() - first);
}

TEST(Store, TruncatingCheckpointEmptiesTheLogFile) {
  auto path = temp_db();
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path, false), "");
  gw::store::sqlite_store checkpoints;
  ASSERT_EQ(checkpoints.open(path, false), "");
  std::vector<gw::store::meeting_write> batch;
  for (int i = 0; i < 50; ++i) {
    auto r = sample();
    r.meeting_id = "m-" + std::to_string(i);
    batch.push_back({kind::put, r, sample_call(), {}});
  }
  ASSERT_TRUE(s.write_meetings(batch));
  ASSERT_GT(std::filesystem::file_size(path + "-wal"), 0u);
  ASSERT_EQ(
    checkpoints.checkpoint(gw::store::sqlite_store::checkpoint_mode::truncate)
      .error,
    "");
  EXPECT_EQ(std::filesystem::file_size(path + "-wal"), 0u);
  // Writes go on in a new log; nothing was lost.
  auto r = sample();
  r.meeting_id = "after";
  ASSERT_TRUE(s.write_meetings({{kind::put, r, sample_call(), {}}}));
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 0u);
  EXPECT_EQ(s.load_meetings()->size(), 51u);
}

TEST(Store, MigratesANewDatabaseToTheLastVersion) {
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(temp_db()), "");
  const auto& all = gw::store::migrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(all[i].version, static_cast<int>(i) + 1);
  EXPECT_EQ(s.schema_version(), all.back().version);
}

TEST(Store, RefusesADatabaseNewerThanItKnows) {
  auto path = temp_db();
  {
    gw::store::sqlite_store s;
    ASSERT_EQ(s.open(path), "");
  }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(
    sqlite3_exec(raw, "PRAGMA user_version = 999;", nullptr, nullptr, nullptr),
    SQLITE_OK);
  sqlite3_close(raw);
  gw::store::sqlite_store s;
  auto err = s.open(path);
  EXPECT_NE(err.find("schema version 999"), std::string::npos) << err;
}

TEST(Store, ReadErrorsAreFailuresNotEmptyResults) {
  auto path = temp_db();
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path), "");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(
    sqlite3_exec(raw, "DROP TABLE meetings;", nullptr, nullptr, nullptr),
    SQLITE_OK);
  sqlite3_close(raw);
  auto rows = s.load_meetings();
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, gw::ec::internal_error);
  EXPECT_FALSE(s.load_create_call("acme", "x"));
}

TEST(Store, MigratesAVersionOneDatabaseKeepingItsRows) {
  auto path = temp_db();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  std::string v1 = std::string{gw::store::migrations().at(0).sql}
                   + "PRAGMA user_version = 1;"
                     "INSERT INTO meetings VALUES ('acme','old','n1','t-old',"
                     "'i-1',1700000000000,1700000000000,'d','Old','ap','mp',"
                     "'70001','',5,60,'60',0,'[]','meetingID=old','','',"
                     "'nonce','');";
  ASSERT_EQ(sqlite3_exec(raw, v1.c_str(), nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path), "");
  EXPECT_EQ(s.schema_version(), gw::store::migrations().back().version);
  auto rows = *s.load_meetings();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].meeting_id, "old");
  EXPECT_EQ(rows[0].max_participants, 5);
  EXPECT_EQ(rows[0].first_create_time, 0);
  EXPECT_EQ(gw::shown_create_time(rows[0]), 1700000000000);
  // New columns are written and read back.
  auto r = rows[0];
  r.first_create_time = 1600000000000;
  ASSERT_TRUE(s.write_meetings({{kind::put, r, sample_call(), {}}}));
  EXPECT_EQ((*s.load_meetings())[0].first_create_time, 1600000000000);
}

// Create intents (crash recovery): recorded, replaced, removed with the
// meeting's row in one transaction, kept across a reopen.
TEST(Store, CreateIntentsGoWithTheRowThatReplacesThem) {
  auto path = temp_db();
  gw::create_intent in;
  in.tenant = "acme";
  in.meeting_id = "m1";
  in.node_id = "n1";
  in.node_meeting_id = "tX-m1";
  in.max_participants = 7;
  in.duration_minutes = 30;
  in.client_duration = "30";
  in.callback_nonce = "n";
  in.created_at = 42;
  in.call.query = "meetingID=m1&name=Room";
  gw::store::meeting_write w;
  w.what = kind::intend;
  w.intent = in;
  {
    gw::store::sqlite_store s;
    ASSERT_EQ(s.open(path), "");
    ASSERT_TRUE(s.write_meetings({w}));
    in.node_id = "n2"; // the next candidate replaces it
    w.intent = in;
    ASSERT_TRUE(s.write_meetings({w}));
  }
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path), "");
  auto got = s.load_tenant("acme");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->intents.size(), 1u);
  EXPECT_EQ(got->intents[0].node_id, "n2");
  EXPECT_EQ(got->intents[0].max_participants, 7);
  EXPECT_EQ(got->intents[0].call.query, "meetingID=m1&name=Room");
  EXPECT_EQ(got->intents[0].created_at, 42);
  EXPECT_TRUE(s.load_tenant("other")->intents.empty());
  auto row = sample();
  row.tenant = "acme";
  row.meeting_id = "m1";
  ASSERT_TRUE(s.write_meetings({{kind::put, row, sample_call(), {}}}));
  got = s.load_tenant("acme");
  EXPECT_TRUE(got->intents.empty());
  EXPECT_EQ(got->rows.size(), 1u);
  // Removed on its own (a failed create).
  w.intent.meeting_id = "m2";
  ASSERT_TRUE(s.write_meetings({w}));
  gw::store::meeting_write drop;
  drop.what = kind::unintend;
  drop.intent.tenant = "acme";
  drop.intent.meeting_id = "m2";
  ASSERT_TRUE(s.write_meetings({drop}));
  EXPECT_TRUE(s.load_intents()->empty());
}

TEST(Store, RecordingsRoundTripAcrossReopen) {
  auto path = temp_db();
  gw::recording r;
  r.tenant = "acme";
  r.record_id = "abc-1";
  r.meeting_id = "room";
  r.internal_meeting_id = "abc-1";
  r.node_id = "n1";
  r.name = "Room <1>";
  r.state = "published";
  r.published = true;
  r.start_time = 10;
  r.end_time = 20;
  r.participants = 3;
  r.raw_size = 100;
  r.size = 50;
  r.metadata = {{"course", "math"}};
  r.formats = {{"presentation", "https://h/p/abc-1", 7, 33, 50,
                "<images><image>x</image></images>"}};
  {
    gw::store::sqlite_store s;
    ASSERT_EQ(s.open(path), "");
    ASSERT_TRUE(s.write_recordings({{false, r}}));
  }
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path), "");
  auto all = s.load_recordings();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  const auto& got = (*all)[0];
  EXPECT_EQ(got.name, "Room <1>");
  EXPECT_EQ(got.metadata, r.metadata);
  ASSERT_EQ(got.formats.size(), 1u);
  EXPECT_EQ(got.formats[0].url, "https://h/p/abc-1");
  EXPECT_EQ(got.formats[0].length, 33);
  EXPECT_EQ(got.formats[0].preview_xml, "<images><image>x</image></images>");
  EXPECT_TRUE(got.published);
  ASSERT_TRUE(s.write_recordings({{true, r}}));
  EXPECT_TRUE(s.load_recordings()->empty());
}

TEST(Store, TenantsRoundTripAcrossReopenAndCanBeRemoved) {
  auto path = temp_db();
  {
    gw::store::sqlite_store s;
    ASSERT_EQ(s.open(path), "");
    gw::tenant_spec t;
    t.id = "acme";
    t.secrets = {"s1", "s2"};
    t.connections = 20;
    t.default_duration_minutes = 90;
    t.console_password_hash = "scrypt$1024$8$1$aa$bb";
    ASSERT_TRUE(s.put_tenant({t, "fp", false}));
    t.id = "beta";
    ASSERT_TRUE(s.update_tenant(t)); // unknown: inserted without fingerprint
    t.connections = 30;
    ASSERT_TRUE(s.update_tenant(t));
    ASSERT_TRUE(s.remove_tenant("acme"));
  }
  gw::store::sqlite_store s;
  ASSERT_EQ(s.open(path), "");
  auto all = s.load_tenants();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  const auto& a = (*all)[0];
  EXPECT_EQ(a.spec.id, "acme");
  EXPECT_EQ(a.file_fingerprint, "fp");
  EXPECT_TRUE(a.removed);
  EXPECT_EQ(a.spec.secrets, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(a.spec.default_duration_minutes, 90);
  EXPECT_EQ(a.spec.console_password_hash, "scrypt$1024$8$1$aa$bb");
  const auto& b = (*all)[1];
  EXPECT_EQ(b.spec.id, "beta");
  EXPECT_EQ(b.file_fingerprint, "");
  EXPECT_FALSE(b.removed);
  EXPECT_EQ(b.spec.connections, 30);
}
