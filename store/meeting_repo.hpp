#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/meeting.hpp"

namespace gw::store {

/// One change to the meetings: a row (with its create call) written, or the
/// meeting (tenant, meetingID of `row`) deleted.
struct meeting_write {
  bool erase = false;
  meeting_row row;
  create_call call;
};

/// Where meetings live durably. Used by the store actor only (blocking);
/// SQLite implements it (store/sqlite_store), PostgreSQL can follow.
class meeting_repo {
public:
  virtual ~meeting_repo() = default;

  /// Every stored meeting (without create calls: those are only needed to
  /// move a meeting).
  virtual expected<std::vector<meeting_row>> load_meetings() = 0;

  /// The stored meetings of one tenant.
  virtual expected<std::vector<meeting_row>>
  load_meetings_of(const std::string& tenant) = 0;

  /// The create call of one meeting (`found` false when none).
  virtual expected<create_call>
  load_create_call(const std::string& tenant,
                   const std::string& meeting_id) = 0;

  /// Applies `writes` in order, all or nothing.
  virtual expected<void>
  write_meetings(const std::vector<meeting_write>& writes) = 0;
};

} // namespace gw::store
