#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/interfaces.hpp"
#include "store/sqlite_store.hpp"

namespace gw {

/// When the checkpoint actor copies the write-ahead log into the database.
/// Small and frequent: a checkpoint ends with an fsync of the database file
/// whose cost grows with the data copied, and commits on the other
/// connection wait for it (the measurements behind each default are in
/// docs/performance.md, "Why the code is as it is").
struct checkpoint_policy {
  /// How often the log is looked at.
  std::chrono::milliseconds check_every{100};
  /// A passive checkpoint once this much was written to the log since the
  /// last one...
  std::uintmax_t min_wal_bytes = 256ull * 1024;
  /// ...or this long after the last one, if anything was written.
  std::chrono::milliseconds max_age{60000};
  /// Under writes that never pause (a saturating benchmark: 25 MB of log
  /// per second), a passive checkpoint never lets the log start over; past
  /// this size a blocking (restart) checkpoint bounds the file, at the price
  /// of one long stall.
  std::uintmax_t max_wal_bytes = 1024ull * 1024 * 1024;
  /// A log file larger than this is cut to zero once writes paused for
  /// `truncate_after` after a checkpoint that copied all of it. A log that
  /// starts over keeps its file size (writes reuse it without allocating);
  /// SQLite's own cut would run inside the next commit and stall it. A cut
  /// blocks commits while it runs, hence only after a long pause, and only for
  /// a file that grew large.
  std::uintmax_t truncate_above = 64ull * 1024 * 1024;
  std::chrono::milliseconds truncate_after{30000};
};

/// State of the checkpoint actor: its own connection to the database.
struct checkpoint_state {
  std::shared_ptr<store::sqlite_store> db;
  std::string wal_path;
  checkpoint_policy policy;
  /// Frames the store's connection wrote to the log, in total.
  store::sqlite_store::log_counter written;
  /// `written` when the last checkpoint started.
  int64_t written_at_last = 0;
  int64_t page_size = 4096;
  /// The last checkpoint copied the whole log.
  bool complete = false;
  /// `written` at the last tick, and when it last changed.
  int64_t written_seen = 0;
  std::chrono::steady_clock::time_point written_changed =
    std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  std::uintmax_t checkpoints = 0;
  std::uintmax_t truncations = 0;
  static inline const char* name = "gw.checkpoint";
};

/// Checkpoints `db` (file `path`) by `policy`; spawn it detached. The
/// store's own connection runs without automatic checkpoints (SQLite would
/// run one inside a commit every 1,000 pages: a 10 ms stall of that create,
/// measured) and counts the log frames it writes into `written`, so the
/// copy runs on this thread and only the final sync is felt by commits.
checkpoint_actor::behavior_type
checkpointer(checkpoint_actor::stateful_pointer<checkpoint_state> self,
             std::shared_ptr<store::sqlite_store> db, std::string path,
             store::sqlite_store::log_counter written,
             checkpoint_policy policy);

} // namespace gw
