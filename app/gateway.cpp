#include "app/gateway.hpp"

#include <algorithm>
#include <map>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/beast/http/verb.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/checkpoint_actor.hpp"
#include "actors/fleet_actor.hpp"
#include "actors/store_actor.hpp"
#include "actors/tenant_actor.hpp"
#include "net/checksum.hpp"
#include "net/gateway_api.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/io_pool.hpp"
#include "net/url.hpp"
#include "store/store.hpp"

namespace gw {

namespace {

/// The nodes to run: the config file's, merged with what the operator
/// changed at runtime. A file entry overrides its stored copy only when the
/// entry itself changed since it was stored, so admin changes survive
/// restarts until the file is edited; nodes added at runtime stay; a node
/// that came from the file and left it is dropped.
std::vector<config::node_config>
merge_nodes(store::store& db, const std::vector<config::node_config>& file) {
  std::map<std::string, store::store::node_row> stored;
  for (auto& r : db.load_nodes())
    stored[r.spec.id] = std::move(r);
  std::vector<config::node_config> out;
  for (const auto& n : file) {
    node_spec spec{n.id,       n.url,        n.secret,
                   n.capacity, n.overcommit, config::node_state_name(n.state)};
    auto fp =
      net::hex_digest(net::checksum_algo::sha256,
                      spec.id + "\n" + spec.url + "\n" + spec.secret + "\n"
                        + std::to_string(spec.capacity) + "\n"
                        + std::to_string(spec.overcommit) + "\n" + spec.state);
    auto it = stored.find(n.id);
    if (it != stored.end() && it->second.file_fingerprint == fp) {
      if (!it->second.removed) {
        config::node_config cfg;
        if (node_config_from_spec(it->second.spec, cfg).empty())
          out.push_back(cfg);
      }
    } else {
      db.put_node({spec, fp, false});
      out.push_back(n);
    }
    if (it != stored.end())
      stored.erase(it);
  }
  for (auto& [id, r] : stored) {
    config::node_config cfg;
    if (r.file_fingerprint.empty() && !r.removed
        && node_config_from_spec(r.spec, cfg).empty())
      out.push_back(cfg);
    else if (!r.file_fingerprint.empty())
      db.remove_node(id);
  }
  return out;
}

caf::actor_system_config& system_config(caf::actor_system_config& cfg) {
  // On small machines one CAF worker with the sharing policy leaves the
  // io threads the most room (docs/caf-and-style.md 1.10a: measured best on
  // 2 cores); larger ones get half the cores.
  auto cores = std::max(2u, std::thread::hardware_concurrency());
  if (cores <= 2)
    cfg.set("scheduler.policy", caf::atom("sharing"));
  cfg.set("scheduler.max-threads",
          static_cast<size_t>(std::max(1u, cores / 2)));
  cfg.add_message_types<caf::id_block::gw>();
  return cfg;
}

} // namespace

struct gateway::impl {
  explicit impl(config::config c)
    : cfg(std::move(c)),
      pool(std::make_unique<net::io_pool>(cfg.io_threads, "gw-io")),
      sys(system_config(sys_cfg)) {}

  config::config cfg;
  // The io threads outlive the actors: actors may post to them until they
  // are done. stop() destroys the pool after that, which also drops the
  // actor handles that pending io handlers hold (otherwise ~actor_system
  // would wait for the detached store actor forever).
  std::unique_ptr<net::io_pool> pool;
  caf::actor_system_config sys_cfg;
  caf::actor_system sys;
  std::unique_ptr<net::http_server> server;
  std::shared_ptr<net::gateway_api> api;
  store_actor store;
  checkpoint_actor checkpoints;
  fleet_actor fleet;
  std::vector<tenant_actor> tenants;
  bool running = false;
};

gateway::gateway(config::config cfg)
  : impl_(std::make_unique<impl>(std::move(cfg))) {}

gateway::~gateway() {
  stop();
}

std::string gateway::start() {
  auto& m = *impl_;
  const auto& cfg = m.cfg;
  auto db = std::make_shared<store::store>();
  if (auto err = db->open(cfg.database, false); !err.empty())
    return err;
  // Checkpoints run on a connection and thread of their own.
  auto checkpoint_db = std::make_shared<store::store>();
  if (auto err = checkpoint_db->open(cfg.database, false); !err.empty())
    return err;
  auto rows = db->load_meetings();
  // Done before the store actor owns the database.
  auto nodes = merge_nodes(*db, cfg.nodes);
  // Restore: commitments per node, meetings per tenant.
  node_commitments commits;
  std::map<std::string, std::vector<meeting_row>> by_tenant;
  for (auto& r : rows) {
    commitment c;
    c.key = r.tenant + "/" + r.meeting_id;
    c.node_meeting_id = r.node_meeting_id;
    c.n = r.max_participants;
    commits[r.node_id].push_back(std::move(c));
    by_tenant[r.tenant].push_back(std::move(r));
  }
  spdlog::info("restored {} meetings from {}", rows.size(), cfg.database);
  // The store's commits count the log frames they write; the checkpointer
  // reads the count to decide when to copy the log.
  auto written = std::make_shared<std::atomic<int64_t>>(0);
  db->count_log_frames(written);
  m.store = m.sys.spawn<caf::detached>(store_service, db);
  m.checkpoints = m.sys.spawn<caf::detached>(
    checkpointer, checkpoint_db, cfg.database, written, checkpoint_policy{});
  auto directory = std::make_shared<snapshot_slot<node_directory>>();
  auto* pool = m.pool.get();
  node_caller caller =
    [pool](net::io_shard* shard, std::shared_ptr<const node_info> node,
           node_request req,
           std::function<void(net::client_response &&)> done) {
      auto* target = shard != nullptr ? shard : &pool->next();
      boost::asio::post(target->ioc, [target, node, req = std::move(req),
                                      done = std::move(done)]() mutable {
        namespace http = boost::beast::http;
        target->client->request(node->ep,
                                req.post ? http::verb::post : http::verb::get,
                                std::move(req.target), std::move(req.body),
                                std::move(req.content_type),
                                std::chrono::seconds(10), std::move(done));
      });
    };
  auto registry = std::make_shared<snapshot_slot<tenant_registry>>();
  auto fenv = std::make_shared<fleet_env>();
  fenv->call_node = caller;
  fenv->poll_interval =
    std::chrono::milliseconds(cfg.poll_interval_seconds * 1000);
  fenv->poll_timeout =
    std::min(fenv->poll_interval, std::chrono::milliseconds(5000));
  fenv->tenants = registry;
  fenv->store = m.store;
  m.fleet = m.sys.spawn(fleet, nodes, commits, directory,
                        std::shared_ptr<const fleet_env>{fenv});
  auto dir = std::make_shared<net::tenant_directory>();
  for (const auto& t : cfg.tenants) {
    auto env = std::make_shared<tenant_env>();
    env->cfg = t;
    env->node_prefix = tenant_prefix(t.id);
    env->default_max_participants =
      t.default_max_participants.value_or(cfg.defaults.max_participants);
    env->default_duration_minutes =
      t.default_duration_minutes.value_or(cfg.defaults.duration_minutes);
    env->texts = t.texts.value_or(cfg.texts);
    env->minute_ms = cfg.minute_seconds * 1000.0;
    env->public_url = cfg.public_url;
    env->view = std::make_shared<snapshot_slot<tenant_view>>();
    env->fleet = m.fleet;
    env->store = m.store;
    env->nodes = directory;
    env->call_node = caller;
    auto actor = m.sys.spawn(tenant, env, by_tenant[t.id]);
    m.tenants.push_back(actor);
    auto entry = std::make_shared<net::tenant_entry>();
    entry->env = env;
    entry->actor = actor;
    dir->by_id[t.id] = entry;
    for (const auto& h : t.hosts)
      dir->by_host[h] = entry;
  }
  // CAF runs an actor's initialisation when it is first scheduled: wait
  // until every tenant actor has restored and published its meetings, and
  // the fleet its node directory, before accepting a request (main thread,
  // before any io thread runs: blocking is fine here).
  {
    caf::scoped_actor self{m.sys};
    std::string failure;
    for (auto& t : m.tenants)
      self->request(t, std::chrono::seconds(60), atom::stats_v)
        .receive([](const tenant_stats&) {},
                 [&](caf::error& e) { failure = m.sys.render(e); });
    self->request(m.fleet, std::chrono::seconds(60), atom::nodes_v)
      .receive([](const std::vector<node_load>&) {},
               [&](caf::error& e) { failure = m.sys.render(e); });
    if (!failure.empty()) {
      m.running = true;
      stop();
      return "actors did not start: " + failure;
    }
  }
  auto handles = std::make_shared<tenant_registry>();
  for (const auto& [id, entry] : dir->by_id)
    (*handles)[id] = entry->actor;
  registry->store(std::move(handles));
  net::api_settings settings;
  settings.public_url = cfg.public_url;
  settings.default_max_participants = cfg.defaults.max_participants;
  settings.default_duration_minutes = cfg.defaults.duration_minutes;
  settings.body_limit_bytes = cfg.body_limit_bytes;
  auto admin = std::make_shared<const net::admin_api>(m.sys, m.fleet, directory,
                                                      cfg.admin_token);
  m.api = std::make_shared<net::gateway_api>(
    dir, directory, settings,
    [pool]() -> net::io_shard& { return pool->next(); }, admin);
  net::server_limits limits;
  limits.body_limit = cfg.body_limit_bytes;
  auto api = m.api;
  m.server = std::make_unique<net::http_server>(
    *m.pool,
    [api](net::http_request&& req, const net::request_info& info,
          net::responder respond) {
      api->handle(std::move(req), info, std::move(respond));
    },
    limits);
  std::string host;
  uint16_t port = 0;
  net::split_host_port(cfg.listen, host, port);
  if (auto err = m.server->listen(host, port); !err.empty()) {
    m.running = true;
    stop();
    return err;
  }
  m.pool->start();
  m.running = true;
  spdlog::info("bbbgate listening on {}:{} ({} tenants, {} nodes)", host,
               m.server->port(), cfg.tenants.size(), cfg.nodes.size());
  return {};
}

uint16_t gateway::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

void gateway::stop() {
  auto& m = *impl_;
  if (!m.running)
    return;
  m.running = false;
  if (m.server)
    m.server->close();
  m.pool->stop();
  for (auto& t : m.tenants)
    caf::anon_send_exit(t, caf::exit_reason::user_shutdown);
  if (m.fleet)
    caf::anon_send_exit(m.fleet, caf::exit_reason::user_shutdown);
  if (m.store)
    caf::anon_send_exit(m.store, caf::exit_reason::user_shutdown);
  if (m.checkpoints)
    caf::anon_send_exit(m.checkpoints, caf::exit_reason::user_shutdown);
  m.sys.await_all_actors_done();
  m.server.reset();
  m.api.reset();
  m.tenants.clear();
  m.fleet = nullptr;
  m.store = nullptr;
  m.checkpoints = nullptr;
  m.pool.reset();
}

} // namespace gw
