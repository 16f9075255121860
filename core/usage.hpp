#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw {

/// A meeting as usage accounting keeps it (durable, beyond its end).
struct usage_meeting {
  std::string tenant;
  std::string meeting_id;
  /// When its booking began and when it ended (gateway clock, ms since the
  /// epoch); 0: still running.
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
  /// Connections it reserved (its maxParticipants).
  int64_t connections = 0;
};

/// Something counted for a tenant at a moment: a preemption, a refused
/// create (kind `refused:<messageKey>`), or participant-milliseconds seen
/// by polls (kind `participant_ms`).
struct usage_event {
  std::string tenant;
  std::string kind;
  int64_t at_ms = 0;
  int64_t value = 1;
};

/// Kinds of usage events.
constexpr std::string_view usage_preemption = "preemption";
constexpr std::string_view usage_participant_ms = "participant_ms";
constexpr std::string_view usage_refused_prefix = "refused:";

/// One tenant's usage on one UTC day (design.md §8).
struct usage_day {
  std::string date; // YYYY-MM-DD
  /// Σ connections × time reserved within the day, in API minutes.
  double reserved_connection_minutes = 0;
  /// The most connections reserved at once during the day.
  int64_t peak_reserved_connections = 0;
  /// Meetings whose booking began that day.
  int64_t meetings = 0;
  int64_t preemptions = 0;
  /// Refused creates by messageKey.
  std::map<std::string, int64_t> refused;
  double participant_minutes = 0;
};

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (a real calendar date).
std::optional<int64_t> parse_day(std::string_view date);

/// The `YYYY-MM-DD` of a day number.
std::string format_day(int64_t day);

/// Computes usage for days `from_day`..`to_day` (inclusive, UTC) from the
/// tenant's meetings and events: a running meeting counts until `now_ms`;
/// minutes are API minutes of `minute_ms` milliseconds. Pure: the same
/// rows give the same bill.
std::vector<usage_day> compute_usage(const std::vector<usage_meeting>& meetings,
                                     const std::vector<usage_event>& events,
                                     int64_t from_day, int64_t to_day,
                                     double minute_ms, int64_t now_ms);

} // namespace gw
