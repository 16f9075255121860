#pragma once

#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"
#include "net/http_server.hpp"

namespace gw::net {

/// The admin HTTP API (docs/admin-api.md): JSON, bearer token, node
/// listing and runtime changes through the fleet actor.
class admin_api {
public:
  admin_api(caf::actor_system& sys, fleet_actor fleet,
            std::shared_ptr<snapshot_slot<node_directory>> nodes,
            std::string token);

  /// Handles a request under `/admin/`.
  void handle(http_request&& req, const request_info& info,
              responder respond) const;

private:
  void list(const request_info& info, responder respond,
            std::string only) const;

  caf::actor_system& sys_;
  fleet_actor fleet_;
  std::shared_ptr<snapshot_slot<node_directory>> nodes_;
  std::string token_;
};

} // namespace gw::net
