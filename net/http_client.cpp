#include "net/http_client.hpp"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace gw::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct http_client::connection {
  explicit connection(asio::io_context& ioc) : stream(ioc) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

struct http_client::operation
  : std::enable_shared_from_this<http_client::operation> {
  http_client* owner;
  std::shared_ptr<bool> alive;
  url_parts ep;
  std::string key;
  http::request<http::string_body> req;
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
    conn = std::make_shared<connection>(owner->ioc_);
    resolver.emplace(owner->ioc_);
    resolver->async_resolve(
      ep.host, ep.port,
      [self = shared_from_this()](beast::error_code ec,
                                  tcp::resolver::results_type results) {
        if (ec)
          return self->finish(ec);
        self->conn->stream.expires_after(self->timeout);
        self->conn->stream.async_connect(results, [self](beast::error_code ec2,
                                                         const tcp::endpoint&) {
          if (ec2)
            return self->finish(ec2);
          beast::error_code ignored;
          self->conn->stream.socket().set_option(tcp::no_delay{true}, ignored);
          self->send();
        });
      });
  }

  void send() {
    conn->stream.expires_after(timeout);
    http::async_write(
      conn->stream, req,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec)
          return self->retry_or_finish(ec);
        self->parser.emplace();
        self->parser->body_limit(64 * 1024 * 1024);
        http::async_read(self->conn->stream, self->conn->buffer, *self->parser,
                         [self](beast::error_code ec2, std::size_t) {
                           if (ec2)
                             return self->retry_or_finish(ec2);
                           self->complete();
                         });
      });
  }

  void retry_or_finish(beast::error_code ec) {
    // A pooled connection the server already closed fails before any byte
    // of the answer; a fresh connection is then tried once.
    bool nothing_read = !parser || !parser->got_some();
    if (reused && nothing_read && ec != beast::error::timeout) {
      parser.reset();
      return connect();
    }
    finish(ec);
  }

  void complete() {
    auto res = parser->release();
    client_response out;
    out.status = res.result_int();
    out.location = std::string{res[http::field::location]};
    out.content_type = std::string{res[http::field::content_type]};
    out.body = std::move(res.body());
    if (res.keep_alive() && *alive)
      owner->put_idle(key, std::move(conn));
    auto cb = std::move(done);
    cb(std::move(out));
  }

  void finish(beast::error_code ec) {
    if (conn) {
      beast::error_code ignored;
      conn->stream.socket().close(ignored);
    }
    client_response out;
    out.ec = ec;
    auto cb = std::move(done);
    cb(std::move(out));
  }
};

http_client::http_client(asio::io_context& ioc)
  : ioc_(ioc), alive_(std::make_shared<bool>(true)) {}

http_client::~http_client() {
  *alive_ = false;
}

void http_client::request(const url_parts& ep, http::verb method,
                          std::string target, std::string body,
                          std::string content_type,
                          std::chrono::milliseconds timeout,
                          client_callback done) {
  auto op = std::make_shared<operation>();
  op->owner = this;
  op->alive = alive_;
  op->ep = ep;
  op->key = ep.host + ":" + ep.port;
  op->timeout = timeout;
  op->done = std::move(done);
  op->req = http::request<http::string_body>{method, target, 11};
  op->req.set(http::field::host,
              ep.port == "80" ? ep.host : ep.host + ":" + ep.port);
  op->req.set(http::field::user_agent, "bbbgate");
  op->req.keep_alive(true);
  if (!body.empty() || method == http::verb::post) {
    if (!content_type.empty())
      op->req.set(http::field::content_type, content_type);
    op->req.body() = std::move(body);
    op->req.prepare_payload();
  }
  if (ep.tls) {
    client_response out;
    out.ec = asio::error::operation_not_supported;
    op->done(std::move(out));
    return;
  }
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

} // namespace gw::net
