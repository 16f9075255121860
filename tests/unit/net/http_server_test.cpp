// The inbound server on loopback, driven over raw sockets so the bytes on
// the wire are what is checked: the response head it serialises itself,
// keep-alive, the lazily armed idle timeout, slow handlers, limits.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "net/http_server.hpp"
#include "net/io_pool.hpp"
#include "net/log_limit.hpp"

using namespace gw;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

/// A blocking loopback client reading raw bytes.
class raw_client {
public:
  explicit raw_client(uint16_t port) : socket_(ioc_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    // A server that never answers fails the test instead of hanging it.
    timeval tv{5, 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv,
               sizeof(tv));
  }

  void send(const std::string& bytes) {
    asio::write(socket_, asio::buffer(bytes));
  }

  /// Reads one response (head plus Content-Length bytes of body); bytes of
  /// a following response stay for the next call.
  std::string read_response() {
    std::string& out = pending_;
    char buf[4096];
    for (;;) {
      auto end = out.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        auto cl = out.find("Content-Length: ");
        if (cl != std::string::npos && cl < end)
          length = std::stoul(out.substr(cl + 16));
        if (out.size() >= end + 4 + length) {
          auto one = out.substr(0, end + 4 + length);
          out.erase(0, end + 4 + length);
          return one;
        }
      }
      boost::system::error_code ec;
      auto n = socket_.read_some(asio::buffer(buf), ec);
      if (ec)
        return std::exchange(out, std::string{});
      out.append(buf, n);
    }
  }

  /// True when the server closed the connection (read sees EOF).
  bool closed_by_server() {
    char c;
    boost::system::error_code ec;
    socket_.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

private:
  asio::io_context ioc_;
  tcp::socket socket_;
  std::string pending_;
};

class HttpServer : public ::testing::Test {
protected:
  net::io_pool pool_{1};
  std::unique_ptr<net::http_server> server_;

  void serve(net::request_handler handler, net::server_limits limits = {}) {
    server_ =
      std::make_unique<net::http_server>(pool_, std::move(handler), limits);
    ASSERT_EQ(server_->listen("127.0.0.1", 0), "");
    pool_.start();
  }

  void TearDown() override {
    if (server_)
      server_->close();
    pool_.stop();
  }

  static net::request_handler echo_target() {
    return [](net::http_request&& req, const net::request_info&,
              net::responder respond) {
      respond(net::make_response(200, "text/plain", std::string{req.target()}));
    };
  }
};

} // namespace

TEST(HttpTypes, SerialisesHeadAsOnTheWire) {
  auto res = net::redirect_response("https://node.example/api/join?x=1");
  std::string head;
  net::serialize_head(res, head);
  EXPECT_EQ(head.rfind("HTTP/1.1 302 Found\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("\r\nLocation: https://node.example/api/join?x=1\r\n"),
            std::string::npos);
  EXPECT_NE(head.find("\r\nContent-Length: 0\r\n"), std::string::npos);
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n");
  // A response built without a length gets one.
  net::http_response bare{boost::beast::http::status::ok, 10};
  bare.body() = "hello";
  net::serialize_head(bare, head);
  EXPECT_EQ(head, "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n");
}

TEST_F(HttpServer, AnswersSeveralRequestsOnOneConnection) {
  serve(echo_target());
  raw_client c{server_->port()};
  for (int i = 0; i < 3; ++i) {
    auto target = "/call-" + std::to_string(i);
    c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    auto res = c.read_response();
    EXPECT_EQ(res.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << res;
    EXPECT_NE(res.find("Content-Type: text/plain\r\n"), std::string::npos);
    EXPECT_EQ(res.substr(res.size() - target.size()), target);
  }
}

TEST_F(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  serve(echo_target());
  raw_client c{server_->port()};
  c.send(
    "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  auto first = c.read_response();
  auto second = c.read_response();
  EXPECT_EQ(first.substr(first.size() - 2), "/a") << first;
  EXPECT_EQ(second.substr(second.size() - 2), "/b") << second;
}

TEST_F(HttpServer, ConnectionCloseIsHonoured) {
  serve(echo_target());
  raw_client c{server_->port()};
  c.send("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto res = c.read_response();
  EXPECT_NE(res.find("Connection: close\r\n"), std::string::npos) << res;
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpServer, Http10GetsHttp10AndCloses) {
  serve(echo_target());
  raw_client c{server_->port()};
  c.send("GET /old HTTP/1.0\r\n\r\n");
  auto res = c.read_response();
  EXPECT_EQ(res.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << res;
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpServer, IdleConnectionIsClosedAfterTheTimeout) {
  net::server_limits limits;
  limits.idle_timeout = 300ms;
  serve(echo_target(), limits);
  raw_client c{server_->port()};
  // Activity keeps it open past one timeout period...
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(150ms);
    c.send("GET /k HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.read_response().rfind("HTTP/1.1 200", 0), 0u);
  }
  // ...and silence closes it.
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_server());
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 5s);
}

TEST_F(HttpServer, SlowHandlerIsNotTakenForIdle) {
  net::server_limits limits;
  limits.idle_timeout = 200ms;
  // The handler answers after twice the idle timeout, from another thread
  // (as an actor would).
  serve(
    [](net::http_request&&, const net::request_info&, net::responder respond) {
      std::thread([respond] {
        std::this_thread::sleep_for(450ms);
        respond(net::make_response(200, "text/plain", "late"));
      }).detach();
    },
    limits);
  raw_client c{server_->port()};
  c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  auto res = c.read_response();
  EXPECT_EQ(res.rfind("HTTP/1.1 200", 0), 0u) << res;
  EXPECT_EQ(res.substr(res.size() - 4), "late");
}

TEST_F(HttpServer, OversizedHeaderGets431) {
  net::server_limits limits;
  limits.header_limit = 1024;
  serve(echo_target(), limits);
  raw_client c{server_->port()};
  c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a')
         + "\r\n\r\n");
  auto res = c.read_response();
  EXPECT_EQ(res.rfind("HTTP/1.1 431", 0), 0u) << res;
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpServer, GarbageGets400AndClose) {
  serve(echo_target());
  raw_client c{server_->port()};
  c.send("NOT HTTP AT ALL\r\n\r\n");
  auto res = c.read_response();
  EXPECT_EQ(res.rfind("HTTP/1.1 400", 0), 0u) << res;
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpServer, OversizedBodyReachesTheHandlerFlagged) {
  net::server_limits limits;
  limits.body_limit = 16;
  serve(
    [](net::http_request&& req, const net::request_info& info,
       net::responder respond) {
      respond(net::make_response(
        200, "text/plain", info.body_too_large ? "too large" : req.body()));
    },
    limits);
  raw_client c{server_->port()};
  c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 64\r\n\r\n"
         + std::string(64, 'b'));
  auto res = c.read_response();
  EXPECT_EQ(res.substr(res.size() - 9), "too large") << res;
  EXPECT_TRUE(c.closed_by_server());
}

// At the connection cap a new client is still served: the oldest idle
// connections (waiting for their client) are closed to make room, so
// /healthz and the admin API stay reachable whatever idle clients hold.
TEST_F(HttpServer, AtTheCapTheOldestIdleConnectionsMakeRoom) {
  net::server_limits limits;
  limits.max_connections = 4;
  serve(echo_target(), limits);
  std::vector<std::unique_ptr<raw_client>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<raw_client>(server_->port()));
    // One request each, so they are known to be accepted in this order.
    idle.back()->send("GET /i HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(idle.back()->read_response().rfind("HTTP/1.1 200", 0), 0u);
  }
  EXPECT_EQ(server_->open_connections(), 4u);
  // Two newcomers that stay connected (idle in their turn after the answer).
  std::vector<std::unique_ptr<raw_client>> fresh;
  for (int i = 0; i < 2; ++i) {
    fresh.push_back(std::make_unique<raw_client>(server_->port()));
    fresh.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto res = fresh.back()->read_response();
    EXPECT_EQ(res.rfind("HTTP/1.1 200", 0), 0u) << res;
  }
  // The two oldest made room; the two newest idle ones are still served.
  EXPECT_TRUE(idle[0]->closed_by_server());
  EXPECT_TRUE(idle[1]->closed_by_server());
  for (std::size_t i = 2; i < 4; ++i) {
    idle[i]->send("GET /still HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(idle[i]->read_response().rfind("HTTP/1.1 200", 0), 0u) << i;
  }
  EXPECT_LE(server_->open_connections(), 4u);
}

// Connections that are all busy are not closed; beyond the slack a new one
// is refused instead of exceeding the descriptors the cap keeps back.
TEST_F(HttpServer, BusyConnectionsAreKeptAndNewOnesRefusedBeyondTheSlack) {
  net::server_limits limits;
  limits.max_connections = 2; // slack: 8
  std::vector<net::responder> held;
  std::mutex m;
  serve(
    [&](net::http_request&&, const net::request_info&, net::responder r) {
      std::lock_guard<std::mutex> lock(m);
      held.push_back(std::move(r));
    },
    limits);
  std::vector<std::unique_ptr<raw_client>> busy;
  for (int i = 0; i < 10; ++i) {
    busy.push_back(std::make_unique<raw_client>(server_->port()));
    busy.back()->send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard<std::mutex> lock(m);
      if (held.size() == 10)
        break;
    }
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(held.size(), 10u);
  raw_client refused{server_->port()};
  EXPECT_TRUE(refused.closed_by_server());
  std::lock_guard<std::mutex> lock(m);
  for (auto& r : held)
    r(net::make_response(200, "text/plain", "done"));
  for (auto& c : busy)
    EXPECT_EQ(c->read_response().rfind("HTTP/1.1 200", 0), 0u);
}

TEST(LogGate, LetsOneLineThroughPerIntervalAndCountsTheRest) {
  net::log_gate gate{std::chrono::milliseconds(200)};
  std::uint64_t suppressed = 99;
  EXPECT_TRUE(gate.allow(suppressed));
  EXPECT_EQ(suppressed, 0u);
  for (int i = 0; i < 1000; ++i)
    EXPECT_FALSE(gate.allow(suppressed));
  std::this_thread::sleep_for(250ms);
  EXPECT_TRUE(gate.allow(suppressed));
  EXPECT_EQ(suppressed, 1000u);
}
