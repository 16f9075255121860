#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/node.hpp"

namespace gw::config {

using gw::node_config;
using gw::node_state;
using gw::node_state_name;
using gw::parse_node_state;

/// Default texts put in front of a client's welcome / moderatorOnlyMessage.
struct chat_texts {
  std::string welcome;
  std::string moderator_only;
};

/// Booking defaults for creates that give no maxParticipants or duration.
struct booking_defaults {
  long long max_participants = 10;
  long long duration_minutes = 60;
};

/// One customer account.
struct tenant_config {
  std::string id;
  std::vector<std::string> secrets;
  long long connections = 0;
  bool api_enabled = true;
  std::optional<long long> default_max_participants;
  std::optional<long long> default_duration_minutes;
  std::vector<digest_algo> checksum_algorithms;
  std::optional<chat_texts> texts;
  std::vector<std::string> hosts;
};

/// The whole configuration file (design.md §4).
struct config {
  std::string listen = "127.0.0.1:8080";
  std::string public_url = "http://127.0.0.1:8080";
  std::string database = "./bbbgate.db";
  std::string admin_token;
  long long poll_interval_seconds = 10;
  /// getMeetings never shows node data older than this; 0: the last poll's
  /// data, however old (design.md §7).
  long long live_data_max_age_ms = 1000;
  double minute_seconds = 60;
  /// recordings.sync_interval_seconds: full reconciliation of each node's
  /// recordings (design.md §5); 0 turns it off.
  int64_t recordings_sync_seconds = 600;
  /// callbacks.retry_for_hours: how long a relayed callback is retried
  /// (design.md §6).
  int64_t callbacks_retry_hours = 24;
  booking_defaults defaults;
  chat_texts texts;
  double overcommit = 1.0;
  std::size_t io_threads = 1;
  std::size_t body_limit_bytes = 4 * 1024 * 1024;
  /// Open client connections at most; 0: from RLIMIT_NOFILE
  /// (net::default_max_connections).
  std::size_t max_connections = 0;
  std::vector<node_config> nodes;
  std::vector<tenant_config> tenants;
};

/// The outcome of loading a configuration: the config or one error line.
struct load_result {
  std::optional<config> value;
  std::string error;
};

/// Parses and validates YAML text. Errors name the key and its line, e.g.
/// `line 7: tenants[0].connections: must be a positive integer`.
load_result parse(const std::string& yaml_text);

/// Reads and parses a configuration file.
load_result load_file(const std::string& path);

} // namespace gw::config
