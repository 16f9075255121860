#pragma once

#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"
#include "actors/password_actor.hpp"
#include "actors/tenants_actor.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"

namespace gw::api {

/// The admin HTTP API (docs/admin-api.md): JSON, bearer token, node
/// listing and runtime changes through the fleet actor. Errors are core's
/// codes, answered with their HTTP status (core/ec.cpp).
/// The actors the admin API sends to.
struct admin_actors {
  fleet_actor fleet;
  tenants_actor tenants;
  password_actor passwords;
  /// Reads usage rows.
  store_actor store;
  /// Length of one API minute in ms (usage is counted in API minutes).
  double minute_ms = 60000;
};

class admin_api : public std::enable_shared_from_this<admin_api> {
public:
  admin_api(caf::actor_system& sys, admin_actors actors,
            std::shared_ptr<snapshot_slot<node_directory>> nodes,
            std::shared_ptr<snapshot_slot<tenant_directory>> tenants,
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
  // Tenants (api/admin_tenants.cpp).
  void tenants(net::http_request&& req, const net::request_info& info,
               net::responder respond, const std::string& rest) const;
  void list_tenants(const net::request_info& info, net::responder respond,
                    std::string only) const;
  void add_tenant(net::http_request&& req, const net::request_info& info,
                  net::responder respond) const;
  void usage(const std::string& id, const net::http_request& req,
             const net::request_info& info, net::responder respond) const;
  void change_tenant(const std::string& id, tenant_patch patch,
                     std::string password, const net::request_info& info,
                     net::responder respond, unsigned ok_status) const;

  caf::actor_system& sys_;
  admin_actors actors_;
  std::shared_ptr<snapshot_slot<node_directory>> nodes_;
  std::shared_ptr<snapshot_slot<tenant_directory>> tenant_dir_;
  std::string token_;
};

} // namespace gw::api
