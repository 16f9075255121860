#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gw {

/// A client's webhook (the bbb-webhooks API under its tenant's API path):
/// where to POST events, for which meeting (empty: every meeting of the
/// tenant) and which events (empty: all). docs/events.md.
struct hook {
  /// A random UUID (v4), as bbb-webhooks 3.x creates them.
  std::string id;
  std::string tenant;
  std::string callback_url;
  /// The client's meetingID; empty for a global hook.
  std::string meeting_id;
  /// Lowercased event ids (`user-joined`, ...); empty: every event.
  std::vector<std::string> event_ids;
  bool raw = false;
  int64_t created_ms = 0;
};

/// Whether `h` receives event `event_id` of the client's meeting
/// `meeting_id` (global hooks: every meeting of their tenant).
bool hook_wants(const hook& h, std::string_view meeting_id,
                std::string_view event_id);

/// The `eventID` parameter as bbb-webhooks reads it: lowercased, split at
/// commas (empty parts kept out).
std::vector<std::string> parse_event_ids(std::string_view param);

/// The ids joined by commas (as hooks/list shows them).
std::string join_event_ids(const std::vector<std::string>& ids);

/// A random UUID v4 (lowercase, with hyphens).
std::string new_uuid();

} // namespace gw
