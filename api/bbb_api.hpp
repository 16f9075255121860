#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "actors/hooks_actor.hpp"
#include "actors/interfaces.hpp"
#include "actors/recordings_actor.hpp"
#include "actors/relay_actor.hpp"
#include "actors/tenant_actor.hpp"
#include "actors/tenant_directory.hpp"
#include "api/api_metrics.hpp"
#include "core/recording.hpp"
#include "net/access_log.hpp"
#include "net/callback_urls.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"

namespace gw::api {

using gw::tenant_directory;
using gw::tenant_entry;

/// The actors the BBB API sends to besides the tenants'.
struct api_actors {
  /// Owns the recordings index (fetches after callbacks and changes).
  recordings_actor recordings;
  /// Delivers the callbacks relayed to clients.
  relay_actor relay;
  /// Owns the tenants' webhooks; turns node events into deliveries.
  hooks_actor hooks;
};

/// Platform settings the API layer needs.
struct api_settings {
  std::string public_url;
  std::size_t body_limit_bytes = 4 * 1024 * 1024;
  /// getMeetings never shows node data older than this (0: off).
  int64_t live_data_max_age_ms = 1000;
  /// True for a destination no callback URL may name (the gateway itself,
  /// its nodes): hooks/create refuses it.
  std::function<bool(const url_parts&)> forbidden_destination;
  /// Per-io-thread counters of the answers (null: not counted).
  std::shared_ptr<api_metrics> metrics;
  /// One line per call (null: no access log).
  std::shared_ptr<net::access_log> access_log;
};

/// The BBB API of the gateway: routing by tenant, checksums, validation,
/// the hot paths (join, getMeetings) from snapshots, proxied reads, and
/// creates through the tenant actors; the nodes' end callbacks. Runs on io
/// threads and never blocks. Its calls are a table (bbb_api.cpp); each
/// family lives in a file of its own (bbb_create, bbb_join, bbb_proxy,
/// bbb_meetings, callbacks).
class bbb_api : public std::enable_shared_from_this<bbb_api> {
public:
  /// `pool_next` returns an io shard for calls that start on actor threads.
  bbb_api(std::shared_ptr<snapshot_slot<tenant_directory>> tenants,
          std::shared_ptr<snapshot_slot<node_directory>> nodes,
          api_settings settings, std::function<net::io_shard&()> pool_next,
          api_actors actors = {});

  /// Adds the API's routes: the tenants' BBB API (the fallback: any path
  /// `/<tenant>/bigbluebutton/api/...` or `/bigbluebutton/api/...` on a
  /// tenant's Host) and the nodes' callbacks.
  void add_routes(net::router& r);

  /// Handles one BBB API request (see net::request_handler).
  void handle(net::http_request&& req, const net::request_info& info,
              net::responder respond) const;

  /// One verified API call on its way to its handler.
  struct call_ctx;

private:
  void create(call_ctx& c) const;
  void join(call_ctx& c) const;
  void get_meetings(call_ctx& c) const;
  bool refresh_live_data(call_ctx& c, const tenant_view& view,
                         const node_directory& nodes) const;
  void proxy(call_ctx& c) const;
  void get_recordings(call_ctx& c) const;
  void change_recordings(call_ctx& c) const;
  void get_join_url(call_ctx& c) const;
  void text_tracks(call_ctx& c) const;
  // The nodes' callbacks: each is acknowledged once what it owes a client
  // is in the relay actor's outbox.
  void recording_callback(net::http_request&& req,
                          const net::request_info& info,
                          net::responder respond) const;
  void end_callback(std::string_view raw_query, const net::request_info& info,
                    net::responder respond) const;
  void analytics_callback(net::http_request&& req,
                          const net::request_info& info,
                          net::responder respond) const;
  /// Answers a node's callback 200 on its io thread (`respond` may only
  /// run there) when the returned function runs (on any thread).
  static std::function<void()> acknowledge(const net::request_info& info,
                                           net::responder respond);
  /// Hands `job` to the relay actor and answers 200 once it is in the
  /// outbox (or could not be written: it is delivered all the same).
  void hand_over(relay_job job, const net::request_info& info,
                 net::responder respond) const;
  /// The gateway callback URL a node called (`target`) if it is one of
  /// `kind` for a known tenant (set in `entry`).
  std::optional<net::gateway_callback>
  named_callback(std::string_view target, std::string_view kind,
                 std::shared_ptr<const tenant_entry>& entry) const;
  void hooks_api(call_ctx& c) const;
  void node_events(net::http_request&& req, const net::request_info& info,
                   net::responder respond) const;
  /// Where node `node_id` delivers its events (as registered there).
  std::string node_events_url(const std::string& node_id) const;
  void join_failover(call_ctx& c, std::shared_ptr<const meeting_row> row) const;
  void send_join(const net::query& q, const meeting_row& row,
                 const node_info& info, net::io_shard* shard,
                 net::responder respond) const;

  std::shared_ptr<snapshot_slot<tenant_directory>> tenants_;
  std::shared_ptr<snapshot_slot<node_directory>> nodes_;
  api_settings settings_;
  std::function<net::io_shard&()> pool_next_;
  api_actors actors_;
};

} // namespace gw::api
