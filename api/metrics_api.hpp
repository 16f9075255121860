#pragma once

#include <functional>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/fleet_actor.hpp"
#include "actors/relay_actor.hpp"
#include "actors/tenant_directory.hpp"
#include "actors/tenants_actor.hpp"
#include "api/api_metrics.hpp"
#include "core/metrics.hpp"
#include "core/snapshot_slot.hpp"
#include "net/router.hpp"

namespace gw::api {

/// Where a scrape reads what it shows.
struct metrics_sources {
  fleet_actor fleet;
  tenants_actor tenants;
  relay_actor relay;
  std::shared_ptr<snapshot_slot<node_directory>> nodes;
  std::shared_ptr<snapshot_slot<tenant_directory>> tenant_dir;
  std::shared_ptr<api_metrics> api;
  /// The store's commit durations (written by the store actor only).
  std::shared_ptr<store_metrics> store;
  /// Inbound connections open now.
  std::function<std::size_t()> open_connections;
  std::string version;
  /// `metrics.token` (empty: no token asked).
  std::string token;
};

/// `GET /metrics`: the Prometheus text format (design.md §9): the API's
/// per-thread counters added up, nodes' and tenants' state from the
/// actors (one question each per scrape, never per request), the relay's
/// and the store's figures. docs/operations.md lists every family.
class metrics_api : public std::enable_shared_from_this<metrics_api> {
public:
  metrics_api(caf::actor_system& sys, metrics_sources sources);

  void add_routes(net::router& r);

private:
  void scrape(const net::request_info& info, net::responder respond) const;

  caf::actor_system& sys_;
  metrics_sources src_;
};

} // namespace gw::api
