#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gw {

/// One meeting the gateway placed: where it lives and what it was created
/// with. Persisted as one row (store/meeting_repo.hpp); immutable once
/// published.
struct meeting_row {
  std::string tenant;
  std::string meeting_id;
  std::string node_id;
  std::string node_meeting_id;
  std::string internal_id;
  /// The createTime of the node the meeting runs on now.
  int64_t create_time = 0;
  /// The createTime the client was first told, when the meeting has moved
  /// since (0: it never moved; create_time is the one). Answers show it;
  /// a join carrying it is forwarded with the current one.
  int64_t first_create_time = 0;
  /// When the gateway booked the connections (its own clock, ms).
  int64_t booked_at = 0;
  std::string create_date;
  std::string name;
  std::string attendee_pw;
  std::string moderator_pw;
  std::string voice_bridge;
  std::string dial_number;
  /// Connections booked (the maxParticipants sent to the node).
  int64_t max_participants = 0;
  /// Booking length in API minutes; the booking ends at
  /// `create_time + duration_minutes * minute`.
  int64_t duration_minutes = 0;
  /// The client's own `duration` parameter, echoed back as BBB would.
  std::string client_duration = "0";
  bool record = false;
  /// Lowercased meta_ keys and values, in order.
  std::vector<std::pair<std::string, std::string>> metadata;
  /// Secret of the gateway's end callback URL for this meeting.
  std::string callback_nonce;
  /// The client's own meta_endCallbackUrl (called after the gateway's).
  std::string client_end_callback;
};

/// The createTime every answer shows the client (the first one it was told).
inline int64_t shown_create_time(const meeting_row& r) {
  return r.first_create_time != 0 ? r.first_create_time : r.create_time;
}

/// The client's create call, kept to re-create a meeting on another node.
/// It lives in the store and in the messages to and from the store only:
/// the rows in memory do not carry it (96 bytes per meeting less).
struct create_call {
  /// The query without its checksum.
  std::string query;
  std::string body;
  std::string content_type;
  /// False when no call is stored for the meeting.
  bool found = false;
};

/// A create about to be sent to a node, recorded durably before the node is
/// asked, so that a gateway that dies before it records the node's answer
/// can adopt the meeting when it finds it on that node (or let the booking
/// go when it does not): docs/hardening.md, "Crash recovery".
struct create_intent {
  std::string tenant;
  std::string meeting_id;
  /// The node asked, and the meeting's ID there.
  std::string node_id;
  std::string node_meeting_id;
  /// The booking: connections, length in API minutes, the client's value.
  int64_t max_participants = 0;
  int64_t duration_minutes = 0;
  std::string client_duration = "0";
  std::string callback_nonce;
  /// When it was recorded (ms since the epoch).
  int64_t created_at = 0;
  /// The client's call (without its checksum).
  create_call call;
};

/// What the store holds of one tenant: its meetings, and the creates it had
/// recorded but not finished when its actor (or the gateway) stopped.
struct tenant_meetings {
  std::vector<meeting_row> rows;
  std::vector<create_intent> intents;
};

/// A tenant's ledger as its actor reports it.
struct tenant_stats {
  int64_t connections = 0;
  int64_t committed = 0;
  int64_t meetings = 0;
  int64_t lapsed = 0;
  /// Connections held by lapsed meetings (free to take by preemption).
  int64_t lapsed_connections = 0;
  /// Since the tenant actor started: lapsed meetings ended to make room,
  /// and meetings moved to another node (metrics counters).
  int64_t preemptions = 0;
  int64_t failovers = 0;
};

/// What a create of some size would do now (the console's question).
struct create_probe {
  /// "fits", "preempts" (fits after ending `preempt`),
  /// "maxParticipantsExceedsSubscription" or "notEnoughConnections".
  std::string verdict;
  std::vector<std::string> preempt;
};

} // namespace gw
