#pragma once

#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"

namespace gw::api {

/// The admin HTTP API (docs/admin-api.md): JSON, bearer token, node
/// listing and runtime changes through the fleet actor. Errors are core's
/// codes, answered with their HTTP status (core/ec.cpp).
class admin_api : public std::enable_shared_from_this<admin_api> {
public:
  admin_api(caf::actor_system& sys, fleet_actor fleet,
            std::shared_ptr<snapshot_slot<node_directory>> nodes,
            std::string token);

  /// Adds `/admin/` (everything under it needs the bearer token).
  void add_routes(net::router& r);

  /// Handles a request under `/admin/`.
  void handle(net::http_request&& req, const net::request_info& info,
              net::responder respond) const;

private:
  void nodes(net::http_request&& req, const net::request_info& info,
             net::responder respond, const std::string& id) const;
  void list(const net::request_info& info, net::responder respond,
            std::string only) const;

  caf::actor_system& sys_;
  fleet_actor fleet_;
  std::shared_ptr<snapshot_slot<node_directory>> nodes_;
  std::string token_;
};

} // namespace gw::api
