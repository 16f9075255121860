#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "actors/interfaces.hpp"
#include "actors/tenant_actor.hpp"
#include "net/admin_api.hpp"
#include "net/http_server.hpp"

namespace gw::net {

/// One tenant as the HTTP layer sees it: its configuration, its actor and
/// the snapshot of its meetings.
struct tenant_entry {
  std::shared_ptr<const tenant_env> env;
  tenant_actor actor;
};

/// Tenants by path segment and by Host name (immutable).
struct tenant_directory {
  std::unordered_map<std::string, std::shared_ptr<const tenant_entry>> by_id;
  std::unordered_map<std::string, std::shared_ptr<const tenant_entry>> by_host;
};

/// Platform settings the API layer needs.
struct api_settings {
  std::string public_url;
  int64_t default_max_participants = 10;
  int64_t default_duration_minutes = 60;
  std::size_t body_limit_bytes = 4 * 1024 * 1024;
};

/// The BBB API of the gateway: routing by tenant, checksums, validation,
/// the hot paths (join, getMeetings) from snapshots, proxied reads, and
/// creates through the tenant actors. Runs on io threads and never blocks.
class gateway_api : public std::enable_shared_from_this<gateway_api> {
public:
  /// `pool_next` returns an io shard for calls that start on actor threads.
  gateway_api(std::shared_ptr<const tenant_directory> tenants,
              std::shared_ptr<snapshot_slot<node_directory>> nodes,
              api_settings settings, std::function<io_shard&()> pool_next,
              std::shared_ptr<const admin_api> admin = nullptr);

  /// Handles one HTTP request (see request_handler).
  void handle(http_request&& req, const request_info& info,
              responder respond) const;

private:
  struct call_ctx;
  void dispatch(call_ctx& c) const;
  void create(call_ctx& c) const;
  void join(call_ctx& c) const;
  void get_meetings(call_ctx& c) const;
  void proxy(call_ctx& c, bool ends_meeting) const;
  void end_callback(std::string_view raw_query, const request_info& info,
                    responder respond) const;
  void join_failover(call_ctx& c, std::shared_ptr<const meeting_row> row) const;
  void send_join(const query& q, const meeting_row& row, const node_info& info,
                 io_shard* shard, responder respond) const;

  std::shared_ptr<const tenant_directory> tenants_;
  std::shared_ptr<snapshot_slot<node_directory>> nodes_;
  api_settings settings_;
  std::function<io_shard&()> pool_next_;
  std::shared_ptr<const admin_api> admin_;
};

} // namespace gw::net
