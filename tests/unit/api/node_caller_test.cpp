// The production node caller against a simulated node over loopback: it
// honours each request's own timeout (a poll that answers after it counts
// as failed).
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <future>

#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "api/node_caller.hpp"
#include "net/node_api.hpp"
#include "sim/sim_server.hpp"

using namespace gw;
using namespace std::chrono_literals;

namespace {

class NodeCaller : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(sim_.start("127.0.0.1", 0), "");
    node_ = make_node_info("n1",
                           "http://127.0.0.1:" + std::to_string(sim_.port())
                             + "/bigbluebutton/",
                           "simsecret");
    pool_.start();
  }

  void TearDown() override {
    pool_.stop();
    background_.stop();
    sim_.stop();
  }

  /// Calls the node and waits for its answer (or the caller's verdict).
  node_response call(node_request req) {
    std::promise<node_response> got;
    auto fut = got.get_future();
    caller_(any_shard, node_, std::move(req),
            [&got](node_response&& r) { got.set_value(std::move(r)); });
    EXPECT_EQ(fut.wait_for(20s), std::future_status::ready);
    return fut.get();
  }

  /// The node answers every API call after `ms` milliseconds.
  void slow_down(int ms) {
    node_request req;
    req.target = "/_ctl/fail?mode=slow&delay_ms=" + std::to_string(ms);
    ASSERT_EQ(call(req).status, 200u);
  }

  sim::sim_server sim_{"simsecret"};
  net::io_pool pool_{1, "test-io"};
  net::io_pool background_{1, "test-bg", 10};
  node_caller caller_ = api::make_node_caller(pool_, &background_);
  std::shared_ptr<const node_info> node_;
};

} // namespace

TEST_F(NodeCaller, APollAnsweredInTimeIsUsable) {
  auto r = call(net::poll_request(*node_, 2000ms));
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_TRUE(net::parse_poll(r).ok);
}

TEST_F(NodeCaller, APollAnsweredAfterItsTimeoutIsAFailedPoll) {
  slow_down(1500);
  auto started = std::chrono::steady_clock::now();
  auto r = call(net::poll_request(*node_, 300ms));
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(r.error.empty());
  EXPECT_FALSE(net::parse_poll(r).ok);
  // The request's own timeout, not the 10 s default.
  EXPECT_LT(took, 1400ms);
  // With a timeout longer than the delay the same node answers.
  auto late = call(net::poll_request(*node_, 5000ms));
  EXPECT_TRUE(late.error.empty()) << late.error;
  EXPECT_TRUE(net::parse_poll(late).ok);
}

// Background reads (a reconciliation's pages) are made on the background
// pool's thread, at its lower priority; every other call on the client
// pool's. Without a background pool they go to any shard.
TEST_F(NodeCaller, BackgroundReadsRunOnTheBackgroundThread) {
  background_.start();
  auto where = [&](const node_caller& caller, int shard) {
    std::promise<std::pair<std::string, int>> got;
    auto fut = got.get_future();
    caller(
      shard, node_, net::poll_request(*node_, 2000ms), [&got](node_response&&) {
        char name[16] = {};
        pthread_getname_np(pthread_self(), name, sizeof name);
        errno = 0;
        int nice =
          getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)));
        got.set_value({name, nice});
      });
    EXPECT_EQ(fut.wait_for(20s), std::future_status::ready);
    return fut.get();
  };
  auto base = getpriority(PRIO_PROCESS, 0);
  auto bg = where(caller_, background_shard);
  EXPECT_EQ(bg.first, "test-bg-0");
  EXPECT_EQ(bg.second, std::min(base + 10, 19));
  auto fg = where(caller_, any_shard);
  EXPECT_EQ(fg.first, "test-io-0");
  EXPECT_EQ(fg.second, base);
  EXPECT_EQ(where(api::make_node_caller(pool_), background_shard).first,
            "test-io-0");
}
