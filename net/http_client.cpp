#include "net/http_client.hpp"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/ssl.hpp>

namespace gw::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
namespace ssl = asio::ssl;

namespace {
using clock = std::chrono::steady_clock;
/// Bytes each pooled connection reads at most per system call.
constexpr std::size_t read_buffer_bytes = 16 * 1024;

} // namespace

/// One pooled connection: plain TCP, or TLS over TCP. Request timeouts use
/// one lazily re-armed timer per connection (armed about once per timeout
/// period, not per request: a timer per request cost system calls on the
/// hot path); the stream's own expiry is used only while connecting.
struct http_client::connection
  : std::enable_shared_from_this<http_client::connection> {
  connection(asio::io_context& ioc, ssl::context* tls_ctx) : timer(ioc) {
    // Beast reads min(512, free capacity) bytes at a time, and a body's bytes
    // are consumed as they are parsed, so an empty buffer never grows: a
    // 100 KB recordings page took some 200 reads on the io thread.
    buffer.reserve(read_buffer_bytes);
    if (tls_ctx != nullptr)
      tls =
        std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *tls_ctx);
    else
      plain = std::make_unique<beast::tcp_stream>(ioc);
  }

  beast::tcp_stream& tcp() {
    return tls ? beast::get_lowest_layer(*tls) : *plain;
  }

  /// Calls `f` with the stream HTTP runs on.
  template <class F>
  void visit(F&& f) {
    if (tls)
      f(*tls);
    else
      f(*plain);
  }

  /// A request is under way and must be answered by `timeout` from now.
  void begin(std::chrono::milliseconds timeout) {
    deadline = clock::now() + timeout;
    busy = true;
    timed_out = false;
    // The timer stays armed across requests; a request with a shorter
    // timeout than the one it is armed for re-arms it (a 300 ms poll after
    // a 10 s call on the same connection must not wait 10 s).
    if (!timer_armed || deadline < armed_at)
      arm(deadline);
  }

  /// The request is answered (or failed).
  void end() {
    busy = false;
  }

  void arm(clock::time_point at) {
    timer_armed = true;
    armed_at = at;
    // expires_at cancels a wait still pending: its handler sees another
    // generation and leaves the timer to the new wait.
    auto gen = ++timer_gen;
    timer.expires_at(at);
    timer.async_wait([weak = weak_from_this(), gen](beast::error_code ec) {
      auto self = weak.lock();
      if (!self || gen != self->timer_gen)
        return;
      self->timer_armed = false;
      if (ec || !self->busy)
        return;
      if (clock::now() < self->deadline)
        return self->arm(self->deadline);
      // Overdue: closing the socket fails the pending read or write.
      self->timed_out = true;
      beast::error_code ignored;
      self->tcp().socket().close(ignored);
    });
  }

  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  asio::steady_timer timer;
  clock::time_point deadline;
  /// When the armed timer fires, and which arm() set it.
  clock::time_point armed_at;
  uint64_t timer_gen = 0;
  bool busy = false;
  bool timer_armed = false;
  bool timed_out = false;
};

struct http_client::operation
  : std::enable_shared_from_this<http_client::operation> {
  http_client* owner;
  std::shared_ptr<bool> alive;
  url_parts ep;
  std::string key;
  /// The whole request as it goes on the wire.
  std::string wire;
  std::chrono::milliseconds timeout;
  client_callback done;
  std::shared_ptr<connection> conn;
  bool reused = false;
  std::optional<http::response_parser<http::string_body>> parser;
  std::optional<tcp::resolver> resolver;

  void start() {
    conn = owner->take_idle(key);
    if (conn) {
      reused = true;
      send();
    } else {
      connect();
    }
  }

  void connect() {
    reused = false;
    conn = std::make_shared<connection>(owner->ioc_,
                                        ep.tls ? &owner->tls_ : nullptr);
    if (conn->tls) {
      // SNI and certificate checks against the node's host name.
      // SSL_set_tlsext_host_name() is a macro with a C cast; spelled out.
      SSL_ctrl(conn->tls->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
               TLSEXT_NAMETYPE_host_name,
               static_cast<void*>(const_cast<char*>(ep.host.c_str())));
      conn->tls->set_verify_callback(ssl::host_name_verification(ep.host));
    }
    resolver.emplace(owner->ioc_);
    resolver->async_resolve(
      ep.host, ep.port,
      [self = shared_from_this()](beast::error_code ec,
                                  tcp::resolver::results_type results) {
        if (ec)
          return self->finish(ec);
        self->conn->tcp().expires_after(self->timeout);
        self->conn->tcp().async_connect(results, [self](beast::error_code ec2,
                                                        const tcp::endpoint&) {
          if (ec2)
            return self->finish(ec2);
          beast::error_code ignored;
          self->conn->tcp().socket().set_option(tcp::no_delay{true}, ignored);
          if (!self->conn->tls) {
            self->conn->tcp().expires_never();
            return self->send();
          }
          self->conn->tls->async_handshake(ssl::stream_base::client,
                                           [self](beast::error_code ec3) {
                                             if (ec3)
                                               return self->finish(ec3);
                                             self->conn->tcp().expires_never();
                                             self->send();
                                           });
        });
      });
  }

  void send() {
    conn->begin(timeout);
    auto self = shared_from_this();
    conn->visit([self](auto& stream) {
      asio::async_write(stream, asio::buffer(self->wire),
                        [self, &stream](beast::error_code ec, std::size_t) {
                          if (ec)
                            return self->retry_or_finish(ec);
                          self->parser.emplace();
                          self->parser->body_limit(64 * 1024 * 1024);
                          http::async_read(
                            stream, self->conn->buffer, *self->parser,
                            [self](beast::error_code ec2, std::size_t) {
                              if (ec2)
                                return self->retry_or_finish(ec2);
                              self->complete();
                            });
                        });
    });
  }

  void retry_or_finish(beast::error_code ec) {
    if (conn && conn->timed_out)
      return finish(beast::error::timeout);
    // A pooled connection the server already closed fails before any byte
    // of the answer; a fresh connection is then tried once.
    bool nothing_read = !parser || !parser->got_some();
    if (reused && nothing_read && ec != beast::error::timeout) {
      parser.reset();
      conn->end();
      return connect();
    }
    finish(ec);
  }

  void complete() {
    conn->end();
    auto res = parser->release();
    client_response out;
    out.status = res.result_int();
    out.location = std::string{res[http::field::location]};
    out.content_type = std::string{res[http::field::content_type]};
    out.body = std::move(res.body());
    if (*alive) {
      owner->in_flight_[key]--;
      if (res.keep_alive())
        owner->put_idle(key, std::move(conn));
    }
    auto cb = std::move(done);
    cb(std::move(out));
  }

  void finish(beast::error_code ec) {
    if (conn) {
      conn->end();
      beast::error_code ignored;
      conn->tcp().socket().close(ignored);
    }
    if (*alive)
      owner->in_flight_[key]--;
    client_response out;
    out.ec = ec;
    auto cb = std::move(done);
    cb(std::move(out));
  }
};

http_client::http_client(asio::io_context& ioc)
  : ioc_(ioc), tls_(ssl::context::tls_client),
    alive_(std::make_shared<bool>(true)) {
  // Nodes are verified against the system's trust store (ca-certificates).
  tls_.set_default_verify_paths();
  tls_.set_verify_mode(ssl::verify_peer);
}

http_client::~http_client() {
  *alive_ = false;
}

void http_client::request(const url_parts& ep, http::verb method,
                          std::string target, std::string body,
                          std::string content_type,
                          std::chrono::milliseconds timeout,
                          client_callback done,
                          std::string_view extra_headers) {
  auto op = std::make_shared<operation>();
  op->owner = this;
  op->alive = alive_;
  op->ep = ep;
  op->key = ep.host + ":" + ep.port;
  op->timeout = timeout;
  op->done = std::move(done);
  // The request as it goes on the wire, built once (Beast's serializer cost
  // more than the rest of a proxied call's own work).
  auto& w = op->wire;
  auto verb = http::to_string(method);
  w.reserve(target.size() + body.size() + ep.host.size() + 128);
  w.append(verb.data(), verb.size());
  w.push_back(' ');
  w.append(target);
  w.append(" HTTP/1.1\r\nHost: ");
  bool v6 = ep.host.find(':') != std::string::npos;
  if (v6)
    w.push_back('[');
  w.append(ep.host);
  if (v6)
    w.push_back(']');
  if (ep.port != (ep.tls ? "443" : "80")) {
    w.push_back(':');
    w.append(ep.port);
  }
  w.append("\r\nUser-Agent: bbbgate\r\n");
  // Extra headers: one `Name: value` per line; a line with a CR or without
  // a name is left out (no header injection).
  while (!extra_headers.empty()) {
    auto nl = extra_headers.find('\n');
    auto line = extra_headers.substr(0, nl);
    extra_headers = nl == std::string_view::npos ? std::string_view{}
                                                 : extra_headers.substr(nl + 1);
    auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos
        || line.find('\r') != std::string_view::npos)
      continue;
    w.append(line);
    w.append("\r\n");
  }
  if (!body.empty() || method == http::verb::post) {
    if (!content_type.empty()) {
      w.append("Content-Type: ");
      w.append(content_type);
      w.append("\r\n");
    }
    w.append("Content-Length: ");
    w.append(std::to_string(body.size()));
    w.append("\r\n");
  }
  w.append("\r\n");
  w.append(body);
  // A node that stops answering must not pile up requests without bound.
  auto& n = in_flight_[op->key];
  if (n >= max_in_flight_per_host) {
    client_response out;
    out.ec = asio::error::no_buffer_space;
    op->done(std::move(out));
    return;
  }
  ++n;
  op->start();
}

std::shared_ptr<http_client::connection>
http_client::take_idle(const std::string& key) {
  auto it = idle_.find(key);
  if (it == idle_.end() || it->second.empty())
    return nullptr;
  auto c = std::move(it->second.back());
  it->second.pop_back();
  return c;
}

void http_client::put_idle(const std::string& key,
                           std::shared_ptr<connection> c) {
  auto& list = idle_[key];
  if (list.size() < max_idle_per_host)
    list.push_back(std::move(c));
}

std::size_t http_client::idle_connections() const {
  std::size_t n = 0;
  for (const auto& [k, v] : idle_)
    n += v.size();
  return n;
}

std::size_t http_client::in_flight(const std::string& key) const {
  auto it = in_flight_.find(key);
  return it == in_flight_.end() ? 0 : it->second;
}

} // namespace gw::net
