#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/usage.hpp"

namespace gw::store {

/// What usage accounting reads for one tenant and period.
struct usage_rows {
  std::vector<usage_meeting> meetings;
  std::vector<usage_event> events;
};

/// Usage accounting's durable rows (design.md §8): meetings beyond their
/// end (written with the meetings themselves, store/meeting_repo.hpp) and
/// counted events.
class usage_repo {
public:
  virtual ~usage_repo() = default;

  /// Appends events.
  virtual expected<void> add_usage(const std::vector<usage_event>& events) = 0;

  /// The tenant's meetings that overlap [from_ms, to_ms) (running ones
  /// included) and its events in that period.
  virtual expected<usage_rows> load_usage(const std::string& tenant,
                                          int64_t from_ms, int64_t to_ms) = 0;

  /// Forgets meetings that ended and events that happened before
  /// `before_ms` (the retention).
  virtual expected<void> purge_usage(int64_t before_ms) = 0;
};

} // namespace gw::store
