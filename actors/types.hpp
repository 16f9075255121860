#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "config/config.hpp"
#include "net/url.hpp"

namespace gw {

/// What one node's last poll showed of a meeting.
struct live_meeting {
  bool running = false;
  bool has_user_joined = false;
  int64_t participants = 0;
  int64_t listeners = 0;
  int64_t voice = 0;
  int64_t video = 0;
  int64_t moderators = 0;
  int64_t start_time = 0;
  int64_t end_time = 0;
  /// The node's `<attendees>` children, as XML.
  std::string attendees_xml;
};

/// A node's health and its meetings' live state, published by its actor.
struct node_live {
  bool online = true;
  /// The operator-set state (enabled, cordoned, draining, disabled).
  config::node_state state = config::node_state::enabled;
  /// Milliseconds since the epoch of the last successful poll (0: none).
  int64_t polled_at = 0;
  /// By node meeting ID.
  std::unordered_map<std::string, live_meeting> meetings;
};

template <class T>
class snapshot_slot;

/// An immutable description of one BBB node, shared by value.
struct node_info {
  std::string id;
  std::string url;
  net::url_parts ep;
  std::string secret;
  /// `ep.path + "api/"`, the prefix of every API call to this node.
  std::string api_path;
  /// The configured URL with a trailing slash (join redirects start here).
  std::string base_url;
  /// Health and live meetings, written by the node's actor only.
  std::shared_ptr<snapshot_slot<node_live>> live;
};

/// Every node by id, as the hot path reads it (published by the fleet).
using node_directory =
  std::unordered_map<std::string, std::shared_ptr<const node_info>>;

/// Builds the descriptor of a configured node.
std::shared_ptr<const node_info> make_node_info(const config::node_config& c);

/// One meeting the gateway placed: where it lives and what it was created
/// with. Persisted as one row (store/store.hpp); immutable once published.
struct meeting_row {
  std::string tenant;
  std::string meeting_id;
  std::string node_id;
  std::string node_meeting_id;
  std::string internal_id;
  int64_t create_time = 0;
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

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, meeting_row& x) {
  return f(caf::meta::type_name("meeting_row"), x.tenant, x.meeting_id,
           x.node_id, x.node_meeting_id, x.internal_id, x.create_time,
           x.booked_at, x.create_date, x.name, x.attendee_pw, x.moderator_pw,
           x.voice_bridge, x.dial_number, x.max_participants,
           x.duration_minutes, x.client_duration, x.record, x.metadata,
           x.callback_nonce, x.client_end_callback);
}

/// The client's create call, kept to re-create a meeting on another node.
/// It lives in SQLite and in the messages to and from the store only: the
/// rows in memory do not carry it (96 bytes per meeting less).
struct create_call {
  /// The query without its checksum.
  std::string query;
  std::string body;
  std::string content_type;
  /// False when no call is stored for the meeting.
  bool found = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_call& x) {
  return f(caf::meta::type_name("create_call"), x.query, x.body, x.content_type,
           x.found);
}

/// A node as the admin API adds or changes it (strings, so it can travel).
struct node_spec {
  std::string id;
  std::string url;
  std::string secret;
  int64_t capacity = 0;
  double overcommit = 1.0;
  std::string state = "enabled";
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_spec& x) {
  return f(caf::meta::type_name("node_spec"), x.id, x.url, x.secret, x.capacity,
           x.overcommit, x.state);
}

/// A node's load as its actor reports it to the fleet.
struct node_load {
  std::string id;
  int64_t capacity = 0;
  double overcommit = 1.0;
  int64_t committed = 0;
  int64_t meetings = 0;
  std::string state = "enabled";
  bool online = true;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_load& x) {
  return f(caf::meta::type_name("node_load"), x.id, x.capacity, x.overcommit,
           x.committed, x.meetings, x.state, x.online);
}

/// A tenant's ledger as its actor reports it.
struct tenant_stats {
  int64_t connections = 0;
  int64_t committed = 0;
  int64_t meetings = 0;
  int64_t lapsed = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_stats& x) {
  return f(caf::meta::type_name("tenant_stats"), x.connections, x.committed,
           x.meetings, x.lapsed);
}

/// A single-writer, many-reader slot holding an immutable snapshot.
template <class T>
class snapshot_slot {
public:
  snapshot_slot() : value_(std::make_shared<const T>()) {}

  /// Returns the current snapshot.
  std::shared_ptr<const T> load() const {
    return std::atomic_load_explicit(&value_, std::memory_order_acquire);
  }

  /// Publishes a new snapshot (owning actor only).
  void store(std::shared_ptr<const T> v) {
    std::atomic_store_explicit(&value_, std::move(v),
                               std::memory_order_release);
  }

private:
  std::shared_ptr<const T> value_;
};

} // namespace gw
