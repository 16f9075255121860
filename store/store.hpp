#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/meeting.hpp"
#include "core/node.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace gw::store {

/// The SQLite database (WAL mode) holding every meeting the gateway placed.
/// Blocking: owned by the detached store actor after start-up.
class store {
public:
  store() = default;
  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  /// Opens or creates the database at `path` and migrates its schema.
  /// Returns an error text, empty on success. With `auto_checkpoint` false
  /// commits never copy the write-ahead log into the database themselves
  /// (a checkpoint stalls a commit for milliseconds): whoever opens it so
  /// must call checkpoint() regularly, from another connection.
  std::string open(const std::string& path, bool auto_checkpoint = true);

  /// Frames this connection's commits wrote to the write-ahead log, in
  /// total: published by the store actor's connection, read by the
  /// checkpoint actor (a counter only ever added to, like the snapshots the
  /// other actors publish).
  using log_counter = std::shared_ptr<std::atomic<int64_t>>;

  /// Adds the log frames each commit on this connection writes to
  /// `written`. Only for a connection opened without automatic checkpoints.
  void count_log_frames(log_counter written);

  enum class checkpoint_mode {
    /// Copies as much as it can without blocking writers.
    passive,
    /// Copies all of it, waiting for writers, so the log starts over.
    restart,
    /// As restart, and cuts the log file to zero bytes.
    truncate,
  };

  /// What a checkpoint did.
  struct checkpoint_result {
    /// Empty on success.
    std::string error;
    /// Frames in the log when it ran, and how many of them are now copied
    /// into the database (all of them: the log starts over at the next
    /// commit).
    int64_t log_frames = 0;
    int64_t copied_frames = 0;
  };

  /// Copies the write-ahead log into the database.
  checkpoint_result checkpoint(checkpoint_mode mode = checkpoint_mode::passive);

  /// The database's page size in bytes (a log frame holds one page).
  int64_t page_size();

  /// Returns every stored meeting, or those of `tenant` (without their
  /// create calls: those are only needed to move a meeting).
  std::vector<meeting_row> load_meetings(const std::string& tenant = {});

  /// Returns the create call of one meeting (`found` false when none).
  create_call load_create_call(const std::string& tenant,
                               const std::string& meeting_id);

  /// Inserts or replaces a meeting with its create call. Returns an error
  /// text, empty on success.
  std::string put_meeting(const meeting_row& row, const create_call& call);

  /// Inserts many meetings in one transaction (bulk loads, benchmarks);
  /// `calls` is empty or one per row.
  std::string put_meetings(const std::vector<meeting_row>& rows,
                           const std::vector<create_call>& calls = {});

  /// Deletes a meeting. Returns an error text, empty on success.
  std::string erase_meeting(const std::string& tenant,
                            const std::string& meeting_id);

  /// One change to the meetings table.
  struct meeting_write {
    /// Delete (tenant, meeting ID) of `row` instead of writing it.
    bool erase = false;
    meeting_row row;
    create_call call;
  };

  /// Applies `writes` in order in one transaction (all or nothing).
  /// Returns an error text, empty on success.
  std::string write_meetings(const std::vector<meeting_write>& writes);

  /// A node as stored: its definition, the fingerprint of the config-file
  /// entry it came from (empty: added through the admin API) and whether
  /// the operator removed it.
  struct node_row {
    node_spec spec;
    std::string file_fingerprint;
    bool removed = false;
  };

  /// Returns every stored node.
  std::vector<node_row> load_nodes();

  /// Inserts or replaces a node. Returns an error text, empty on success.
  std::string put_node(const node_row& row);

  /// Updates a stored node's definition, keeping its fingerprint.
  std::string update_node(const node_spec& spec);

  /// Marks a node removed. Returns an error text, empty on success.
  std::string remove_node(const std::string& id);

private:
  std::string exec(const char* sql);
  /// Returns the cached prepared statement for `sql` (reset, unbound).
  sqlite3_stmt* cached(sqlite3_stmt*& slot, const char* sql);
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_meeting_ = nullptr;
  sqlite3_stmt* delete_meeting_ = nullptr;
  log_counter log_written_;
  /// Frames in the log after this connection's last commit.
  int64_t log_frames_ = 0;
};

} // namespace gw::store
