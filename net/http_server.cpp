#include "net/http_server.hpp"

#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "net/io_pool.hpp"

namespace gw::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class session : public std::enable_shared_from_this<session> {
public:
  session(tcp::socket&& socket, io_shard& shard,
          std::shared_ptr<const request_handler> handler,
          const server_limits& limits)
    : stream_(std::move(socket)), shard_(shard), handler_(std::move(handler)),
      limits_(limits) {}

  void start() {
    do_read();
  }

private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(limits_.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    stream_.expires_after(limits_.idle_timeout);
    http::async_read(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
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
      if (ec != beast::error::timeout && ec != asio::error::operation_aborted
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
    stream_.expires_never();
    auto self = shared_from_this();
    (*handler_)(std::move(req), info, [self](http_response&& res) {
      asio::post(
        self->stream_.get_executor(),
        [self, r = std::move(res)]() mutable { self->write(std::move(r)); });
    });
  }

  void write(http_response&& res) {
    if (res.result_int() == 0)
      return do_close();
    res.version(version_);
    res.keep_alive(keep_alive_ && !close_after_);
    response_.emplace(std::move(res));
    stream_.expires_after(limits_.idle_timeout);
    http::async_write(
      stream_, *response_,
      beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    bool keep = response_ && response_->keep_alive();
    response_.reset();
    if (ec || !keep)
      return do_close();
    do_read();
  }

  void do_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  io_shard& shard_;
  std::shared_ptr<const request_handler> handler_;
  server_limits limits_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http_response> response_;
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
