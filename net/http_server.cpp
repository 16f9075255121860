#include "net/http_server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <list>
#include <optional>
#include <vector>

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
#include <sys/resource.h>

#include "net/io_pool.hpp"
#include "net/log_limit.hpp"

namespace gw::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class session;

/// The inbound connections of one server: how many are open (any thread),
/// and per shard the ones waiting for their client, oldest first (each list
/// touched only on its shard's thread), so the cap closes those first.
struct conn_registry {
  explicit conn_registry(std::size_t shards) : idle(shards) {}
  std::atomic<std::size_t> open{0};
  std::vector<std::list<std::weak_ptr<session>>> idle;
};

/// One inbound connection. Idle and write timeouts use one lazily re-armed
/// timer per connection (armed once per timeout period, not per request: a
/// timer per read and write cost a system call each on the hot path).
/// Responses are serialised into one head string and written with the body
/// in a single gather write.
class session : public std::enable_shared_from_this<session> {
public:
  /// Takes over a connection already counted in `registry->open`.
  session(tcp::socket&& socket, io_shard& shard,
          std::shared_ptr<const request_handler> handler,
          const server_limits& limits, std::shared_ptr<conn_registry> registry)
    : socket_(std::move(socket)), timer_(socket_.get_executor()), shard_(shard),
      handler_(std::move(handler)), limits_(limits),
      registry_(std::move(registry)) {}

  ~session() {
    if (!closed_)
      registry_->open.fetch_sub(1, std::memory_order_relaxed);
  }

  /// Runs on the shard's thread.
  void start() {
    boost::system::error_code peer_error;
    auto peer = socket_.remote_endpoint(peer_error);
    if (!peer_error)
      remote_ = peer.address().to_string();
    arm_timer(limits_.idle_timeout);
    do_read();
  }

  /// Closes up to `n` of `shard`'s idle connections, oldest first; runs on
  /// that shard's thread.
  static void close_oldest_idle(conn_registry& reg, std::size_t shard,
                                std::size_t n) {
    auto& idle = reg.idle[shard];
    while (n > 0 && !idle.empty()) {
      auto s = idle.front().lock();
      idle.pop_front();
      if (!s)
        continue;
      s->listed_ = false;
      s->do_close();
      --n;
    }
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

  /// Waiting for the client: last in line to be closed at the cap.
  void mark_idle() {
    unlist();
    auto& idle = registry_->idle[shard_.index];
    listed_at_ = idle.insert(idle.end(), weak_from_this());
    listed_ = true;
  }

  void unlist() {
    if (!listed_)
      return;
    registry_->idle[shard_.index].erase(listed_at_);
    listed_ = false;
  }

  void do_read() {
    mark_idle();
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
    info.remote = remote_;
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
    unlist();
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
    unlist();
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
    unlist();
    registry_->open.fetch_sub(1, std::memory_order_relaxed);
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
    timer_.cancel();
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  io_shard& shard_;
  /// The peer's address (request_info::remote).
  std::string remote_;
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
  std::shared_ptr<conn_registry> registry_;
  std::list<std::weak_ptr<session>>::iterator listed_at_;
  bool listed_ = false;
};

/// Accept errors that mean "out of descriptors or memory": retrying at once
/// would spin.
bool is_resource_error(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec.value() == ENFILE
         || ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

} // namespace

std::size_t default_max_connections() {
  rlimit rl{};
  rlim_t soft = 1024;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
    soft = rl.rlim_cur == RLIM_INFINITY
             ? (rlim_t{1} << 20)
             : std::min(rl.rlim_cur, rlim_t{1} << 20);
  auto n = static_cast<std::size_t>(soft);
  auto reserve = std::clamp<std::size_t>(n / 8, 32, 4096);
  return n > reserve + 8 ? n - reserve : 8;
}

struct http_server::impl : std::enable_shared_from_this<impl> {
  impl(io_pool& p, request_handler h, server_limits l)
    : pool(p), handler(std::make_shared<const request_handler>(std::move(h))),
      limits(l), registry(std::make_shared<conn_registry>(p.size())),
      acceptor(p.shard(0).ioc), pause(p.shard(0).ioc) {
    if (limits.max_connections == 0)
      limits.max_connections = default_max_connections();
    slack = std::max<std::size_t>(8, limits.max_connections / 16);
  }

  void accept() {
    auto& target = pool.next();
    acceptor.async_accept(target.ioc,
                          [self = shared_from_this(),
                           &target](beast::error_code ec, tcp::socket socket) {
                            if (ec)
                              return self->on_accept_error(ec);
                            self->backoff = std::chrono::milliseconds{0};
                            self->admit(std::move(socket), target);
                            self->accept();
                          });
  }

  /// Serves a new connection; at the cap the oldest idle ones make room,
  /// and only when all are busy beyond the slack is it refused.
  void admit(tcp::socket socket, io_shard& target) {
    auto cap = limits.max_connections;
    auto n = registry->open.fetch_add(1, std::memory_order_relaxed) + 1;
    if (n > cap + slack) {
      registry->open.fetch_sub(1, std::memory_order_relaxed);
      beast::error_code ignored;
      socket.close(ignored);
      GW_LOG_LIMITED(warn,
                     "connection refused: {} open, all busy (cap {} + {})",
                     n - 1, cap, slack);
      return close_idle(1);
    }
    // One out for each one in above the cap (closes still under way count
    // as open, so closing the whole excess each time would close too many).
    if (n > cap)
      close_idle(1);
    beast::error_code ignored;
    socket.set_option(tcp::no_delay{true}, ignored);
    auto s = std::make_shared<session>(std::move(socket), target, handler,
                                       limits, registry);
    asio::post(target.ioc, [s] { s->start(); });
  }

  /// Out of descriptors (EMFILE/ENFILE) or memory: close the oldest idle
  /// connections and pause accepting (10 ms, doubling to 1 s) instead of
  /// retrying at once, which would spin a core and flood the log.
  void on_accept_error(const beast::error_code& ec) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open())
      return;
    if (!is_resource_error(ec)) {
      GW_LOG_LIMITED(warn, "accept failed: {}", ec.message());
      return accept();
    }
    backoff = std::min(std::chrono::milliseconds{1000},
                       std::max(std::chrono::milliseconds{10}, backoff * 2));
    auto open = registry->open.load(std::memory_order_relaxed);
    GW_LOG_LIMITED(warn,
                   "accept failed: {} ({} connections open); closing the "
                   "oldest idle ones, accepting again in {} ms",
                   ec.message(), open, backoff.count());
    close_idle(std::max<std::size_t>(8, open / 64));
    pause.expires_after(backoff);
    pause.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e)
        self->accept();
    });
  }

  /// Asks every shard to close its share of `n` idle connections, oldest
  /// first.
  void close_idle(std::size_t n) {
    auto shards = pool.size();
    auto each = (n + shards - 1) / shards;
    for (std::size_t i = 0; i < shards; ++i)
      asio::post(pool.shard(i).ioc, [reg = registry, i, each] {
        session::close_oldest_idle(*reg, i, each);
      });
  }

  io_pool& pool;
  std::shared_ptr<const request_handler> handler;
  server_limits limits;
  std::shared_ptr<conn_registry> registry;
  std::size_t slack = 8;
  tcp::acceptor acceptor;
  asio::steady_timer pause;
  std::chrono::milliseconds backoff{0};
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
    self->pause.cancel();
  });
}

std::size_t http_server::max_connections() const {
  return impl_->limits.max_connections;
}

std::size_t http_server::open_connections() const {
  return impl_->registry->open.load(std::memory_order_relaxed);
}

} // namespace gw::net
