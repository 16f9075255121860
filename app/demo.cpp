#include "app/demo.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app/gateway.hpp"
#include "app/limits.hpp"
#include "app/signals.hpp"
#include "net/checksum.hpp"
#include "sim/sim_server.hpp"

namespace gw {

namespace {

/// A port on `host` that was free a moment ago (0 when none was found: the
/// listener then picks one, and callbacks cannot reach the demo).
uint16_t free_port(const std::string& host) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  uint16_t port = 0;
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) == 1
      && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    socklen_t len = sizeof(addr);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

} // namespace

int run_demo(const demo_options& opts) {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / ("bbbgate-demo-" + random_hex(4));
  fs::create_directories(dir);
  sim::sim_server node1{"demo-node-secret-1"};
  sim::sim_server node2{"demo-node-secret-2"};
  for (auto* s : {&node1, &node2})
    if (auto err = s->start("127.0.0.1", 0); !err.empty()) {
      std::cerr << "bbbgate demo: " << err << "\n";
      return 1;
    }
  config::config cfg;
  // The nodes call the gateway back (end and recording-ready callbacks), so
  // public_url needs the real port: port 0 picks a free one first.
  auto port = opts.port != 0 ? opts.port : free_port(opts.host);
  cfg.listen = opts.host + ":" + std::to_string(port);
  cfg.public_url = "http://" + cfg.listen;
  cfg.database = (dir / "bbbgate.db").string();
  cfg.admin_token = random_hex(12);
  cfg.texts.welcome = "Welcome to the bbbgate demo. Dial in: %%DIALNUM%% "
                      "(PIN %%CONFNUM%%).";
  int i = 0;
  for (auto* s : {&node1, &node2}) {
    ++i;
    config::node_config n;
    n.id = "sim" + std::to_string(i);
    n.url = "http://127.0.0.1:" + std::to_string(s->port()) + "/bigbluebutton/";
    n.secret = "demo-node-secret-" + std::to_string(i);
    n.capacity = 100;
    cfg.nodes.push_back(n);
  }
  config::tenant_config t;
  t.id = "demo";
  t.secrets = {random_hex(16)};
  t.connections = 50;
  t.checksum_algorithms = {net::checksum_algo::sha1, net::checksum_algo::sha256,
                           net::checksum_algo::sha384,
                           net::checksum_algo::sha512};
  t.console_password = random_hex(8);
  cfg.tenants.push_back(t);
  raise_open_files_limit();
  gateway gw{cfg};
  if (auto err = gw.start(); !err.empty()) {
    std::cerr << "bbbgate demo: " << err << "\n";
    return 1;
  }
  auto base = "http://" + opts.host + ":" + std::to_string(gw.port());
  auto api = base + "/demo/bigbluebutton/";
  auto sum =
    net::hex_digest(net::checksum_algo::sha1, "getMeetings", "", t.secrets[0]);
  std::cout << "bbbgate demo is running.\n\n"
            << "  BBB API URL: " << api << "\n"
            << "  Secret:      " << t.secrets[0] << "\n\n"
            << "Point any BigBlueButton client (Moodle, Greenlight, "
               "bbb-promise, ...) at that URL and secret.\n"
            << "Try:  curl '" << api << "api/getMeetings?checksum=" << sum
            << "'\n\n"
            << "Customer console: " << base << "/console/  (account 'demo', "
            << "password " << t.console_password << ")\n"
            << "Admin API token:  " << cfg.admin_token << "\n\n"
            << "Behind it: two simulated BBB nodes (capacity 100 each) on "
               "127.0.0.1:"
            << node1.port() << " and 127.0.0.1:" << node2.port()
            << "; the tenant 'demo' has 50 connections.\n"
            << "Database: " << cfg.database << "\n"
            << (opts.seconds > 0
                  ? "Stopping after " + std::to_string(opts.seconds)
                      + " seconds.\n"
                  : "Press Ctrl-C to stop.\n")
            << std::flush;
  wait_for_stop_signal(opts.seconds);
  gw.stop();
  node1.stop();
  node2.stop();
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}

} // namespace gw
