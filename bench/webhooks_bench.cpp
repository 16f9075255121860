// The webhooks bench (issue 15): event fan-out from a node to tenant hooks
// through the durable outbox (delivery p99 against a direct POST measured
// in the same run), the outbox's write cost per event, and memory while a
// receiver is down for an hour of events.
#include "bench/webhooks_bench.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "app/gateway.hpp"
#include "bench/http_get.hpp"
#include "bench/rss.hpp"
#include "core/digest.hpp"
#include "core/ids.hpp"
#include "net/checksum.hpp"
#include "net/http_server.hpp"
#include "net/io_pool.hpp"
#include "net/query.hpp"
#include "net/webhooks.hpp"
#include "sim/sim_server.hpp"
#include "store/sqlite_store.hpp"

namespace gw::bench {

using namespace std::chrono_literals;
namespace beast = boost::beast;
namespace http = beast::http;
using steady = std::chrono::steady_clock;

namespace {

const std::string node_secret = "hook-node-secret";
const std::string public_url = "http://127.0.0.1:1";

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           steady::now().time_since_epoch())
    .count();
}

double cpu_seconds() {
  std::ifstream in("/proc/self/stat");
  std::string s((std::istreambuf_iterator<char>(in)),
                std::istreambuf_iterator<char>());
  auto close = s.rfind(')');
  std::istringstream rest(s.substr(close + 2));
  std::string field;
  long utime = 0;
  long stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14)
      utime = std::stol(field);
    if (i == 15)
      stime = std::stol(field);
  }
  return static_cast<double>(utime + stime)
         / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

/// Receivers of deliveries: each reads the sender's stamp from the body
/// and records the delay (one io thread for all of them).
struct receivers {
  net::io_pool pool{1};
  std::vector<std::unique_ptr<net::http_server>> servers;
  std::mutex mutex;
  std::vector<double> delays_ms;

  explicit receivers(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      servers.push_back(std::make_unique<net::http_server>(
        pool,
        [this](net::http_request&& req, const net::request_info&,
               net::responder respond) {
          constexpr std::string_view mark = "bench-ns%22%3A";
          const auto& body = req.body();
          auto at = body.find(mark);
          if (at != std::string::npos) {
            auto sent =
              std::strtoll(body.c_str() + at + mark.size(), nullptr, 10);
            auto ms = static_cast<double>(now_ns() - sent) / 1e6;
            std::lock_guard<std::mutex> guard{mutex};
            delays_ms.push_back(ms);
          }
          respond(net::make_response(200, "text/plain", "ok"));
        },
        net::server_limits{}));
      servers.back()->listen("127.0.0.1", 0);
    }
    pool.start();
  }

  std::size_t count() {
    std::lock_guard<std::mutex> guard{mutex};
    return delays_ms.size();
  }

  ~receivers() {
    for (auto& s : servers)
      s->close();
    pool.stop();
  }
};

/// One node event for meeting `meeting` of `tenant`, stamped now.
std::string event_body(const std::string& tenant, const std::string& meeting,
                       int64_t seq) {
  nlohmann::json ev{
    {"data",
     {{"type", "event"},
      {"id", "user-joined"},
      {"attributes",
       {{"meeting",
         {{"internal-meeting-id", "0a1b2c-" + std::to_string(seq)},
          {"external-meeting-id", tenant_prefix(tenant) + meeting}}},
        {"user",
         {{"internal-user-id", "w_" + std::to_string(seq)},
          {"name", "Ann"},
          {"role", "VIEWER"}}},
        {"bench-ns", now_ns()}}},
      {"event", {{"ts", seq}}}}}};
  return net::webhook_body("node.example", "[" + ev.dump() + "]", seq);
}

/// Posts events to `port` (the gateway's events URL, or a receiver
/// directly) at `rate` per second for `count` events, open loop, over
/// `threads` keep-alive connections; returns the answer delays (ms).
std::vector<double> post_events(uint16_t port, const std::string& path,
                                const std::string& tenant, double rate,
                                std::size_t count, int threads,
                                std::atomic<std::size_t>* failures) {
  std::vector<std::vector<double>> acks(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  auto start = steady::now() + 50ms;
  auto interval = std::chrono::duration<double>(1.0 / rate);
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      boost::asio::io_context ioc;
      beast::tcp_stream stream(ioc);
      boost::asio::ip::tcp::endpoint ep{
        boost::asio::ip::make_address("127.0.0.1"), port};
      stream.connect(ep);
      auto url = public_url + path;
      for (std::size_t i = static_cast<std::size_t>(t); i < count;
           i += static_cast<std::size_t>(threads)) {
        auto due = start
                   + std::chrono::duration_cast<steady::duration>(
                     interval * static_cast<double>(i));
        std::this_thread::sleep_until(due);
        auto body = event_body(tenant, "room-" + std::to_string(i % 50),
                               static_cast<int64_t>(i));
        auto target = path + "?checksum="
                      + hex_digest(digest_algo::sha1, url, body, node_secret);
        http::request<http::string_body> req{http::verb::post, target, 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, "application/x-www-form-urlencoded");
        req.body() = std::move(body);
        req.prepare_payload();
        beast::flat_buffer buf;
        http::response<http::string_body> res;
        beast::error_code ec;
        http::write(stream, req, ec);
        if (!ec)
          http::read(stream, buf, res, ec);
        if (ec || res.result_int() != 200) {
          ++*failures;
          if (ec) {
            stream.close();
            stream.connect(ep);
          }
          continue;
        }
        acks[static_cast<std::size_t>(t)].push_back(
          std::chrono::duration<double, std::milli>(steady::now() - due)
            .count());
      }
    });
  for (auto& th : pool)
    th.join();
  std::vector<double> all;
  for (auto& a : acks)
    all.insert(all.end(), a.begin(), a.end());
  return all;
}

config::config gateway_config(const std::filesystem::path& dir,
                              uint16_t node_port) {
  config::config cfg;
  cfg.listen = "127.0.0.1:0";
  cfg.public_url = public_url;
  cfg.database = (dir / "webhooks.db").string();
  cfg.poll_interval_seconds = 10;
  config::node_config n;
  n.id = "hk1";
  n.url = "http://127.0.0.1:" + std::to_string(node_port) + "/bigbluebutton/";
  n.secret = node_secret;
  n.capacity = 1'000'000;
  cfg.nodes.push_back(n);
  for (const char* id : {"fan", "down"}) {
    config::tenant_config t;
    t.id = id;
    t.secrets = {std::string{id} + "-secret"};
    t.connections = 1'000'000;
    t.checksum_algorithms = {digest_algo::sha1};
    cfg.tenants.push_back(t);
  }
  return cfg;
}

bool add_hook(uint16_t gw_port, const std::string& tenant,
              const std::string& url) {
  auto body = http_get(
    gw_port, "/" + tenant + "/bigbluebutton/api/hooks/create?"
               + net::sign_query("hooks/create",
                                 "callbackURL=" + net::percent_encode(url),
                                 tenant + "-secret", digest_algo::sha1));
  return body.find("SUCCESS") != std::string::npos;
}

/// The outbox alone: `events` events of `hooks` deliveries each, written
/// (one transaction per event, as a node's delivery is) and removed.
double outbox_cost(const std::filesystem::path& dir, std::size_t events,
                   std::size_t hooks) {
  store::sqlite_store db;
  std::filesystem::remove(dir / "outbox-cost.db");
  if (!db.open((dir / "outbox-cost.db").string()).empty())
    return 0;
  auto body = event_body("fan", "room", 1);
  auto t0 = steady::now();
  int64_t id = 1;
  for (std::size_t e = 0; e < events; ++e) {
    std::vector<store::outbox_write> put;
    for (std::size_t h = 0; h < hooks; ++h) {
      store::outbox_write w;
      w.job.id = id++;
      w.job.url = "http://127.0.0.1:9/hook?checksum=0123456789abcdef";
      w.job.body = body;
      w.job.dest = "127.0.0.1:9";
      w.job.what = "webhook";
      w.job.tenant = "fan";
      put.push_back(std::move(w));
    }
    db.write_outbox(put);
    for (auto& w : put)
      w.erase = true;
    db.write_outbox(put);
  }
  return std::chrono::duration<double, std::micro>(steady::now() - t0).count()
         / static_cast<double>(events);
}

} // namespace

webhooks_figures run_webhooks_bench(bool smoke,
                                    const std::filesystem::path& dir) {
  webhooks_figures out;
  out.hooks = 3;
  out.events_per_s = 2000;
  out.events = smoke ? 1000 : 20000;
  sim::sim_server node{node_secret};
  node.start("127.0.0.1", 0);
  std::filesystem::remove(dir / "webhooks.db");
  receivers recv{out.hooks};
  // Baseline: the same events straight to a receiver.
  {
    std::atomic<std::size_t> failures{0};
    receivers direct{1};
    auto n = std::min<std::size_t>(out.events, 4000);
    post_events(direct.servers[0]->port(), "/direct", "fan", out.events_per_s,
                n, 4, &failures);
    for (int i = 0; i < 100 && direct.count() < n; ++i)
      std::this_thread::sleep_for(20ms);
    std::lock_guard<std::mutex> guard{direct.mutex};
    out.direct_p99_ms = percentile(direct.delays_ms, 0.99);
  }
  gateway gw{gateway_config(dir, node.port())};
  if (auto err = gw.start(); !err.empty()) {
    std::fprintf(stderr, "webhooks bench: %s\n", err.c_str());
    return out;
  }
  for (const auto& s : recv.servers)
    add_hook(gw.port(), "fan",
             "http://127.0.0.1:" + std::to_string(s->port()) + "/hook");
  // Fan-out: 2,000 node events/s, each to 3 hooks.
  std::atomic<std::size_t> failures{0};
  auto cpu0 = cpu_seconds();
  auto acks = post_events(gw.port(), "/_gw/events/hk1", "fan", out.events_per_s,
                          out.events, 4, &failures);
  auto want = out.events * out.hooks;
  for (int i = 0; i < 1500 && recv.count() < want; ++i)
    std::this_thread::sleep_for(20ms);
  auto cpu1 = cpu_seconds();
  {
    std::lock_guard<std::mutex> guard{recv.mutex};
    out.delivered = recv.delays_ms.size();
    out.delivery_p50_ms = percentile(recv.delays_ms, 0.5);
    out.delivery_p99_ms = percentile(recv.delays_ms, 0.99);
    out.delivery_p999_ms = percentile(recv.delays_ms, 0.999);
  }
  out.ack_p99_ms = percentile(acks, 0.99);
  out.cpu_us_per_event =
    (cpu1 - cpu0) * 1e6
    / static_cast<double>(std::max<std::size_t>(1, out.events));
  // A receiver down (nothing listens on its port) while an hour of its
  // tenant's events at 20/s arrives (a tenth of an hour in a smoke run).
  out.down_rate = 20;
  out.down_events = smoke ? 7200 / 10 : 72000;
  add_hook(gw.port(), "down", "http://127.0.0.1:9/dead");
  auto tenth = out.down_events / 10;
  post_events(gw.port(), "/_gw/events/hk1", "down", 20000, tenth, 4, &failures);
  out.rss_at_10pct_kib = rss_kib();
  post_events(gw.port(), "/_gw/events/hk1", "down", 20000,
              out.down_events - tenth, 4, &failures);
  out.rss_at_end_kib = rss_kib();
  gw.stop();
  node.stop();
  {
    store::sqlite_store db;
    if (db.open((dir / "webhooks.db").string()).empty())
      if (auto rows = db.load_outbox())
        out.outbox_rows = rows->size();
  }
  out.outbox_write_us_per_event =
    outbox_cost(dir, smoke ? 500 : 5000, out.hooks);
  if (failures > 0)
    std::fprintf(stderr, "webhooks bench: %zu event posts failed\n",
                 failures.load());
  return out;
}

} // namespace gw::bench
