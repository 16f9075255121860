#include "net/http_server.hpp"

#include <array>
#include <optional>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <spdlog/spdlog.h>

#include "net/io_pool.hpp"

namespace gw::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

/// One inbound connection. Idle and write timeouts use one lazily re-armed
/// timer per connection (armed once per timeout period, not per request: a
/// timer per read and write cost a system call each on the hot path).
/// Responses are serialised into one head string and written with the body
/// in a single gather write.
class session : public std::enable_shared_from_this<session> {
public:
  session(tcp::socket&& socket, io_shard& shard,
          std::shared_ptr<const request_handler> handler,
          const server_limits& limits)
    : socket_(std::move(socket)), timer_(socket_.get_executor()), shard_(shard),
      handler_(std::move(handler)), limits_(limits) {}

  void start() {
    arm_timer(limits_.idle_timeout);
    do_read();
  }

private:
  using clock = std::chrono::steady_clock;

  void arm_timer(clock::duration after) {
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      self->on_timer(ec);
    });
  }

  /// Closes a connection that has waited for the client (a request to
  /// arrive, or an answer to be taken) longer than the idle timeout; a
  /// request the gateway is still working on does not count as idle.
  void on_timer(beast::error_code ec) {
    if (ec || closed_)
      return;
    if (busy_)
      return arm_timer(limits_.idle_timeout);
    auto due = last_activity_ + limits_.idle_timeout;
    auto now = clock::now();
    if (now < due)
      return arm_timer(due - now);
    do_close();
  }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(limits_.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    last_activity_ = clock::now();
    http::async_read(
      socket_, buffer_, *parser_,
      beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (closed_)
      return;
    if (ec == http::error::end_of_stream || ec == asio::error::eof)
      return do_close();
    request_info info;
    info.shard = &shard_;
    if (ec == http::error::body_limit) {
      info.body_too_large = true;
      close_after_ = true;
    } else if (ec == http::error::header_limit) {
      close_after_ = true;
      return write(make_response(431, "text/plain", "header too large\n"));
    } else if (ec) {
      if (ec != asio::error::operation_aborted
          && ec != asio::error::connection_reset
          && ec != http::error::partial_message) {
        close_after_ = true;
        if (parser_->is_header_done() || buffer_.size() > 0)
          return write(make_response(400, "text/plain", "bad request\n"));
      }
      return do_close();
    }
    http_request req = info.body_too_large
                         ? http_request{parser_->get().base(), std::string{}}
                         : parser_->release();
    keep_alive_ = req.keep_alive() && !close_after_;
    version_ = req.version();
    busy_ = true;
    auto self = shared_from_this();
    // An answer given on this io thread (the hot paths) is written at once;
    // one from an actor thread is posted here.
    (*handler_)(std::move(req), info, [self](http_response&& res) {
      asio::dispatch(
        self->socket_.get_executor(),
        [self, r = std::move(res)]() mutable { self->write(std::move(r)); });
    });
  }

  void write(http_response&& res) {
    busy_ = false;
    if (closed_)
      return;
    if (res.result_int() == 0)
      return do_close();
    res.version(version_);
    res.keep_alive(keep_alive_ && !close_after_);
    response_.emplace(std::move(res));
    serialize_head(*response_, head_);
    last_activity_ = clock::now();
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_),
                                              asio::buffer(response_->body())};
    asio::async_write(
      socket_, buffers,
      beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    bool keep = response_ && response_->keep_alive();
    response_.reset();
    if (ec || !keep || closed_)
      return do_close();
    do_read();
  }

  void do_close() {
    if (closed_)
      return;
    closed_ = true;
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
    timer_.cancel();
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  io_shard& shard_;
  std::shared_ptr<const request_handler> handler_;
  server_limits limits_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http_response> response_;
  std::string head_;
  clock::time_point last_activity_ = clock::now();
  bool busy_ = false;
  bool closed_ = false;
  bool keep_alive_ = true;
  bool close_after_ = false;
  unsigned version_ = 11;
};

} // namespace

struct http_server::impl : std::enable_shared_from_this<impl> {
  impl(io_pool& p, request_handler h, server_limits l)
    : pool(p), handler(std::make_shared<const request_handler>(std::move(h))),
      limits(l), acceptor(p.shard(0).ioc) {}

  void accept() {
    auto& target = pool.next();
    acceptor.async_accept(
      target.ioc, [self = shared_from_this(), &target](beast::error_code ec,
                                                       tcp::socket socket) {
        if (ec) {
          if (ec == asio::error::operation_aborted || !self->acceptor.is_open())
            return;
          spdlog::warn("accept failed: {}", ec.message());
        } else {
          beast::error_code ignored;
          socket.set_option(tcp::no_delay{true}, ignored);
          std::make_shared<session>(std::move(socket), target, self->handler,
                                    self->limits)
            ->start();
        }
        self->accept();
      });
  }

  io_pool& pool;
  std::shared_ptr<const request_handler> handler;
  server_limits limits;
  tcp::acceptor acceptor;
  uint16_t bound_port = 0;
};

http_server::http_server(io_pool& pool, request_handler handler,
                         server_limits limits)
  : impl_(std::make_shared<impl>(pool, std::move(handler), limits)) {}

http_server::~http_server() {
  close();
}

std::string http_server::listen(const std::string& host, uint16_t port) {
  beast::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec)
    return "invalid listen address '" + host + "'";
  tcp::endpoint ep{addr, port};
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec)
    acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acc.bind(ep, ec);
  if (!ec)
    acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return "cannot listen on " + host + ":" + std::to_string(port) + ": "
           + ec.message();
  impl_->bound_port = acc.local_endpoint().port();
  asio::post(acc.get_executor(), [self = impl_] { self->accept(); });
  return {};
}

uint16_t http_server::port() const {
  return impl_->bound_port;
}

void http_server::close() {
  auto self = impl_;
  asio::post(self->acceptor.get_executor(), [self] {
    beast::error_code ec;
    self->acceptor.close(ec);
  });
}

} // namespace gw::net
