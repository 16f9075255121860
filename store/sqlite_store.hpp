#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/meeting.hpp"
#include "core/node.hpp"
#include "store/hook_repo.hpp"
#include "store/meeting_repo.hpp"
#include "store/node_repo.hpp"
#include "store/outbox_repo.hpp"
#include "store/recording_repo.hpp"
#include "store/tenant_repo.hpp"
#include "store/usage_repo.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace gw::store {

/// The SQLite implementation of the repositories (WAL mode, numbered
/// migrations in store/migrations.cpp): meetings in sqlite_meetings.cpp,
/// nodes in sqlite_nodes.cpp, the connection and its log here. Blocking:
/// owned by the detached store actor after start-up; a second connection
/// serves the checkpoint actor.
class sqlite_store final : public meeting_repo,
                           public node_repo,
                           public recording_repo,
                           public outbox_repo,
                           public hook_repo,
                           public tenant_repo,
                           public usage_repo {
public:
  sqlite_store() = default;
  ~sqlite_store() override;
  sqlite_store(const sqlite_store&) = delete;
  sqlite_store& operator=(const sqlite_store&) = delete;

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

  /// The schema version the database is at (its last migration).
  int schema_version();

  /// The database's page size in bytes (a log frame holds one page).
  int64_t page_size();

  // -- meeting_repo ---------------------------------------------------------

  expected<std::vector<meeting_row>> load_meetings() override;
  expected<std::vector<create_intent>> load_intents() override;
  expected<tenant_meetings> load_tenant(const std::string& tenant) override;
  expected<create_call>
  load_create_call(const std::string& tenant,
                   const std::string& meeting_id) override;
  expected<void>
  write_meetings(const std::vector<meeting_write>& writes) override;

  /// Inserts many meetings in one transaction (bulk loads, benchmarks);
  /// `calls` is empty or one per row.
  expected<void> put_meetings(const std::vector<meeting_row>& rows,
                              const std::vector<create_call>& calls = {});

  // -- recording_repo -------------------------------------------------------

  expected<std::vector<recording>> load_recordings() override;
  expected<void>
  write_recordings(const std::vector<recording_write>& writes) override;

  // -- outbox_repo ----------------------------------------------------------

  expected<outbox_summary> outbox_summary_now() override;
  expected<std::vector<relay_job>> load_outbox(const std::string& dest,
                                               int64_t after_id,
                                               int64_t limit) override;
  expected<std::vector<relay_job>> load_outbox() override;
  expected<void> write_outbox(const std::vector<outbox_write>& writes) override;

  // -- hook_repo ------------------------------------------------------------

  expected<std::vector<hook>> load_hooks() override;
  expected<void> put_hook(const hook& h) override;
  expected<void> remove_hook(const std::string& id) override;

  // -- node_repo ------------------------------------------------------------

  expected<std::vector<stored_node>> load_nodes() override;
  expected<void> put_node(const stored_node& n) override;
  expected<void> update_node(const node_spec& spec) override;
  expected<void> remove_node(const std::string& id) override;

  // -- tenant_repo ----------------------------------------------------------

  expected<std::vector<stored_tenant>> load_tenants() override;
  expected<void> put_tenant(const stored_tenant& t) override;
  expected<void> update_tenant(const tenant_spec& spec) override;
  expected<void> remove_tenant(const std::string& id) override;

  // -- usage_repo -----------------------------------------------------------

  expected<void> add_usage(const std::vector<usage_event>& events) override;
  expected<usage_rows> load_usage(const std::string& tenant, int64_t from_ms,
                                  int64_t to_ms) override;
  expected<void> purge_usage(int64_t before_ms) override;

private:
  expected<void> exec(const char* sql);
  /// Runs `body` in one transaction: committed when it succeeds, rolled
  /// back when it fails (its failure is returned).
  expected<void> in_transaction(const std::function<expected<void>()>& body);
  expected<std::vector<meeting_row>> select_meetings(const std::string& tenant);
  expected<void> put_meeting(const meeting_row& row, const create_call& call);
  expected<void> erase_meeting(const std::string& tenant,
                               const std::string& meeting_id);
  expected<void> start_usage(const meeting_row& row);
  expected<void> end_usage(const std::string& tenant,
                           const std::string& meeting_id, int64_t at_ms);
  expected<std::vector<create_intent>>
  select_intents(const std::string& tenant);
  expected<void> put_intent(const create_intent& i);
  expected<void> erase_intent(const std::string& tenant,
                              const std::string& meeting_id);
  /// A failure with SQLite's last error message on this connection.
  failure last_error() const;
  /// Steps a cached write statement once, then resets and unbinds it (bound
  /// text is only borrowed); its failure carries SQLite's message.
  expected<void> run_once(sqlite3_stmt* st);
  /// Returns the cached prepared statement for `sql` (reset, unbound).
  sqlite3_stmt* cached(sqlite3_stmt*& slot, const char* sql);
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_meeting_ = nullptr;
  sqlite3_stmt* delete_meeting_ = nullptr;
  sqlite3_stmt* insert_intent_ = nullptr;
  sqlite3_stmt* delete_intent_ = nullptr;
  sqlite3_stmt* insert_recording_ = nullptr;
  sqlite3_stmt* delete_recording_ = nullptr;
  sqlite3_stmt* insert_relay_ = nullptr;
  sqlite3_stmt* delete_relay_ = nullptr;
  sqlite3_stmt* insert_hook_ = nullptr;
  sqlite3_stmt* delete_hook_ = nullptr;
  sqlite3_stmt* start_usage_ = nullptr;
  sqlite3_stmt* end_usage_ = nullptr;
  log_counter log_written_;
  /// Frames in the log after this connection's last commit.
  int64_t log_frames_ = 0;
};

} // namespace gw::store
