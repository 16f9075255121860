#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/console_actor.hpp"
#include "actors/tenant_directory.hpp"
#include "actors/tenants_actor.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"

namespace gw::api {

/// What the console needs to know of the platform.
struct console_settings {
  std::string public_url;
  std::chrono::minutes session_length{60};
  /// Platform default texts (shown beside the tenant's behaviour).
  chat_texts platform_texts;
  /// Where the usage history is read, and the API minute it is counted in.
  store_actor store;
  double minute_ms = 60000;
  /// The operator view: the fleet (node states) and the stored forms of
  /// the admin token and console.operator_password (none: no operator
  /// sign-in).
  fleet_actor fleet;
  std::vector<std::string> operator_hashes;
};

/// The customer console at `/console/` (design.md §8, docs/console.md):
/// server-rendered pages (api/console_pages.cpp) that work without
/// JavaScript; sessions and the sign-in throttle are the console actor's,
/// changes go through the tenants supervisor like the admin API's.
class console_api : public std::enable_shared_from_this<console_api> {
public:
  console_api(caf::actor_system& sys, console_actor console,
              tenants_actor tenants,
              std::shared_ptr<snapshot_slot<tenant_directory>> directory,
              std::shared_ptr<snapshot_slot<node_directory>> nodes,
              console_settings settings);

  /// Adds `/console/` and everything under it.
  void add_routes(net::router& r);

  /// Handles a request under `/console/`.
  void handle(net::http_request&& req, const net::request_info& info,
              net::responder respond) const;

private:
  void login(net::http_request&& req, const net::request_info& info,
             net::responder respond) const;
  void signed_in(net::http_request&& req, const net::request_info& info,
                 net::responder respond, const console_session& s,
                 const std::string& token,
                 const std::shared_ptr<const tenant_entry>& entry) const;
  void operator_login(net::http_request&& req, const net::request_info& info,
                      net::responder respond) const;
  void operator_view(net::http_request&& req, const net::request_info& info,
                     net::responder respond, const console_session& s,
                     const std::string& token) const;
  void change(const std::string& tenant, tenant_patch patch,
              const net::request_info& info, net::responder respond,
              const std::string& done) const;

  caf::actor_system& sys_;
  console_actor console_;
  tenants_actor tenants_;
  std::shared_ptr<snapshot_slot<tenant_directory>> directory_;
  std::shared_ptr<snapshot_slot<node_directory>> nodes_;
  console_settings settings_;
  bool secure_cookie_ = false;
};

} // namespace gw::api
