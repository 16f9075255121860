#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/meeting.hpp"
#include "core/node.hpp"
#include "core/tenant.hpp"
#include "core/usage.hpp"
#include "net/html.hpp"
#include "net/http_types.hpp"

namespace gw::api {

/// One running meeting as the usage section shows it.
struct console_meeting {
  std::string name;
  std::string meeting_id;
  int64_t size = 0;
  /// When its booking runs out (ms since the epoch).
  int64_t reserved_until_ms = 0;
  bool lapsed = false;
  int64_t participants = 0;
};

/// Everything the signed-in page shows.
struct console_overview {
  tenant_spec tenant;
  int64_t effective_max_participants = 0;
  int64_t effective_duration_minutes = 0;
  chat_texts texts;
  std::string api_url;
  std::string csrf;
  /// A fixed message key from the last form (never user input).
  std::string done;
  std::optional<tenant_stats> stats;
  std::vector<console_meeting> meetings;
  int64_t now_ms = 0;
  /// The size asked about and what a create of it would do (asked: > 0).
  int64_t probe_size = 0;
  std::optional<create_probe> probe;
  /// The last 30 days (oldest first), and their chart (SVG made by
  /// api/usage_format: no user data in it but escaped dates).
  std::vector<usage_day> history;
  std::string chart_svg;
};

/// One tenant in the operator view.
struct operator_tenant {
  tenant_spec tenant;
  std::optional<tenant_stats> stats;
};

/// Everything the operator view shows.
struct operator_overview {
  std::vector<operator_tenant> tenants;
  std::vector<node_load> nodes;
  /// Participants now by node id (from the last polls).
  std::map<std::string, int64_t> participants;
  std::string csrf;
  std::string done;
};

/// The operator's sign-in page (admin token or console.operator_password).
net::html console_operator_login_page(const std::string& message);

/// The operator view: tenants and their use, nodes with their actions.
net::html console_operator_page(const operator_overview& o);

/// The sign-in page; `message` is one of the console's own texts.
net::html console_login_page(const std::string& message);

/// The signed-in page: the Integration API, defaults, usage now.
net::html console_overview_page(const console_overview& o);

/// A console page answer with the console's security headers.
net::http_response console_page(unsigned status, const net::html& page);

/// The console's style sheet and its one script (copy buttons).
net::http_response console_asset(const std::string& name);

} // namespace gw::api
