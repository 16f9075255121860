// Resource limits over loopback (issue 11): a gateway started under a
// lowered `ulimit -n` with hundreds of idle clients keeps answering
// /healthz and API calls, does not spin, and keeps its log small, whether
// its connection cap (from RLIMIT_NOFILE) or the kernel's EMFILE stops it.
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/integration/harness.hpp"

using namespace gw::test;
using namespace std::chrono_literals;

namespace {

/// CPU seconds (user + system) the process has used so far.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  // Fields after the command name (which is in parentheses).
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  unsigned long utime = 0;
  unsigned long stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14)
      utime = std::stoul(field);
    if (i == 15)
      stime = std::stoul(field);
  }
  return static_cast<double>(utime + stime)
         / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// A connection that sends nothing and holds a descriptor on both sides.
int idle_connection(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

class Limits : public ::testing::Test {
protected:
  void start(const std::string& extra_config) {
    dir_ = temp_dir();
    node_ = std::make_unique<sim_process>("node-secret");
    port_ = free_port();
    std::ofstream(dir_ + "/bbbgate.yaml")
      << "listen: 127.0.0.1:" << port_ << "\n"
      << "public_url: http://127.0.0.1:" << port_ << "/\n"
      << "database: " << dir_ << "/bbbgate.db\n"
      << extra_config << "nodes:\n  - id: n1\n    url: " << node_->url()
      << "\n    secret: node-secret\n    capacity: 100\n"
      << "tenants:\n  - id: acme\n    secrets: [acme-secret]\n"
      << "    connections: 10\n";
    log_ = dir_ + "/gateway.log";
    // Under UBSan (CI's sanitizer run) a process out of descriptors cannot
    // have its vptrs checked: the runtime reads the object's memory through
    // a pipe, which it cannot open, and reports every virtual call as one
    // on an invalid object (in fmt, in CAF, anywhere). This gateway is out
    // of descriptors on purpose, so its vptr checks are off; the other
    // checks stay. Without a sanitizer the variable is not read.
    std::ofstream(dir_ + "/ubsan.supp")
      << "vptr:*\nnull:init_fun_factory.hpp\nnull:shared_ptr_base.h\n";
    // `ulimit -n` in the shell lowers the soft and the hard limit, so the
    // gateway cannot raise it back.
    gateway_ = std::make_unique<process>(std::vector<std::string>{
      "/bin/bash", "-c",
      "export UBSAN_OPTIONS=\"${UBSAN_OPTIONS}:suppressions=$3\" && "
      "ulimit -n 64 && exec \"$0\" serve --config \"$1\" >\"$2\" 2>&1",
      bbbgate_binary(), dir_ + "/bbbgate.yaml", log_, dir_ + "/ubsan.supp"});
    for (int i = 0; i < 100 && get(port_, "/healthz").status != 200; ++i)
      std::this_thread::sleep_for(50ms);
    ASSERT_EQ(get(port_, "/healthz").status, 200u) << log_text();
  }

  void TearDown() override {
    for (int fd : idle_)
      close(fd);
    gateway_.reset();
  }

  std::string log_text() const {
    std::ifstream in(log_);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  /// Opens `n` idle connections (three times the gateway's descriptors),
  /// then checks it still serves, does not spin and logs little.
  void flood_and_check(int n) {
    for (int i = 0; i < n; ++i) {
      int fd = idle_connection(port_);
      ASSERT_GE(fd, 0) << "connection " << i;
      idle_.push_back(fd);
    }
    // Every health check on a fresh connection is answered at once.
    for (int i = 0; i < 10; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      auto res = get(port_, "/healthz");
      EXPECT_EQ(res.status, 200u) << "check " << i;
      EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s) << "check " << i;
    }
    // An API call too.
    auto res = get(port_, "/acme/bigbluebutton/api/getMeetings?"
                            + sign("getMeetings", "", "acme-secret"));
    EXPECT_EQ(el(res.body, "returncode"), "SUCCESS") << res.body;
    // No spinning while the idle clients stay: under a tenth of a core.
    auto pid = gateway_->pid();
    auto c0 = cpu_seconds(pid);
    std::this_thread::sleep_for(2s);
    EXPECT_LT(cpu_seconds(pid) - c0, 0.2);
    // The log stays small (repeated lines are rate-limited).
    EXPECT_LT(log_text().size(), 8u * 1024) << log_text().substr(0, 4096);
  }

  std::string dir_;
  std::string log_;
  uint16_t port_ = 0;
  std::unique_ptr<sim_process> node_;
  std::unique_ptr<process> gateway_;
  std::vector<int> idle_;
};

} // namespace

// The default cap leaves descriptors in reserve: the oldest idle clients
// are closed to make room for new ones.
TEST_F(Limits, AtTheConnectionCapIdleClientsMakeRoom) {
  start("");
  EXPECT_NE(log_text().find("at most 32 client connections"), std::string::npos)
    << log_text();
  flood_and_check(200);
}

// A cap above the descriptor limit: accept fails with EMFILE, and the
// gateway backs off and closes idle clients instead of spinning.
TEST_F(Limits, OutOfDescriptorsTheGatewayBacksOffAndRecovers) {
  start("max_connections: 100000\n");
  flood_and_check(200);
  EXPECT_NE(log_text().find("accept failed"), std::string::npos) << log_text();
}
