#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/http_server.hpp"

namespace gw::net {

/// Routes requests by path: a route is data (how it matches, the path, the
/// handler), so every endpoint family registers its own routes and the
/// table shows what the server serves. Exact routes win over prefixes; the
/// longest prefix wins among prefixes; anything else goes to the fallback.
class router {
public:
  enum class match { exact, prefix };

  struct route {
    match kind = match::exact;
    std::string path;
    request_handler handler;
  };

  /// Adds a route.
  router& add(match kind, std::string path, request_handler handler);

  /// Sets the handler of requests no route matches.
  router& fallback(request_handler handler);

  /// Returns the route for `path`, or null (the fallback applies).
  const route* find(std::string_view path) const;

  /// Handles one request (see request_handler). An absolute-form target
  /// is turned into origin form first, its authority becoming the Host.
  void handle(http_request&& req, const request_info& info,
              responder respond) const;

  /// Returns every route, in the order added.
  const std::vector<route>& routes() const {
    return routes_;
  }

private:
  std::vector<route> routes_;
  request_handler fallback_;
};

/// Returns the origin form (`/path?query`) of a request target: an
/// absolute-form target (`http://host/path?query`, which RFC 9112 says a
/// server must accept) loses its scheme and authority; `authority` gets
/// the authority (empty for an origin-form target).
std::string origin_form(std::string_view target,
                        std::string* authority = nullptr);

/// Returns a Host header's name as hosts are compared: lowercase, without
/// port and without a trailing dot.
std::string normalize_host(std::string_view host);

/// Returns the path of a request target (without its query).
std::string_view target_path(std::string_view target);

/// Returns the raw query of a request target (empty when none).
std::string_view target_query(std::string_view target);

} // namespace gw::net
