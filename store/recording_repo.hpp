#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/recording.hpp"

namespace gw::store {

/// One change to the recordings index: a recording written (inserted or
/// replaced), or one (tenant, recordID of `rec`) deleted.
struct recording_write {
  bool erase = false;
  recording rec;
};

/// Where the recordings index lives durably (docs/recordings.md). Used by
/// the store actor only (blocking).
class recording_repo {
public:
  virtual ~recording_repo() = default;

  /// Every indexed recording, of every tenant.
  virtual expected<std::vector<recording>> load_recordings() = 0;

  /// Applies `writes` in order, all or nothing.
  virtual expected<void>
  write_recordings(const std::vector<recording_write>& writes) = 0;
};

} // namespace gw::store
