#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/interfaces.hpp"
#include "store/store.hpp"

namespace gw {

/// When the checkpoint actor copies the write-ahead log into the database.
/// Small and frequent: a checkpoint ends with an fsync of the database file
/// whose cost grows with the data copied (measured here: 0.2 ms for a page,
/// 52 ms after 32 MB), and commits on the other connection wait for it.
/// Measured at 1,000 creates/s: checkpoints every second stalled creates
/// for 15-35 ms (p99 added 10+ ms), every 250 ms from 1 MiB gave p99 added
/// ~0.9 ms, every 100 ms from 256 KiB ~0.75 ms.
struct checkpoint_policy {
  /// How often the log's size is looked at.
  std::chrono::milliseconds check_every{100};
  /// A passive checkpoint once the log holds this much...
  std::uintmax_t min_wal_bytes = 256ull * 1024;
  /// ...or this long after the last one, if anything was written.
  std::chrono::milliseconds max_age{60000};
  /// Under writes that never pause (a saturating benchmark: 25 MB of log
  /// per second), a passive checkpoint never lets the log start over; past
  /// this size a blocking (restart) checkpoint bounds the file, at the price
  /// of one stall of about a second on the measured disk.
  std::uintmax_t max_wal_bytes = 1024ull * 1024 * 1024;
};

/// State of the checkpoint actor: its own connection to the database.
struct checkpoint_state {
  std::shared_ptr<store::store> db;
  std::string wal_path;
  checkpoint_policy policy;
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  std::uintmax_t checkpoints = 0;
  static inline const char* name = "gw.checkpoint";
};

/// Checkpoints `db` (file `path`) by `policy`; spawn it detached. The
/// store's own connection runs without automatic checkpoints (SQLite would
/// run one inside a commit every 1,000 pages: a 10 ms stall of that create,
/// measured), so the copy runs on this thread and only the final sync is
/// felt by commits.
checkpoint_actor::behavior_type
checkpointer(checkpoint_actor::stateful_pointer<checkpoint_state> self,
             std::shared_ptr<store::store> db, std::string path,
             checkpoint_policy policy);

} // namespace gw
