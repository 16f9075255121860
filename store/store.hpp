#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/types.hpp"

struct sqlite3;

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
  /// Returns an error text, empty on success.
  std::string open(const std::string& path);

  /// Returns every stored meeting.
  std::vector<meeting_row> load_meetings();

  /// Inserts or replaces a meeting. Returns an error text, empty on success.
  std::string put_meeting(const meeting_row& row);

  /// Deletes a meeting. Returns an error text, empty on success.
  std::string erase_meeting(const std::string& tenant,
                            const std::string& meeting_id);

private:
  std::string exec(const char* sql);
  sqlite3* db_ = nullptr;
};

} // namespace gw::store
