#pragma once

#include <vector>

#include "core/expected.hpp"

struct sqlite3;

namespace gw::store {

/// One numbered schema change. The database's `user_version` is the number
/// of the last one applied; each runs once, in its own transaction.
struct migration {
  int version;
  const char* what;
  const char* sql;
};

/// Every migration, in order (append only: never edit one that shipped).
const std::vector<migration>& migrations();

/// Applies the migrations newer than the database's version. A database
/// newer than this binary is refused (it would be misread).
expected<void> migrate(sqlite3* db);

} // namespace gw::store
