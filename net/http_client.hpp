#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/error_code.hpp>

#include "core/url.hpp"

namespace gw::net {

/// What came back from an outbound request.
struct client_response {
  /// Set when no complete response arrived (connect, timeout, reset).
  boost::system::error_code ec;
  unsigned status = 0;
  std::string body;
  std::string location;
  std::string content_type;
};

/// Completion of an outbound request; runs on the client's io thread.
using client_callback = std::function<void(client_response&&)>;

/// An outbound HTTP/1.1 client with a keep-alive pool per host. One client
/// belongs to one io thread: call it only from that thread (post to it).
class http_client {
public:
  explicit http_client(boost::asio::io_context& ioc);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// Sends a request to `ep` and calls `done` with the result. `target` is
  /// the full path and query. Reused idle connections that turn out closed
  /// are retried once on a fresh connection.
  void request(const url_parts& ep, boost::beast::http::verb method,
               std::string target, std::string body, std::string content_type,
               std::chrono::milliseconds timeout, client_callback done,
               std::string_view extra_headers = {});

  /// Returns the number of idle pooled connections.
  std::size_t idle_connections() const;

  /// The most idle connections kept per host.
  static constexpr std::size_t max_idle_per_host = 64;

  /// The most requests under way to one host from this io thread; more
  /// fail at once (the node is not answering fast enough).
  static constexpr std::size_t max_in_flight_per_host = 512;

  /// Returns the requests under way to `host:port`.
  std::size_t in_flight(const std::string& key) const;

  struct connection;
  struct operation;

private:
  friend struct operation;
  std::shared_ptr<connection> take_idle(const std::string& key);
  void put_idle(const std::string& key, std::shared_ptr<connection> c);

  boost::asio::io_context& ioc_;
  boost::asio::ssl::context tls_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<connection>>>
    idle_;
  std::unordered_map<std::string, std::size_t> in_flight_;
  std::shared_ptr<bool> alive_;
};

} // namespace gw::net
