#include "store/sqlite_store.hpp"

#include <chrono>
#include <thread>

#include <sqlite3.h>

#include "store/migrations.hpp"
#include "store/sqlite_util.hpp"

namespace gw::store {

using detail::statement;

sqlite_store::~sqlite_store() {
  sqlite3_finalize(insert_meeting_);
  sqlite3_finalize(delete_meeting_);
  sqlite3_finalize(insert_intent_);
  sqlite3_finalize(delete_intent_);
  sqlite3_finalize(insert_recording_);
  sqlite3_finalize(delete_recording_);
  sqlite3_finalize(insert_relay_);
  sqlite3_finalize(delete_relay_);
  sqlite3_finalize(insert_hook_);
  sqlite3_finalize(delete_hook_);
  sqlite3_finalize(start_usage_);
  sqlite3_finalize(end_usage_);
  if (db_ != nullptr)
    sqlite3_close(db_);
}

expected<void> sqlite_store::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string out = err ? err : "unknown SQLite error";
    sqlite3_free(err);
    return failure{ec::internal_error, out};
  }
  return {};
}

expected<void>
sqlite_store::in_transaction(const std::function<expected<void>()>& body) {
  if (auto r = exec("BEGIN"); !r)
    return r;
  if (auto r = body(); !r) {
    exec("ROLLBACK");
    return r;
  }
  return exec("COMMIT");
}

failure sqlite_store::last_error() const {
  return {ec::internal_error, sqlite3_errmsg(db_)};
}

std::string sqlite_store::open(const std::string& path, bool auto_checkpoint) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
    return "cannot open database '" + path + "': " + sqlite3_errmsg(db_);
  // A lock held by the other connection (the checkpointer) is waited for
  // in steps of 100 us for up to 5 s: SQLite's own busy timeout sleeps in
  // steps of up to 100 ms, which stalled commits for tens of milliseconds.
  sqlite3_busy_handler(
    db_,
    [](void*, int tries) -> int {
      if (tries >= 50000)
        return 0;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      return 1;
    },
    nullptr);
  // WAL with synchronous=NORMAL survives a killed process (kill -9): every
  // commit is in the WAL file before the client hears SUCCESS.
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;"})
    if (auto r = exec(pragma); !r)
      return "database '" + path + "': " + r.error().message;
  // The log file is cut back to 64 MiB when it starts over.
  if (auto r = exec("PRAGMA journal_size_limit=-1;"); !r)
    return "database '" + path + "': " + r.error().message;
  if (!auto_checkpoint)
    if (auto r = exec("PRAGMA wal_autocheckpoint=0;"); !r)
      return "database '" + path + "': " + r.error().message;
  if (auto r = migrate(db_); !r)
    return "database '" + path + "': " + r.error().message;
  return {};
}

sqlite_store::checkpoint_result sqlite_store::checkpoint(checkpoint_mode mode) {
  int sqlite_mode = SQLITE_CHECKPOINT_PASSIVE;
  if (mode == checkpoint_mode::restart)
    sqlite_mode = SQLITE_CHECKPOINT_RESTART;
  else if (mode == checkpoint_mode::truncate)
    sqlite_mode = SQLITE_CHECKPOINT_TRUNCATE;
  checkpoint_result out;
  int log = 0;
  int copied = 0;
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, sqlite_mode, &log, &copied)
      != SQLITE_OK)
    out.error = sqlite3_errmsg(db_);
  out.log_frames = log;
  out.copied_frames = copied;
  return out;
}

int sqlite_store::schema_version() {
  statement st(db_, "PRAGMA user_version");
  return sqlite3_step(st.get()) == SQLITE_ROW ? static_cast<int>(st.int64(0))
                                              : 0;
}

int64_t sqlite_store::page_size() {
  statement st(db_, "PRAGMA page_size");
  return sqlite3_step(st.get()) == SQLITE_ROW ? st.int64(0) : 4096;
}

void sqlite_store::count_log_frames(log_counter written) {
  log_written_ = std::move(written);
  // The hook runs after each commit with the frames now in the log; the
  // log starts over (fewer frames than before) after a full checkpoint.
  sqlite3_wal_hook(
    db_,
    [](void* arg, sqlite3*, const char*, int frames) -> int {
      auto* self = static_cast<sqlite_store*>(arg);
      int64_t now = frames;
      int64_t added = now >= self->log_frames_ ? now - self->log_frames_ : now;
      self->log_frames_ = now;
      self->log_written_->fetch_add(added, std::memory_order_relaxed);
      return SQLITE_OK;
    },
    this);
}

expected<void> sqlite_store::run_once(sqlite3_stmt* st) {
  expected<void> out;
  if (sqlite3_step(st) != SQLITE_DONE)
    out = last_error();
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return out;
}

sqlite3_stmt* sqlite_store::cached(sqlite3_stmt*& slot, const char* sql) {
  if (slot == nullptr)
    sqlite3_prepare_v2(db_, sql, -1, &slot, nullptr);
  else {
    sqlite3_reset(slot);
    sqlite3_clear_bindings(slot);
  }
  return slot;
}

} // namespace gw::store
