#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/http_types.hpp"

namespace gw::net {

class io_pool;
struct io_shard;

/// Limits applied to every inbound connection.
struct server_limits {
  std::size_t body_limit = 4 * 1024 * 1024;
  std::size_t header_limit = 32 * 1024;
  std::chrono::milliseconds idle_timeout{30000};
  /// Open inbound connections at most; 0: default_max_connections(). At
  /// the cap a new connection is still served and the oldest idle ones
  /// (waiting for their client) are closed; only when a further
  /// `max_connections / 16` (at least 8) are all busy is a new one refused.
  std::size_t max_connections = 0;
};

/// The connection cap that leaves room under RLIMIT_NOFILE for node
/// connections, the database and logs: the soft limit less an eighth
/// (at least 32, at most 4,096 descriptors kept back).
std::size_t default_max_connections();

/// What a handler learns about a request besides the message itself.
struct request_info {
  /// The io shard the connection lives on (its thread runs the handler).
  io_shard* shard = nullptr;
  /// The body exceeded `server_limits::body_limit`; the body is empty and
  /// the connection closes after the answer.
  bool body_too_large = false;
  /// The client's address (the peer of the connection), for per-address
  /// limits such as the console's sign-in throttle.
  std::string remote;
};

/// Handles one request; must not block. Answers through `respond`.
using request_handler = std::function<void(
  http_request&& req, const request_info& info, responder respond)>;

/// A Beast HTTP/1.1 server: keep-alive, one request at a time per
/// connection, body and header limits, idle timeouts. Connections are spread
/// over the io pool's shards.
class http_server {
public:
  http_server(io_pool& pool, request_handler handler, server_limits limits);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds and starts accepting. Returns an error text, empty on success.
  std::string listen(const std::string& host, uint16_t port);

  /// Returns the bound port (useful after binding port 0).
  uint16_t port() const;

  /// Stops accepting new connections.
  void close();

  /// Returns the connection cap in force (after listen()).
  std::size_t max_connections() const;

  /// Returns the inbound connections open now.
  std::size_t open_connections() const;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace gw::net
