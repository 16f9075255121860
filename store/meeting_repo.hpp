#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/meeting.hpp"

namespace gw::store {

/// One change to the meetings.
struct meeting_write {
  enum class kind {
    /// `row` (with its create call) written, and the create intent of the
    /// same meeting removed: both or neither.
    put,
    /// The meeting (tenant, meetingID of `row`) deleted.
    erase,
    /// `intent` recorded (replacing one of the same meeting).
    intend,
    /// The intent of meeting (tenant, meetingID of `intent`) removed.
    unintend,
  };
  kind what = kind::put;
  meeting_row row;
  create_call call;
  create_intent intent;
  /// When the change happened (gateway clock, ms): an erase ends the
  /// meeting's usage record then.
  int64_t at_ms = 0;
};

/// Where meetings live durably. Used by the store actor only (blocking);
/// SQLite implements it (store/sqlite_store), PostgreSQL can follow.
class meeting_repo {
public:
  virtual ~meeting_repo() = default;

  /// Every stored meeting (without create calls: those are only needed to
  /// move a meeting).
  virtual expected<std::vector<meeting_row>> load_meetings() = 0;

  /// Every recorded create intent (creates not finished when the gateway
  /// stopped).
  virtual expected<std::vector<create_intent>> load_intents() = 0;

  /// The stored meetings and intents of one tenant.
  virtual expected<tenant_meetings> load_tenant(const std::string& tenant) = 0;

  /// The create call of one meeting (`found` false when none).
  virtual expected<create_call>
  load_create_call(const std::string& tenant,
                   const std::string& meeting_id) = 0;

  /// Applies `writes` in order, all or nothing.
  virtual expected<void>
  write_meetings(const std::vector<meeting_write>& writes) = 0;
};

} // namespace gw::store
