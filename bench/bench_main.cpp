// bbbgate-bench: the load scenarios, their baselines, start-up and memory
// with many meetings, and the micro-benchmarks; writes docs/bench.md and a
// JSON file. `--smoke` runs everything for a few hundred milliseconds
// (CI), without writing the docs unless asked.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <malloc.h>
#include <nlohmann/json.hpp>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "actors/tenant_actor.hpp"
#include "app/gateway.hpp"
#include "bench/http_get.hpp"
#include "bench/load_client.hpp"
#include "bench/micro.hpp"
#include "bench/operations_bench.hpp"
#include "bench/recordings_bench.hpp"
#include "bench/rss.hpp"
#include "bench/webhooks_bench.hpp"
#include "net/checksum.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/io_pool.hpp"
#include "net/query.hpp"
#include "sim/sim_server.hpp"
#include "store/sqlite_store.hpp"

using namespace gw;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string tenant_secret = "bench-secret";

struct options {
  bool smoke = false;
  bool micro_only = false;
  std::string micro_filter;
  std::string out_md;
  std::string out_json;
  std::string only; // run only load scenarios whose name contains this
};

std::string gw_target(const std::string& call, const std::string& qs) {
  return "/bench/bigbluebutton/api/" + call + "?"
         + net::sign_query(call, qs, tenant_secret, net::checksum_algo::sha1);
}

std::string sim_target(const std::string& call, const std::string& qs,
                       const std::string& secret) {
  return "/bigbluebutton/api/" + call + "?"
         + net::sign_query(call, qs, secret, net::checksum_algo::sha1);
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0)
      return line.substr(line.find(':') + 2);
  return "unknown";
}

/// Pins the threads of this process by name: with `apart`, the load
/// generator (the main thread) and the servers it calls directly (sim-io,
/// const-io) to CPU 0 and every other thread (the gateway: gw-io, CAF's) to
/// CPU 1, as in a deployment where the gateway has cores of its own; without
/// it, every thread back to every CPU. Returns false when not possible.
bool pin_threads(bool apart) {
  auto cpus = std::thread::hardware_concurrency();
  if (cpus < 2)
    return false;
  cpu_set_t all;
  cpu_set_t near;
  cpu_set_t gateway;
  CPU_ZERO(&all);
  CPU_ZERO(&near);
  CPU_ZERO(&gateway);
  for (unsigned i = 0; i < cpus; ++i)
    CPU_SET(i, &all);
  CPU_SET(0, &near);
  CPU_SET(1, &gateway);
  bool ok = true;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/self/task")) {
    auto tid = static_cast<pid_t>(std::stol(task.path().filename().string()));
    std::ifstream comm_in(task.path() / "comm");
    std::string comm;
    std::getline(comm_in, comm);
    bool is_near = tid == getpid() || comm.rfind("sim-io", 0) == 0
                   || comm.rfind("const-io", 0) == 0;
    const cpu_set_t* set = !apart ? &all : is_near ? &near : &gateway;
    ok = sched_setaffinity(tid, sizeof(cpu_set_t), set) == 0 && ok;
  }
  return ok;
}

json to_json(const bench::load_result& r) {
  return {{"requests", r.requests},
          {"errors", r.errors},
          {"seconds", r.seconds},
          {"rps", r.rps},
          {"p50_us", r.p50_us},
          {"p99_us", r.p99_us},
          {"p999_us", r.p999_us},
          {"server_cpu_us_per_request",
           r.cpu_us_per_request - r.generator_cpu_us_per_request},
          {"generator_cpu_us_per_request", r.generator_cpu_us_per_request},
          {"cpu_us_per_request_by_thread", r.cpu_us_by_thread}};
}

} // namespace

/// One load scenario of the table in main(): its name (what `--only`
/// matches) and what it measures (`--list` prints both).
struct scenario {
  std::string name;
  std::string what;
  std::function<void()> run;
};

int main(int argc, char** argv) {
  options opt;
  bool list = false;
  CLI::App app{"bbbgate-bench: load scenarios against baselines measured in "
               "the same run, start-up and memory, micro-benchmarks"};
  app.add_flag("--smoke", opt.smoke,
               "a few hundred milliseconds per scenario (CI); not comparable "
               "to the bar");
  app.add_flag("--micro", opt.micro_only, "the micro-benchmarks only");
  app.add_option("--micro-filter", opt.micro_filter,
                 "with --micro: those whose name matches this regular "
                 "expression");
  app.add_option("--out", opt.out_md, "write the report (Markdown) here");
  app.add_option("--json", opt.out_json, "write the results (JSON) here");
  app.add_option("--only", opt.only,
                 "run the load scenarios whose name contains this ('startup': "
                 "start-up and memory only)");
  app.add_flag("--list", list, "list the load scenarios and exit");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  if (opt.micro_only) {
    bench::run_micro(opt.smoke, opt.micro_filter);
    return 0;
  }
  auto duration = opt.smoke ? 300ms : 3000ms;
  std::size_t conns = 64;
  json results;
  results["machine"] = {{"cpus", std::thread::hardware_concurrency()},
                        {"cpu", cpu_model()}};
  results["mode"] = opt.smoke ? "smoke" : "full";
  auto record = [&](const std::string& name, const bench::load_result& r) {
    std::printf("%-28s %9.0f req/s  p50 %7.0f us  p99 %7.0f us  p99.9 %7.0f "
                "us  errors %llu  server cpu %5.1f us/req\n",
                name.c_str(), r.rps, r.p50_us, r.p99_us, r.p999_us,
                static_cast<unsigned long long>(r.errors),
                r.cpu_us_per_request - r.generator_cpu_us_per_request);
    for (const auto& [group, us] : r.cpu_us_by_thread)
      std::printf("    %-14s %6.1f us/req\n", group.c_str(), us);
    results["load"][name] = to_json(r);
  };
  auto run = [&](const std::string& name, bench::load_options o) {
    o.duration = o.duration.count() ? o.duration : duration;
    auto r = bench::run_load(o);
    record(name, r);
    return r;
  };
  // A ratio to a baseline, on a machine whose speed drifts (a shared VM):
  // baseline and subject run alternately in short rounds and the round with
  // the median ratio is reported (its two runs go into the scenario table).
  struct pair_result {
    bench::load_result base;
    bench::load_result subject;
    double ratio = 0;
  };
  auto paired = [&](const std::string& base_name, bench::load_options b,
                    const std::string& name, bench::load_options o) {
    pair_result out;
    int rounds = opt.smoke ? 1 : 5;
    auto each = opt.smoke ? 300ms : 2000ms;
    b.duration = each;
    o.duration = each;
    std::vector<pair_result> all;
    for (int i = 0; i < rounds; ++i) {
      pair_result p;
      p.base = bench::run_load(b);
      p.subject = bench::run_load(o);
      p.ratio = p.base.rps > 0 ? p.subject.rps / p.base.rps : 0;
      std::printf("  round %d: %s %.0f/s, %s %.0f/s, ratio %.2f\n", i + 1,
                  base_name.c_str(), p.base.rps, name.c_str(), p.subject.rps,
                  p.ratio);
      results["rounds"][name].push_back(p.ratio);
      all.push_back(std::move(p));
    }
    std::sort(all.begin(), all.end(),
              [](const pair_result& x, const pair_result& y) {
                return x.ratio < y.ratio;
              });
    out = all[all.size() / 2];
    record(base_name, out.base);
    record(name, out.subject);
    return out;
  };

  // -- baseline 1: a Beast server answering a constant -------------------
  net::io_pool const_pool{1, "const-io"};
  net::http_server constant{
    const_pool,
    [](net::http_request&&, const net::request_info&, net::responder respond) {
      respond(net::make_response(200, "text/plain", "ok"));
    },
    net::server_limits{}};
  constant.listen("127.0.0.1", 0);
  const_pool.start();

  // -- the fleet: two simulated nodes and a gateway ----------------------
  sim::sim_server sim1{"sim-secret-1"};
  sim::sim_server sim2{"sim-secret-2"};
  sim1.start("127.0.0.1", 0);
  sim2.start("127.0.0.1", 0);

  // -- baseline 3: the least any proxy does -------------------------------
  // Relays each request to sim1 unchanged and its answer back: two HTTP
  // exchanges on the gateway's HTTP layer, no checksum, no routing, no XML.
  // Against the sim direct on the shared CPUs it shows what a proxy that
  // calls the node per request can reach at all on this machine.
  net::io_pool relay_pool{1, "relay-io"};
  url_parts sim1_ep;
  sim1_ep.host = "127.0.0.1";
  sim1_ep.port = std::to_string(sim1.port());
  sim1_ep.path = "/";
  net::http_server relay{
    relay_pool,
    [&sim1_ep](net::http_request&& req, const net::request_info& info,
               net::responder respond) {
      info.shard->client->request(
        sim1_ep, boost::beast::http::verb::get, std::string{req.target()}, "",
        "", 10s, [respond](net::client_response&& r) {
          if (r.ec)
            return respond(net::make_response(502, "text/plain", "relay\n"));
          respond(
            net::make_response(r.status, r.content_type, std::move(r.body)));
        });
    },
    net::server_limits{}};
  relay.listen("127.0.0.1", 0);
  relay_pool.start();
  auto dir = std::filesystem::temp_directory_path()
             / ("bbbgate-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  config::config cfg;
  // A fixed free port, so nodes can call the gateway's end callback.
  uint16_t gw_fixed_port = 0;
  {
    boost::asio::io_context probe_ioc;
    boost::asio::ip::tcp::acceptor probe{
      probe_ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
    gw_fixed_port = probe.local_endpoint().port();
  }
  cfg.listen = "127.0.0.1:" + std::to_string(gw_fixed_port);
  cfg.public_url = "http://" + cfg.listen;
  cfg.database = (dir / "bench.db").string();
  cfg.poll_interval_seconds = 10;
  int k = 0;
  for (auto* s : {&sim1, &sim2}) {
    ++k;
    config::node_config n;
    n.id = "sim" + std::to_string(k);
    n.url = "http://127.0.0.1:" + std::to_string(s->port()) + "/bigbluebutton/";
    n.secret = "sim-secret-" + std::to_string(k);
    n.capacity = 1'000'000'000;
    cfg.nodes.push_back(n);
  }
  config::tenant_config t;
  t.id = "bench";
  t.secrets = {tenant_secret};
  t.connections = 1'000'000'000;
  t.default_max_participants = 2;
  t.checksum_algorithms = {net::checksum_algo::sha1};
  cfg.tenants.push_back(t);
  // This gateway shows getMeetings from the last poll (every 10 s); the
  // freshness scenario runs against a second one whose data must be no
  // older than 100 ms, so it expires 30 times during a 3 s run.
  cfg.live_data_max_age_ms = 0;
  gateway gw{cfg};
  if (auto err = gw.start(); !err.empty()) {
    std::cerr << "bench: " << err << "\n";
    return 1;
  }
  auto gw_port = gw.port();
  auto fresh_cfg = cfg;
  fresh_cfg.listen = "127.0.0.1:0";
  fresh_cfg.database = (dir / "fresh.db").string();
  fresh_cfg.live_data_max_age_ms = 100;
  fresh_cfg.tenants[0].id = "fresh";
  gateway gw_fresh{fresh_cfg};
  if (auto err = gw_fresh.start(); !err.empty()) {
    std::cerr << "bench: " << err << "\n";
    return 1;
  }
  // The operations scenario's subject: the same gateway with the access
  // log on (and /metrics scraped every second during its runs).
  auto ops_cfg = cfg;
  ops_cfg.listen = "127.0.0.1:0";
  ops_cfg.database = (dir / "ops.db").string();
  ops_cfg.tenants[0].id = "ops";
  ops_cfg.log_access = true;
  gateway gw_ops{ops_cfg};
  if (auto err = gw_ops.start(); !err.empty()) {
    std::cerr << "bench: " << err << "\n";
    return 1;
  }
  auto ops_target = [](const std::string& call, const std::string& qs) {
    return "/ops/bigbluebutton/api/" + call + "?"
           + net::sign_query(call, qs, tenant_secret, net::checksum_algo::sha1);
  };
  std::vector<std::string> ops_joins;
  for (int i = 0; i < 100; ++i)
    bench::http_get(gw_ops.port(),
                    ops_target("create", "meetingID=room-" + std::to_string(i)
                                           + "&name=Room+"
                                           + std::to_string(i)));
  for (int i = 0; i < 1000; ++i)
    ops_joins.push_back(
      ops_target("join", "meetingID=room-" + std::to_string(i % 100)
                           + "&fullName=User+" + std::to_string(i)
                           + "&role=viewer&userID=u-" + std::to_string(i)));
  auto fresh_target = [](const std::string& call, const std::string& qs) {
    return "/fresh/bigbluebutton/api/" + call + "?"
           + net::sign_query(call, qs, tenant_secret, net::checksum_algo::sha1);
  };
  for (int i = 0; i < 100; ++i)
    bench::http_get(gw_fresh.port(),
                    fresh_target("create", "meetingID=room-" + std::to_string(i)
                                             + "&name=Room+"
                                             + std::to_string(i)));
  for (int i = 0; i < 100; ++i)
    bench::http_get(gw_port,
                    gw_target("create", "meetingID=room-" + std::to_string(i)
                                          + "&name=Room+" + std::to_string(i)));
  // Meetings on sim1, by node ID, for the proxied-versus-direct pair.
  auto hosted =
    json::parse(bench::http_get(sim1.port(), "/_ctl/meetings"), nullptr, false);
  std::vector<std::string> gmi_gw, gmi_sim, running_gw, joins;
  auto prefix = tenant_prefix("bench");
  for (const auto& m : hosted) {
    auto nid = m["meetingID"].get<std::string>();
    auto id = nid.substr(prefix.size());
    gmi_gw.push_back(gw_target("getMeetingInfo", "meetingID=" + id));
    gmi_sim.push_back(sim_target("getMeetingInfo",
                                 "meetingID=" + net::percent_encode(nid),
                                 "sim-secret-1"));
  }
  for (int i = 0; i < 100; ++i)
    running_gw.push_back(
      gw_target("isMeetingRunning", "meetingID=room-" + std::to_string(i)));
  for (int i = 0; i < 1000; ++i)
    joins.push_back(
      gw_target("join", "meetingID=room-" + std::to_string(i % 100)
                          + "&fullName=User+" + std::to_string(i)
                          + "&role=viewer&userID=u-" + std::to_string(i)));

  bench::load_options base;
  base.connections = conns;
  auto with = [&](uint16_t port, std::vector<std::string> targets) {
    auto o = base;
    o.port = port;
    o.targets = std::move(targets);
    return o;
  };
  // What the bar and the report read of the scenarios below.
  pair_result join_pair, gmi_pair, relay_pair, gmi_apart, churn_paced,
    fresh_pair;
  bench::load_result jh, gw_churn;
  bench::operations_figures ops;
  std::vector<std::string> mix;
  for (int i = 0; i < 100; ++i) {
    if (i % 10 < 7)
      mix.push_back(joins[static_cast<std::size_t>(i)]);
    else if (i % 10 < 9)
      mix.push_back(gmi_gw[static_cast<std::size_t>(i) % gmi_gw.size()]);
    else
      mix.push_back(i % 20 == 9 ? running_gw[0] : gw_target("getMeetings", ""));
  }
  // Create/end churn with bookings and durable writes, and the same pairs
  // against the sim directly (its own time). Each run uses meeting IDs of
  // its own.
  std::size_t churn_conns = 16;
  std::size_t pairs = opt.smoke ? 100 : 2000;
  auto churn_targets = [&](const std::string& tag, bool via_gateway) {
    std::vector<std::string> out;
    for (std::size_t cidx = 0; cidx < churn_conns; ++cidx)
      for (std::size_t p = 0; p < pairs; ++p) {
        auto id = tag + "-" + std::to_string(cidx) + "-" + std::to_string(p);
        if (via_gateway) {
          out.push_back(gw_target(
            "create", "meetingID=" + id + "&name=Churn&maxParticipants=1"));
          out.push_back(gw_target("end", "meetingID=" + id));
        } else {
          out.push_back(sim_target("create", "meetingID=" + id + "&name=Churn",
                                   "sim-secret-2"));
          out.push_back(sim_target("end", "meetingID=" + id, "sim-secret-2"));
        }
      }
    return out;
  };
  auto churn_opts = [&](uint16_t port, std::vector<std::string> targets,
                        double rate) {
    auto o = with(port, std::move(targets));
    o.connections = churn_conns;
    o.partitioned = true;
    o.rate = rate;
    o.duration = opt.smoke ? 1000ms : 10000ms;
    return o;
  };
  double churn_rate = opt.smoke ? 400 : 2000;

  // The load scenarios, in the order they run. A pair runs baseline and
  // subject alternately (paired()); `--only` matches either name.
  std::vector<scenario> table{
    {"join_redirect", "join redirects vs a constant Beast server",
     [&] {
       join_pair = paired("constant_beast_server", with(constant.port(), {"/"}),
                          "join_redirect", with(gw_port, joins));
     }},
    // Issue 16's bar: what an operator's surfaces cost the hot path.
    {"operations",
     "join redirects with the access log on and /metrics scraped every "
     "second vs without",
     [&] {
       auto b = with(gw_port, joins);
       auto o = with(gw_ops.port(), ops_joins);
       b.duration = o.duration = opt.smoke ? 300ms : 2000ms;
       ops = bench::run_operations_bench(b, o, gw_ops.port(), opt.smoke ? 1 : 7,
                                         dir / "access.log");
       record("join_redirect_plain", ops.base);
       record("join_redirect_access_log_scraped", ops.subject);
       results["operations"] = {{"ratio", ops.ratio},
                                {"rounds", ops.rounds},
                                {"scrapes", ops.scrapes},
                                {"scrape_ms_mean", ops.scrape_ms},
                                {"metrics_bytes", ops.metrics_bytes},
                                {"access_lines", ops.access_lines},
                                {"subject_requests", ops.subject_requests}};
       std::printf("operations: join redirects with the access log and "
                   "/metrics scraped every second at %.2f of without (median "
                   "of %zu rounds); %zu scrapes, %.2f ms and %zu bytes each; "
                   "%zu access-log lines for %llu requests\n",
                   ops.ratio, ops.rounds.size(), ops.scrapes, ops.scrape_ms,
                   ops.metrics_bytes, ops.access_lines,
                   static_cast<unsigned long long>(ops.subject_requests));
     }},
    {"version_root", "the API root document",
     [&] { run("version_root", with(gw_port, {"/bench/bigbluebutton/api"})); }},
    {"gw_getMeetingInfo", "proxied getMeetingInfo vs the sim direct",
     [&] {
       gmi_pair =
         paired("sim_direct_getMeetingInfo", with(sim1.port(), gmi_sim),
                "gw_getMeetingInfo", with(gw_port, gmi_gw));
     }},
    {"bare_relay_getMeetingInfo",
     "a relay that only forwards, vs the sim direct (what any proxy reaches)",
     [&] {
       relay_pair =
         paired("sim_direct_getMeetingInfo_b", with(sim1.port(), gmi_sim),
                "bare_relay_getMeetingInfo", with(relay.port(), gmi_sim));
     }},
    // The gateway on a CPU of its own (generator and sim share the other in
    // both runs): the deployment, where clients, gateway and BBB nodes do
    // not share cores. Above, three busy threads share two.
    {"gw_getMeetingInfo_apart",
     "proxied getMeetingInfo vs the sim direct, gateway on a CPU of its own",
     [&] {
       if (!pin_threads(true))
         return;
       gmi_apart =
         paired("sim_direct_getMeetingInfo_apart", with(sim1.port(), gmi_sim),
                "gw_getMeetingInfo_apart", with(gw_port, gmi_gw));
       pin_threads(false);
     }},
    // LMS room pages polling a few rooms: reads asked together share a node
    // call (never an answer older than the request).
    {"gw_getMeetingInfo_4_rooms", "four rooms polled by many users",
     [&] {
       run("gw_getMeetingInfo_4_rooms",
           with(gw_port,
                std::vector<std::string>(gmi_gw.begin(), gmi_gw.begin() + 4)));
     }},
    {"gw_isMeetingRunning", "proxied isMeetingRunning",
     [&] { run("gw_isMeetingRunning", with(gw_port, running_gw)); }},
    {"gw_getMeetings_100", "getMeetings of a tenant with 100 meetings",
     [&] {
       run("gw_getMeetings_100", with(gw_port, {gw_target("getMeetings", "")}));
     }},
    // getMeetings whose node data must be no older than 100 ms (refreshed
    // during the run, one poll per node shared by all callers) against the
    // same tenant size shown from the last poll.
    {"gw_getMeetings_100_fresh",
     "getMeetings with node data refreshed every 100 ms vs from the last poll",
     [&] {
       fresh_pair =
         paired("gw_getMeetings_100_last_poll",
                with(gw_port, {gw_target("getMeetings", "")}),
                "gw_getMeetings_100_fresh",
                with(gw_fresh.port(), {fresh_target("getMeetings", "")}));
     }},
    {"join_redirect_half_load",
     "a join storm at half of the measured maximum (open loop)",
     [&] {
       auto half = with(gw_port, joins);
       half.rate = join_pair.subject.rps > 0 ? join_pair.subject.rps / 2 : 5000;
       jh = run("join_redirect_half_load", half);
     }},
    {"mix", "mixed traffic as LMS plugins make it",
     [&] { run("mix", with(gw_port, mix)); }},
    // The latency the gateway adds, measured below saturation (open loop at
    // 1,000 creates/s; latencies from the intended send time): at
    // saturation a closed loop's latency is only its queue. Run before the
    // saturating run, which leaves a large write-ahead log behind.
    // Alternating rounds (sim, then gateway); the round with the median
    // added p99 is reported.
    {"create_end_1k_per_s",
     "create/end latency the gateway adds at 1,000 creates/s",
     [&] {
       int rounds = opt.smoke ? 1 : 3;
       std::vector<pair_result> all;
       for (int i = 0; i < rounds; ++i) {
         auto tag = "paced-" + std::to_string(i);
         auto sim_o =
           churn_opts(sim2.port(), churn_targets(tag + "s", false), churn_rate);
         auto gw_o =
           churn_opts(gw_port, churn_targets(tag + "g", true), churn_rate);
         sim_o.duration = gw_o.duration = opt.smoke ? 1000ms : 5000ms;
         pair_result p;
         p.base = bench::run_load(sim_o);
         p.subject = bench::run_load(gw_o);
         p.ratio = (p.subject.p99_us - p.base.p99_us) / 1000.0;
         std::printf("  round %d: sim p99 %.0f us, gateway p99 %.0f us, added "
                     "%.2f ms\n",
                     i + 1, p.base.p99_us, p.subject.p99_us, p.ratio);
         results["rounds"]["create_end_added_p99_ms"].push_back(p.ratio);
         all.push_back(std::move(p));
       }
       std::sort(all.begin(), all.end(),
                 [](const pair_result& x, const pair_result& y) {
                   return x.ratio < y.ratio;
                 });
       churn_paced = all[all.size() / 2];
       record("sim_direct_create_end_1k_per_s", churn_paced.base);
       record("gw_create_end_1k_per_s", churn_paced.subject);
     }},
    {"gw_create_end", "creates with booking and a durable write, saturated",
     [&] {
       run("sim_direct_create_end",
           churn_opts(sim2.port(), churn_targets("churn-a", false), 0));
       gw_churn = run("gw_create_end",
                      churn_opts(gw_port, churn_targets("churn-b", true), 0));
     }},
  };
  if (list) {
    for (const auto& sc : table)
      std::printf("%-28s %s\n", sc.name.c_str(), sc.what.c_str());
    std::printf("%-28s %s\n", "startup",
                "start-up and memory with many meetings in the store");
    std::printf("%-28s %s\n", "recordings",
                "getRecordings, pages, joins during reconciliation, start-up "
                "with many recordings");
    std::printf("%-28s %s\n", "webhooks",
                "node events fanned out to tenant hooks, the outbox's cost, "
                "memory with a receiver down");
    return 0;
  }
  for (const auto& sc : table)
    if (opt.only.empty() || sc.name.find(opt.only) != std::string::npos)
      sc.run();
  const auto& sim_churn = churn_paced.base;
  const auto& gw_churn_paced = churn_paced.subject;
  gw.stop();
  gw_fresh.stop();
  gw_ops.stop();
  // -- recordings (issue 13): its own nodes and gateways -----------------
  bench::recordings_figures rec;
  if (opt.only.empty() || opt.only == "recordings") {
    rec = bench::run_recordings_bench(opt.smoke, constant.port(), dir, record);
    results["recordings"] = {
      {"recordings", rec.recordings},
      {"one_meeting_vs_constant", rec.one_meeting_ratio},
      {"one_meeting_vs_same_size_constant", rec.one_meeting_same_size_ratio},
      {"answer_bytes", rec.answer_bytes},
      {"page_100_p99_us", rec.page_p99_us},
      {"joins_p99_quiet_us", rec.joins_quiet_p99_us},
      {"joins_p99_reconciling_us", rec.joins_syncing_p99_us},
      {"startup_recordings", rec.startup_recordings},
      {"startup_seconds", rec.startup_s},
      {"bytes_per_recording", rec.bytes_per_recording}};
  }
  // -- webhooks (issue 15): its own node, gateway and receivers ----------
  bench::webhooks_figures hooks;
  if (opt.only.empty() || opt.only == "webhooks") {
    hooks = bench::run_webhooks_bench(opt.smoke, dir);
    results["webhooks"] = {
      {"events_per_s", hooks.events_per_s},
      {"events", hooks.events},
      {"hooks", hooks.hooks},
      {"delivered", hooks.delivered},
      {"delivery_p50_ms", hooks.delivery_p50_ms},
      {"delivery_p99_ms", hooks.delivery_p99_ms},
      {"delivery_p999_ms", hooks.delivery_p999_ms},
      {"direct_post_p99_ms", hooks.direct_p99_ms},
      {"ack_p99_ms", hooks.ack_p99_ms},
      {"cpu_us_per_event", hooks.cpu_us_per_event},
      {"outbox_write_us_per_event", hooks.outbox_write_us_per_event},
      {"down_events", hooks.down_events},
      {"rss_at_10pct_kib", hooks.rss_at_10pct_kib},
      {"rss_at_end_kib", hooks.rss_at_end_kib},
      {"outbox_rows_waiting", hooks.outbox_rows}};
    std::printf(
      "webhooks: %zu events at %.0f/s to %zu hooks: %zu delivered, p50 %.2f "
      "ms, p99 %.2f ms, p99.9 %.2f ms (direct POST p99 %.2f ms); node's POST "
      "acknowledged p99 %.2f ms; %.0f us CPU per event; outbox %.1f us per "
      "event; receiver down, %zu events: RSS %.0f KiB at 10%%, %.0f KiB at "
      "the end, %zu deliveries waiting in the outbox\n",
      hooks.events, hooks.events_per_s, hooks.hooks, hooks.delivered,
      hooks.delivery_p50_ms, hooks.delivery_p99_ms, hooks.delivery_p999_ms,
      hooks.direct_p99_ms, hooks.ack_p99_ms, hooks.cpu_us_per_event,
      hooks.outbox_write_us_per_event, hooks.down_events,
      hooks.rss_at_10pct_kib, hooks.rss_at_end_kib, hooks.outbox_rows);
  }
  // `--only startup` runs the start-up and memory measurement alone.
  if (!opt.only.empty() && opt.only != "startup") {
    std::filesystem::remove_all(dir);
    relay.close();
    relay_pool.stop();
    sim1.stop();
    sim2.stop();
    constant.close();
    const_pool.stop();
    return 0;
  }

  // -- start-up and memory with many meetings in the store ---------------
  std::size_t many = opt.smoke ? 10000 : 100000;
  auto bulk_db = (dir / "bulk.db").string();
  {
    store::sqlite_store s;
    s.open(bulk_db);
    std::vector<meeting_row> rows;
    std::vector<create_call> calls;
    rows.reserve(many);
    calls.reserve(many);
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
    for (std::size_t i = 0; i < many; ++i) {
      meeting_row r;
      r.tenant = "bench";
      r.meeting_id = "course-" + std::to_string(i) + "-lecture";
      r.node_id = i % 2 ? "sim1" : "sim2";
      r.node_meeting_id = prefix + r.meeting_id;
      r.internal_id =
        net::hex_digest(net::checksum_algo::sha1, r.node_meeting_id) + "-"
        + std::to_string(now);
      r.create_time = now;
      r.booked_at = now;
      r.create_date = "Fri Nov 27 22:00:00 UTC 2026";
      r.name = "Course " + std::to_string(i) + " lecture";
      r.attendee_pw = "ap" + std::to_string(i);
      r.moderator_pw = "mp" + std::to_string(i);
      r.voice_bridge = std::to_string(10000 + i % 90000);
      r.dial_number = "613-555-1234";
      r.max_participants = 2;
      r.duration_minutes = 60;
      r.metadata = {{"bbb-origin", "Moodle"}, {"bbb-context", "Course"}};
      r.callback_nonce = net::random_hex(16);
      create_call call;
      call.query = "meetingID=" + r.meeting_id + "&name=Course";
      call.found = true;
      calls.push_back(std::move(call));
      rows.push_back(std::move(r));
    }
    s.put_meetings(rows, calls);
  }
  auto cfg2 = cfg;
  cfg2.database = bulk_db;
  cfg2.listen = "127.0.0.1:0";
  // Nodes whose polls fail (the constant server answers no BBB XML): the
  // restored meetings stay, as they would on real nodes that still hold
  // them, instead of being released by the first poll.
  for (auto& n : cfg2.nodes)
    n.url = "http://127.0.0.1:" + std::to_string(constant.port()) + "/b/";
  // Freed memory of the runs above goes back to the system first, so the
  // growth below is what the restored meetings hold (not reuse of slack).
  malloc_trim(0);
  auto rss_before = bench::rss_kib();
  auto t0 = std::chrono::steady_clock::now();
  double startup_s = 0;
  double rss_after = 0;
  {
    gateway g2{cfg2};
    if (auto err = g2.start(); !err.empty()) {
      std::cerr << "bench: " << err << "\n";
      return 1;
    }
    unsigned status = 0;
    bench::http_get(g2.port(), "/healthz", &status);
    startup_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
    // Everything restored is routable (one lookup as proof).
    auto info = bench::http_get(
      g2.port(),
      gw_target("isMeetingRunning",
                "meetingID=course-" + std::to_string(many - 1) + "-lecture"));
    // Start-up temporaries (the rows as read from SQLite) are freed by now.
    malloc_trim(0);
    rss_after = bench::rss_kib();
    if (info.find("<returncode>SUCCESS") == std::string::npos || status != 200)
      std::cerr << "bench: restored gateway did not answer\n";
    g2.stop();
  }
  double per_meeting =
    (rss_after - rss_before) * 1024.0 / static_cast<double>(many);
  std::printf("startup with %zu meetings: %.3f s, %.0f bytes per meeting\n",
              many, startup_s, per_meeting);
  results["startup"] = {{"meetings", many},
                        {"seconds", startup_s},
                        {"bytes_per_meeting", per_meeting}};

  // -- micro-benchmarks ---------------------------------------------------
  if (!opt.only.empty()) {
    std::filesystem::remove_all(dir);
    return 0;
  }
  auto micro = bench::run_micro(opt.smoke);
  double placement_ns = 0;
  for (const auto& m : micro) {
    results["micro"][m.name] = m.ns;
    if (m.name == "placement_10000_nodes")
      placement_ns = m.ns;
  }

  // -- the bar (issue 5) --------------------------------------------------
  struct bar_row {
    std::string figure;
    std::string value;
    std::string bar;
    bool met;
  };
  auto fmt = [](const char* f, double v) {
    char buf[256];
    std::snprintf(buf, sizeof(buf), f, v);
    return std::string{buf};
  };
  double join_ratio = join_pair.ratio;
  double gmi_ratio = gmi_pair.ratio;
  double gmi_apart_ratio = gmi_apart.ratio;
  double creates = gw_churn.rps / 2;
  double added_p99_ms = (gw_churn_paced.p99_us - sim_churn.p99_us) / 1000.0;
  std::vector<bar_row> bar{
    {"join redirects vs constant server", fmt("%.2f", join_ratio), ">= 0.80",
     join_ratio >= 0.8},
    {"join p99 at half load", fmt("%.2f ms", jh.p99_us / 1000.0), "< 2 ms",
     jh.p99_us < 2000},
    {"proxied getMeetingInfo vs sim direct, gateway on a CPU of its own",
     fmt("%.2f", gmi_apart_ratio), ">= 0.80", gmi_apart_ratio >= 0.8},
    {"proxied getMeetingInfo vs sim direct, all on the same 2 CPUs",
     fmt("%.2f", gmi_ratio), ">= 0.80", gmi_ratio >= 0.8},
    {"creates with booking and durable write", fmt("%.0f /s", creates),
     ">= 2000 /s", creates >= 2000},
    {"create/end added p99 over the sim's own (1,000 creates/s)",
     fmt("%.2f ms", added_p99_ms), "<= 1 ms", added_p99_ms <= 1.0},
    {"placement among 10,000 nodes", fmt("%.1f us", placement_ns / 1000.0),
     "<= 50 us", placement_ns <= 50000},
    {"memory per live meeting", fmt("%.0f bytes", per_meeting), "<= 2048",
     per_meeting <= 2048},
    {"startup with " + std::to_string(many) + " meetings",
     fmt("%.2f s", startup_s), "< 2 s", startup_s < 2.0},
    {"getRecordings of one meeting (10,000 recordings, 4 nodes) vs constant "
     "server",
     fmt("%.2f", rec.one_meeting_ratio), ">= 0.60",
     rec.one_meeting_ratio >= 0.6},
    {"getRecordings page of 100 with totalElements, p99 (200/s)",
     fmt("%.2f ms", rec.page_p99_us / 1000.0), "< 5 ms",
     rec.page_p99_us > 0 && rec.page_p99_us < 5000},
    {"join p99 while a node with 10,000 recordings is reconciled, vs none",
     fmt("%.2f", rec.joins_quiet_p99_us > 0
                   ? rec.joins_syncing_p99_us / rec.joins_quiet_p99_us
                   : 0),
     "<= 1.20",
     rec.joins_quiet_p99_us > 0
       && rec.joins_syncing_p99_us <= 1.2 * rec.joins_quiet_p99_us},
  };
  for (const auto& b : bar)
    results["bar"].push_back({{"figure", b.figure},
                              {"value", b.value},
                              {"bar", b.bar},
                              {"met", b.met}});
  // What any proxy reaches on the shared CPUs (not a bar figure).
  double relay_ratio = relay_pair.ratio;
  std::string relay_line =
    relay_ratio > 0
      ? fmt("A bare relay (two HTTP exchanges on the gateway's HTTP layer, "
            "nothing else) reaches %.2f of the sim direct on the same 2 CPUs",
            relay_ratio)
          + fmt("; the gateway reaches %.2f of the sim direct", gmi_ratio)
          + fmt(", %.2f of the bare relay.", gmi_ratio / relay_ratio)
      : std::string{};
  results["reference"]["bare_relay_vs_sim_direct"] = relay_ratio;
  // What fresh live data costs getMeetings (design.md §7; not a bar figure).
  std::string fresh_line =
    fresh_pair.ratio > 0
      ? fmt("getMeetings (100 meetings) with node data never older than 100 "
            "ms reaches %.2f of the same call shown from the last poll",
            fresh_pair.ratio)
          + fmt(" (%.0f/s", fresh_pair.subject.rps)
          + fmt(" vs %.0f/s).", fresh_pair.base.rps)
      : std::string{};
  results["reference"]["getMeetings_fresh_vs_last_poll"] = fresh_pair.ratio;
  std::printf(opt.smoke ? "\nThe bar (smoke run: seconds-long scenarios and "
                          "10,000 meetings, not comparable to the bar):\n"
                        : "\nThe bar:\n");
  for (const auto& b : bar)
    std::printf("  %-44s %14s  (%s)  %s\n", b.figure.c_str(), b.value.c_str(),
                b.bar.c_str(), b.met ? "met" : "NOT met");
  if (!relay_line.empty())
    std::printf("Reference: %s\n", relay_line.c_str());
  if (!fresh_line.empty())
    std::printf("Reference: %s\n", fresh_line.c_str());

  if (!opt.out_json.empty()) {
    std::ofstream out(opt.out_json);
    out << results.dump(2) << "\n";
  }
  if (!opt.out_md.empty()) {
    std::ofstream md(opt.out_md);
    md << "# Benchmarks\n\n"
       << "Measured by `bench/` (" << (opt.smoke ? "smoke run" : "full run")
       << "), all on one machine, all traffic on 127.0.0.1. Reproduce with a "
          "Release build:\n"
       << "`cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake "
          "--build build-rel -j2 --target bbbgate-bench && "
          "build-rel/bench/bbbgate-bench --out docs/bench.md --json "
          "docs/bench.json`.\n\n"
       << "Machine: " << std::thread::hardware_concurrency() << " CPUs ("
       << cpu_model()
       << "). The load generator, the gateway (1 io thread, "
          "its CAF worker(s) as docs/architecture.md says, the store "
          "thread) and the two simulated nodes share "
          "these CPUs, so absolute figures are low; the ratios compare runs "
          "made under the same conditions in the same process.\n\n"
       << "Method: closed loop, " << conns
       << " keep-alive connections, pre-signed URLs (SHA-1), "
       << duration.count()
       << " ms per scenario; latencies from send to full answer (open loop: "
          "from the intended send time, so a stall counts for every request "
          "it delays). Baselines: a server answering a constant on the same "
          "HTTP layer as the gateway (this machine's HTTP ceiling) and the "
          "simulated node called directly (the ceiling for proxied calls). "
          "The ratios are measured in 5 alternating rounds of 2 s "
          "(baseline, then gateway) and the median round is reported, "
          "because this shared machine's speed drifts by 10-20% between "
          "minutes. The create/end latency is measured in open loop at "
          "1,000 creates/s (2,000 requests/s), where neither side is "
          "saturated, in 3 alternating rounds of 5 s (median added p99); "
          "the create rate in closed loop. `server cpu` is the "
          "process's CPU time per answered request minus the load "
          "generator's; the thread table splits it by thread.\n\n"
       << "## The bar\n\n| Figure | Measured | Bar | |\n|---|---|---|---|\n";
    for (const auto& b : bar)
      md << "| " << b.figure << " | " << b.value << " | " << b.bar << " | "
         << (b.met ? "met" : "**not met**") << " |\n";
    if (!relay_line.empty())
      md << "\nReference (not a bar figure): " << relay_line << "\n";
    if (!fresh_line.empty())
      md << "\nFresh live data (not a bar figure): " << fresh_line << "\n";
    md << "\nWhat limits each figure, and what was changed after measuring: "
          "[performance.md](performance.md).\n";
    md << "\n## Scenarios\n\n| Scenario | req/s | p50 us | p99 us | p99.9 "
          "us | errors |\n|---|---|---|---|---|---|\n";
    for (auto& [name, r] : results["load"].items())
      md << "| " << name << " | " << static_cast<long>(r["rps"].get<double>())
         << " | " << r["p50_us"] << " | " << r["p99_us"] << " | "
         << r["p999_us"] << " | " << r["errors"] << " |\n";
    md << "\n## CPU per request by thread (us)\n\n| Scenario | threads "
          "|\n|---|---|\n";
    for (auto& [name, r] : results["load"].items()) {
      md << "| " << name << " | ";
      bool first = true;
      for (auto& [group, us] : r["cpu_us_per_request_by_thread"].items()) {
        md << (first ? "" : ", ") << group << " "
           << fmt("%.1f", us.get<double>());
        first = false;
      }
      md << " |\n";
    }
    if (results.contains("rounds")) {
      md << "\nRatios per round:";
      for (auto& [name, rs] : results["rounds"].items()) {
        md << " " << name << ":";
        for (auto& v : rs)
          md << " " << fmt("%.2f", v.get<double>());
        md << ";";
      }
      md << "\n";
    }
    md << "\n## Micro-benchmarks (Google Benchmark)\n\n| Benchmark | ns per "
          "operation |\n|---|---|\n";
    for (const auto& m : micro)
      md << "| " << m.name << " | " << static_cast<long>(m.ns) << " |\n";
    md << "\n## Start-up and memory\n\n"
       << many
       << " meetings written to SQLite, then a gateway started on that "
          "database: ready (`/healthz` answered) after "
       << fmt("%.2f", startup_s) << " s; resident memory grew by "
       << fmt("%.0f", per_meeting)
       << " bytes per meeting (rows, ledger, "
          "node commitments and the published snapshot).\n";
    if (rec.startup_recordings > 0)
      md << "\n## Recordings\n\n"
         << rec.recordings
         << " recordings (3 per meeting) on 4 simulated nodes, indexed by a "
            "gateway; getRecordings of one meetingID (3 recordings) reaches "
         << fmt("%.2f", rec.one_meeting_ratio)
         << " of the constant server (median of alternating rounds) and "
         << fmt("%.2f", rec.one_meeting_same_size_ratio)
         << " of a server answering a constant of the same size ("
         << rec.answer_bytes
         << " bytes); a page "
            "of 100 with totalElements at 200/s (open loop): p99 "
         << fmt("%.2f", rec.page_p99_us / 1000.0)
         << " ms; joins at 2,000/s (open loop): p99 "
         << fmt("%.2f", rec.joins_quiet_p99_us / 1000.0)
         << " ms with no reconciliation, "
         << fmt("%.2f", rec.joins_syncing_p99_us / 1000.0)
         << " ms while a node holding 10,000 recordings is reconciled every "
            "second (100 pages read, parsed off the io thread, merged). A "
            "gateway started on a store of "
         << rec.startup_recordings << " recordings was ready after "
         << fmt("%.2f", rec.startup_s) << " s; resident memory grew by "
         << fmt("%.0f", rec.bytes_per_recording)
         << " bytes per recording (the actor's index, the published "
            "snapshot and its by-ID map).\n";
    if (hooks.events > 0)
      md << "\n## Webhooks\n\n"
         << hooks.events << " node events posted at "
         << fmt("%.0f", hooks.events_per_s) << "/s (open loop) to the "
         << "gateway, each to " << hooks.hooks
         << " hooks of its tenant: " << hooks.delivered
         << " deliveries; from the node's POST to the "
         << "hook's receipt p50 " << fmt("%.2f", hooks.delivery_p50_ms)
         << " ms, p99 " << fmt("%.2f", hooks.delivery_p99_ms) << " ms, p99.9 "
         << fmt("%.2f", hooks.delivery_p999_ms)
         << " ms (the same POSTs straight to a receiver, same run: p99 "
         << fmt("%.2f", hooks.direct_p99_ms)
         << " ms); the node's POST answered (deliveries in the outbox) p99 "
         << fmt("%.2f", hooks.ack_p99_ms) << " ms; "
         << fmt("%.0f", hooks.cpu_us_per_event)
         << " us of CPU per event (whole process); the outbox alone "
         << fmt("%.1f", hooks.outbox_write_us_per_event)
         << " us per event (its rows written in one transaction, removed in "
            "another). A receiver down while "
         << hooks.down_events << " events arrive for it: resident memory "
         << fmt("%.0f", hooks.rss_at_10pct_kib) << " KiB after a tenth, "
         << fmt("%.0f", hooks.rss_at_end_kib) << " KiB after all, "
         << hooks.outbox_rows << " deliveries waiting in the outbox.\n";
  }
  std::filesystem::remove_all(dir);
  relay.close();
  relay_pool.stop();
  sim1.stop();
  sim2.stop();
  constant.close();
  const_pool.stop();
  return 0;
}
