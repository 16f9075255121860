// The outbound client against real loopback servers: keep-alive reuse, TLS
// verification, in-flight bound.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <random>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/verb.hpp>
#include <gtest/gtest.h>

#include "net/checksum.hpp"
#include "net/http_client.hpp"
#include "net/io_pool.hpp"
#include "sim/sim_server.hpp"
#include "tests/scratch_dir.hpp"

using namespace gw;
using namespace std::chrono_literals;

namespace {

class HttpClient : public ::testing::Test {
protected:
  net::io_pool pool_{1};
  sim::sim_server sim_{"s"};

  void SetUp() override {
    ASSERT_EQ(sim_.start("127.0.0.1", 0), "");
    pool_.start();
  }

  net::client_response call(const std::string& url, const std::string& target) {
    url_parts ep;
    EXPECT_TRUE(parse_url(url, ep));
    std::promise<net::client_response> done;
    auto& shard = pool_.shard(0);
    boost::asio::post(shard.ioc, [&] {
      shard.client->request(
        ep, boost::beast::http::verb::get, target, "", "", 3s,
        [&](net::client_response&& r) { done.set_value(std::move(r)); });
    });
    return done.get_future().get();
  }

  std::string base() {
    return "http://127.0.0.1:" + std::to_string(sim_.port()) + "/";
  }
};

} // namespace

TEST_F(HttpClient, ReusesKeepAliveConnections) {
  for (int i = 0; i < 3; ++i) {
    auto r = call(base(), "/bigbluebutton/api");
    EXPECT_FALSE(r.ec);
    EXPECT_EQ(r.status, 200u);
  }
  std::promise<std::size_t> idle;
  boost::asio::post(pool_.shard(0).ioc, [&] {
    idle.set_value(pool_.shard(0).client->idle_connections());
  });
  EXPECT_EQ(idle.get_future().get(), 1u);
}

TEST_F(HttpClient, HttpsToAPlainServerFailsCleanly) {
  auto url = "https://127.0.0.1:" + std::to_string(sim_.port()) + "/";
  auto r = call(url, "/bigbluebutton/api");
  EXPECT_TRUE(r.ec);
  EXPECT_EQ(r.status, 0u);
}

TEST_F(HttpClient, HttpsVerifiesTheCertificate) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "openssl command not installed";
  std::random_device rd;
  auto dir = gw::test::scratch_dir("bbbgate-tls");
  auto key = (dir / "key.pem").string();
  auto cert = (dir / "cert.pem").string();
  ASSERT_EQ(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 1 "
                         "-subj /CN=127.0.0.1 -keyout "
                         + key + " -out " + cert + " >/dev/null 2>&1")
                          .c_str()),
            0);
  // A TLS server with a self-signed certificate nobody trusts.
  uint16_t port = static_cast<uint16_t>(20000 + rd() % 20000);
  auto cmd = "openssl s_server -quiet -www -accept 127.0.0.1:"
             + std::to_string(port) + " -key " + key + " -cert " + cert
             + " >/dev/null 2>&1 & echo $! > " + (dir / "pid").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::this_thread::sleep_for(500ms);
  auto r = call("https://127.0.0.1:" + std::to_string(port) + "/", "/");
  std::system(("kill $(cat " + (dir / "pid").string() + ")").c_str());
  ASSERT_TRUE(r.ec);
  EXPECT_NE(r.ec.message().find("certificate verify failed"), std::string::npos)
    << r.ec.message();
}

TEST_F(HttpClient, ARequestNotAnsweredInTimeFailsWithTimeout) {
  // A listener that accepts and never answers.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor silent{
    ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  auto port = silent.local_endpoint().port();
  url_parts ep;
  ASSERT_TRUE(parse_url("http://127.0.0.1:" + std::to_string(port) + "/", ep));
  std::promise<net::client_response> done;
  auto& shard = pool_.shard(0);
  auto t0 = std::chrono::steady_clock::now();
  boost::asio::post(shard.ioc, [&] {
    shard.client->request(
      ep, boost::beast::http::verb::get, "/never", "", "", 300ms,
      [&](net::client_response&& r) { done.set_value(std::move(r)); });
  });
  auto r = done.get_future().get();
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.ec, boost::beast::error::timeout) << r.ec.message();
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 3s);
}

TEST_F(HttpClient, BusyConnectionOutlivesOneTimeoutPeriodWhenAnswered) {
  // Requests spread over more than one timeout period on one pooled
  // connection: the lazily re-armed timer must not fire on an answered one.
  for (int i = 0; i < 4; ++i) {
    url_parts ep;
    ASSERT_TRUE(parse_url(base(), ep));
    std::promise<net::client_response> done;
    auto& shard = pool_.shard(0);
    boost::asio::post(shard.ioc, [&] {
      shard.client->request(
        ep, boost::beast::http::verb::get, "/bigbluebutton/api", "", "", 200ms,
        [&](net::client_response&& r) { done.set_value(std::move(r)); });
    });
    auto r = done.get_future().get();
    EXPECT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.status, 200u);
    std::this_thread::sleep_for(120ms);
  }
}
