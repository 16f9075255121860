#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/node.hpp"
#include "core/tenant.hpp"

namespace gw::config {

using gw::node_config;
using gw::node_state;
using gw::node_state_name;
using gw::parse_node_state;

using gw::chat_texts;

/// Booking defaults for creates that give no maxParticipants or duration.
struct booking_defaults {
  long long max_participants = 10;
  long long duration_minutes = 60;
};

/// One customer account as the file gives it: the definition, and the
/// console password in clear (hashed when the entry is stored).
struct tenant_config : tenant_spec {
  std::string console_password;
};

/// The customer console (design.md §8).
struct console_settings {
  bool enabled = true;
  long long session_minutes = 60;
  /// Signs in the operator view (besides the admin token); empty: the
  /// admin token only.
  std::string operator_password;
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
  console_settings console;
  /// metrics.token: /metrics asks for `Authorization: Bearer <token>`
  /// (empty: open, like /healthz).
  std::string metrics_token;
  /// log.format: "text" or "json"; log.access: one line per API call.
  std::string log_format = "text";
  bool log_access = false;
  /// usage.retention_days: ended meetings and counted events are kept this
  /// long for the usage history (design.md §8).
  long long usage_retention_days = 400;
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
