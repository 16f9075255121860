// The store actor's group commit and the checkpoint actor, under CAF's
// deterministic test coordinator with a real SQLite file.
#include <filesystem>
#include <random>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <gtest/gtest.h>

#include "actors/checkpoint_actor.hpp"
#include "actors/store_actor.hpp"
#include "tests/scratch_dir.hpp"
#include "tests/unit/actors/actor_fixture.hpp"

using namespace gw;
using namespace std::chrono_literals;

namespace {

class StoreActor : public ::testing::Test {
protected:
  caf::actor_system_config cfg_;
  caf::actor_system sys_{test::testing_config(cfg_)};
  caf::scheduler::test_coordinator& sched_ =
    dynamic_cast<caf::scheduler::test_coordinator&>(sys_.scheduler());
  caf::scoped_actor self_{sys_, true};
  std::string path_;
  std::shared_ptr<store::sqlite_store> db_ =
    std::make_shared<store::sqlite_store>();
  store::sqlite_store::log_counter written_ =
    std::make_shared<std::atomic<int64_t>>(0);

  void SetUp() override {
    auto dir = gw::test::scratch_dir("bbbgate-store-actor");
    path_ = (dir / "t.db").string();
    ASSERT_EQ(db_->open(path_, false), "");
    db_->count_log_frames(written_);
  }

  /// Writes `n` meetings with 400-byte create calls through the store actor
  /// and waits for their answers.
  void write(const store_actor& st, const std::string& tag, int n) {
    for (int i = 0; i < n; ++i) {
      create_call call;
      call.query.append(400, 'q');
      self_->send(st, atom::put_v, row(tag + std::to_string(i)), call);
    }
    sched_.run();
    for (int i = 0; i < n; ++i)
      self_->receive([](bool ok) { EXPECT_TRUE(ok); });
  }

  static meeting_row row(const std::string& id) {
    meeting_row r;
    r.tenant = "acme";
    r.meeting_id = id;
    r.node_id = "n1";
    r.node_meeting_id = "tx-" + id;
    r.internal_id = "i-" + id;
    return r;
  }

  /// Meetings in the file, read on a connection of its own.
  std::size_t rows_on_disk() {
    store::sqlite_store other;
    EXPECT_EQ(other.open(path_, false), "");
    return other.load_meetings()->size();
  }
};

} // namespace

TEST_F(StoreActor, WritesQueuedTogetherAreCommittedInOrderAndAllAnswered) {
  auto st = sys_.spawn(store_service,
                       store::repositories{db_, db_, db_, db_, db_, db_, db_});
  sched_.run();
  // Three creates and an erase arrive before the store runs: one flush
  // behind them commits all four, in order.
  for (auto id : {"a", "b", "c"})
    self_->send(st, atom::put_v, row(id), create_call{});
  self_->send(st, atom::erase_v, std::string{"acme"}, std::string{"b"});
  EXPECT_EQ(rows_on_disk(), 0u);
  sched_.run();
  int answers = 0;
  for (int i = 0; i < 3; ++i)
    self_->receive([&](bool ok) {
      EXPECT_TRUE(ok);
      ++answers;
    });
  EXPECT_EQ(answers, 3);
  EXPECT_EQ(rows_on_disk(), 2u);
  caf::anon_send_exit(st, caf::exit_reason::user_shutdown);
  sched_.run();
}

TEST_F(StoreActor, AFetchSeesWritesQueuedBeforeIt) {
  auto st = sys_.spawn(store_service,
                       store::repositories{db_, db_, db_, db_, db_, db_, db_});
  sched_.run();
  create_call call;
  call.query = "meetingID=m1&name=Queued";
  call.found = true;
  self_->send(st, atom::put_v, row("m1"), call);
  self_->send(st, atom::fetch_v, std::string{"acme"}, std::string{"m1"});
  sched_.run();
  self_->receive([](bool ok) { EXPECT_TRUE(ok); });
  self_->receive([](const create_call& got) {
    EXPECT_TRUE(got.found);
    EXPECT_EQ(got.query, "meetingID=m1&name=Queued");
  });
  caf::anon_send_exit(st, caf::exit_reason::user_shutdown);
  sched_.run();
}

TEST_F(StoreActor, CheckpointerCopiesTheLogOnceItHasGrown) {
  auto st = sys_.spawn(store_service,
                       store::repositories{db_, db_, db_, db_, db_, db_, db_});
  auto cp_db = std::make_shared<store::sqlite_store>();
  ASSERT_EQ(cp_db->open(path_, false), "");
  checkpoint_policy policy;
  policy.check_every = 250ms;
  policy.min_wal_bytes = 64 * 1024;
  auto cp = sys_.spawn(checkpointer, cp_db, path_, written_, policy);
  sched_.run();
  // The first commit counts the schema's frames in the log too (the
  // counter starts at 0): a first tick may copy those.
  self_->send(st, atom::put_v, row("zero"), create_call{});
  sched_.run();
  self_->receive([](bool ok) { EXPECT_TRUE(ok); });
  sched_.trigger_timeout();
  sched_.run();
  auto db_size = std::filesystem::file_size(path_);
  // Little written: a tick leaves the log alone.
  self_->send(st, atom::put_v, row("first"), create_call{});
  sched_.run();
  self_->receive([](bool ok) { EXPECT_TRUE(ok); });
  sched_.trigger_timeout();
  sched_.run();
  EXPECT_EQ(std::filesystem::file_size(path_), db_size);
  // Past the threshold: the next tick checkpoints.
  for (int i = 0; i < 300; ++i) {
    create_call call;
    call.query.append(400, 'q');
    self_->send(st, atom::put_v, row("m-" + std::to_string(i)), call);
  }
  sched_.run();
  for (int i = 0; i < 300; ++i)
    self_->receive([](bool) {});
  ASSERT_GE(std::filesystem::file_size(path_ + "-wal"), 64u * 1024);
  sched_.trigger_timeout();
  sched_.run();
  EXPECT_GT(std::filesystem::file_size(path_), db_size);
  caf::anon_send_exit(st, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(cp, caf::exit_reason::user_shutdown);
  sched_.run();
}

TEST_F(StoreActor, CheckpointerCutsALargeLogOnlyOnceWritesPause) {
  auto st = sys_.spawn(store_service,
                       store::repositories{db_, db_, db_, db_, db_, db_, db_});
  auto cp_db = std::make_shared<store::sqlite_store>();
  ASSERT_EQ(cp_db->open(path_, false), "");
  checkpoint_policy policy;
  policy.check_every = 100ms;
  policy.min_wal_bytes = 32 * 1024;
  policy.truncate_above = 32 * 1024;
  policy.truncate_after = 0ms;
  auto cp = sys_.spawn(checkpointer, cp_db, path_, written_, policy);
  sched_.run();
  auto wal = path_ + "-wal";
  write(st, "a", 200);
  auto grown = std::filesystem::file_size(wal);
  ASSERT_GT(grown, 32u * 1024);
  // The first tick copies the log; the file keeps its size.
  sched_.trigger_timeout();
  sched_.run();
  EXPECT_EQ(std::filesystem::file_size(wal), grown);
  // Writes go on (the log starts over inside the same file): no cut.
  write(st, "b", 1);
  sched_.trigger_timeout();
  sched_.run();
  EXPECT_EQ(std::filesystem::file_size(wal), grown);
  // Written since: copied at this tick (below the threshold, so by age the
  // next). A tick with nothing written since a complete copy cuts it.
  write(st, "c", 100);
  sched_.trigger_timeout();
  sched_.run();
  EXPECT_GT(std::filesystem::file_size(wal), 0u);
  sched_.trigger_timeout();
  sched_.run();
  EXPECT_EQ(std::filesystem::file_size(wal), 0u);
  // Nothing lost, and writing goes on.
  write(st, "d", 1);
  EXPECT_EQ(rows_on_disk(), 302u);
  caf::anon_send_exit(st, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(cp, caf::exit_reason::user_shutdown);
  sched_.run();
}

TEST_F(StoreActor, CheckpointerLeavesALargeLogUntilWritesPausedLongEnough) {
  auto st = sys_.spawn(store_service,
                       store::repositories{db_, db_, db_, db_, db_, db_, db_});
  auto cp_db = std::make_shared<store::sqlite_store>();
  ASSERT_EQ(cp_db->open(path_, false), "");
  checkpoint_policy policy;
  policy.min_wal_bytes = 32 * 1024;
  policy.truncate_above = 32 * 1024;
  policy.truncate_after = 1h;
  auto cp = sys_.spawn(checkpointer, cp_db, path_, written_, policy);
  sched_.run();
  write(st, "a", 200);
  auto grown = std::filesystem::file_size(path_ + "-wal");
  for (int i = 0; i < 3; ++i) {
    sched_.trigger_timeout();
    sched_.run();
  }
  EXPECT_EQ(std::filesystem::file_size(path_ + "-wal"), grown);
  EXPECT_EQ(rows_on_disk(), 200u);
  caf::anon_send_exit(st, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(cp, caf::exit_reason::user_shutdown);
  sched_.run();
}
