#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/metrics.hpp"
#include "core/snapshot_slot.hpp"
#include "core/url.hpp"

namespace gw {

/// An operator-set node state (design.md §2).
enum class node_state { enabled, cordoned, draining, disabled };

/// Parses a node state name.
std::optional<node_state> parse_node_state(std::string_view s);

/// Returns the name of a node state.
const char* node_state_name(node_state s);

/// A node as the config file, the admin API and the store define it.
struct node_spec {
  std::string id;
  std::string url;
  std::string secret;
  int64_t capacity = 0;
  double overcommit = 1.0;
  std::string state = "enabled";
};

/// A validated node definition (validate_node makes one from a spec).
struct node_config {
  std::string id;
  std::string url;
  std::string secret;
  long long capacity = 0;
  double overcommit = 1.0;
  node_state state = node_state::enabled;
};

/// Returns the spec of a node definition (what the store and admin keep).
node_spec spec_of(const node_config& c);

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
  node_state state = node_state::enabled;
  /// Milliseconds since the epoch of the last successful poll (0: none).
  int64_t polled_at = 0;
  /// When that poll was sent (ms since the epoch): the data is at least
  /// this fresh.
  int64_t poll_started_at = 0;
  /// By node meeting ID.
  std::unordered_map<std::string, live_meeting> meetings;
  /// The gateway's webhook on the node: "unknown" (not checked yet),
  /// "registered", "absent" (the node runs no bbb-webhooks) or "failed".
  std::string webhooks = "unknown";
};

/// What the gateway asked of one node (read by /metrics): calls by outcome,
/// counted by whichever thread got the answer (relaxed atomics, no lock),
/// and its polls' durations, observed by the node's actor alone.
struct node_metrics {
  /// A complete answer with a 2xx status.
  std::atomic<uint64_t> calls_ok{0};
  /// A complete answer with another status.
  std::atomic<uint64_t> calls_http_error{0};
  /// No complete answer (connect refused, timeout, reset, bad response).
  std::atomic<uint64_t> calls_failed{0};
  latency_histogram polls;

  void count_call(bool complete, unsigned status) {
    auto& c = !complete                       ? calls_failed
              : status >= 200 && status < 300 ? calls_ok
                                              : calls_http_error;
    c.fetch_add(1, std::memory_order_relaxed);
  }
};

/// An immutable description of one BBB node, shared by value.
struct node_info {
  std::string id;
  std::string url;
  url_parts ep;
  std::string secret;
  /// `ep.path + "api/"`, the prefix of every API call to this node.
  std::string api_path;
  /// The configured URL with a trailing slash (join redirects start here).
  std::string base_url;
  /// Health and live meetings, written by the node's actor only.
  std::shared_ptr<snapshot_slot<node_live>> live;
  /// Its calls and polls, for /metrics (never null).
  std::shared_ptr<node_metrics> metrics = std::make_shared<node_metrics>();
  /// Asks the node's actor for live data no older than `max_age_ms`;
  /// `done` runs (on an actor thread) once it is published, or once it
  /// cannot be had. Set by the fleet before the node is published.
  std::function<void(int64_t max_age_ms, std::function<void()> done)> refresh;
};

/// Every node by id, as the hot path reads it (published by the fleet).
using node_directory =
  std::unordered_map<std::string, std::shared_ptr<const node_info>>;

/// Builds the descriptor of a node (its URL already validated); the fleet
/// completes it (its refresh hook) before publishing it.
std::shared_ptr<node_info> make_node_info(const std::string& id,
                                          const std::string& url,
                                          const std::string& secret);

/// Returns true when the node is online and not disabled: its meetings can
/// be reached.
bool node_usable(const node_info& node);

/// node_usable for a node by id (false when it is unknown).
bool node_usable(const node_directory& nodes, const std::string& node_id);

} // namespace gw
