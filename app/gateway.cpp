#include "app/gateway.hpp"

#include <algorithm>
#include <map>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/checkpoint_actor.hpp"
#include "actors/console_actor.hpp"
#include "actors/fleet_actor.hpp"
#include "actors/hooks_actor.hpp"
#include "actors/password_actor.hpp"
#include "actors/recordings_actor.hpp"
#include "actors/relay_actor.hpp"
#include "actors/store_actor.hpp"
#include "actors/tenants_actor.hpp"
#include "api/admin_api.hpp"
#include "api/bbb_api.hpp"
#include "api/console.hpp"
#include "api/metrics_api.hpp"
#include "api/node_caller.hpp"
#include "app/definitions.hpp"
#include "app/logging.hpp"
#include "app/reload.hpp"
#include "core/digest.hpp"
#include "core/ids.hpp"
#include "core/password.hpp"
#include "core/validate.hpp"
#include "net/http_server.hpp"
#include "net/io_pool.hpp"
#include "net/router.hpp"
#include "net/tenant_json.hpp"
#include "store/sqlite_store.hpp"

namespace gw {

namespace {

/// The nodes to run: the config file's merged with what the operator
/// changed at runtime (app/definitions.hpp), the file's changes stored.
std::vector<node_config> start_nodes(store::node_repo& db,
                                     const std::vector<node_config>& file,
                                     std::string& error) {
  auto loaded = db.load_nodes();
  if (!loaded) {
    error = loaded.error().message;
    return {};
  }
  auto merged = merge_nodes(*loaded, file);
  for (const auto& n : merged.put)
    if (auto r = db.put_node(n); !r)
      error = r.error().message;
  for (const auto& id : merged.drop)
    if (auto r = db.remove_node(id); !r)
      error = r.error().message;
  return std::move(merged.run);
}

/// The tenants to run, by the nodes' rule.
std::vector<tenant_spec>
start_tenants(store::tenant_repo& db,
              const std::vector<config::tenant_config>& file,
              std::string& error) {
  auto loaded = db.load_tenants();
  if (!loaded) {
    error = loaded.error().message;
    return {};
  }
  auto merged = merge_tenants(
    *loaded, file, [](const std::string& pw) { return hash_password(pw); });
  for (const auto& t : merged.put)
    if (auto r = db.put_tenant(t); !r)
      error = r.error().message;
  for (const auto& id : merged.drop)
    if (auto r = db.remove_tenant(id); !r)
      error = r.error().message;
  return std::move(merged.run);
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

/// What the store held at start: meetings and unfinished creates by
/// tenant, commitments by node.
struct restored {
  std::map<std::string, tenant_meetings> by_tenant;
  node_commitments commits;
  std::size_t meetings = 0;
  std::size_t intents = 0;
  std::vector<recording> recordings;
  relay_restore outbox;
  std::vector<hook> hooks;
};

restored split_rows(std::vector<meeting_row> rows,
                    std::vector<create_intent> intents) {
  restored out;
  out.meetings = rows.size();
  out.intents = intents.size();
  for (auto& r : rows) {
    commitment c;
    c.key = meeting_key(r.tenant, r.meeting_id);
    c.node_meeting_id = r.node_meeting_id;
    c.n = r.max_participants;
    c.confirmed = true;
    out.commits[r.node_id].push_back(std::move(c));
    out.by_tenant[r.tenant].rows.push_back(std::move(r));
  }
  // A create recorded but unanswered holds its connections on its node
  // until its tenant adopts the meeting or lets it go.
  for (auto& i : intents) {
    commitment c;
    c.key = meeting_key(i.tenant, i.meeting_id);
    c.node_meeting_id = i.node_meeting_id;
    c.n = i.max_participants;
    out.commits[i.node_id].push_back(std::move(c));
    out.by_tenant[i.tenant].intents.push_back(std::move(i));
  }
  return out;
}

} // namespace

struct gateway::impl {
  explicit impl(config::config c)
    : cfg(std::move(c)),
      pool(std::make_unique<net::io_pool>(cfg.io_threads, "gw-io")),
      background(
        std::make_unique<net::io_pool>(1, "gw-bg-io", background_nice)),
      sys(system_config(sys_cfg)) {}

  config::config cfg;
  // The io threads outlive the actors: actors may post to them until they
  // are done. stop() destroys the pool after that, which also drops the
  // actor handles that pending io handlers hold (otherwise ~actor_system
  // would wait for the detached store actor forever).
  std::unique_ptr<net::io_pool> pool;
  // One more io thread, at nice 10, for bulk reads in the background (a
  // reconciliation's pages): they never hold up a thread serving clients.
  static constexpr int background_nice = 10;
  std::unique_ptr<net::io_pool> background;
  caf::actor_system_config sys_cfg;
  caf::actor_system sys;
  std::unique_ptr<net::http_server> server;
  std::shared_ptr<net::router> routes;
  store_actor store;
  checkpoint_actor checkpoints;
  fleet_actor fleet;
  tenants_actor tenants;
  recordings_actor recordings_index;
  relay_actor relays;
  hooks_actor hooks;
  /// The commits' durations (written by the store actor) and the API's
  /// per-io-thread counters, read by /metrics.
  std::shared_ptr<store_metrics> store_figures =
    std::make_shared<store_metrics>();
  std::shared_ptr<api::api_metrics> api_counters;
  /// Destinations no callback may name: the gateway itself, its nodes.
  std::function<bool(const url_parts&)> forbidden;
  std::shared_ptr<snapshot_slot<node_directory>> directory =
    std::make_shared<snapshot_slot<node_directory>>();
  std::shared_ptr<snapshot_slot<tenant_registry>> registry =
    std::make_shared<snapshot_slot<tenant_registry>>();
  std::shared_ptr<snapshot_slot<tenant_directory>> tenant_dir =
    std::make_shared<snapshot_slot<tenant_directory>>();
  password_actor passwords;
  console_actor console;
  /// The tenants to run (the file's merged with the stored ones).
  std::vector<tenant_spec> tenant_specs;
  bool running = false;

  std::string open_store(restored& rows, std::vector<node_config>& nodes);
  void spawn_recordings(std::vector<recording> restored, relay_restore outbox);
  void spawn_hooks(std::vector<hook> restored);
  void spawn_fleet(std::vector<node_config> nodes, node_commitments commits);
  std::string spawn_tenants(restored& rows);
  void build_routes();
  std::string listen();
};

/// Opens the database (and the checkpointer's connection), reads what it
/// holds, merges the nodes, and spawns the store and checkpoint actors.
std::string gateway::impl::open_store(restored& rows,
                                      std::vector<node_config>& nodes) {
  auto db = std::make_shared<store::sqlite_store>();
  if (auto err = db->open(cfg.database, false); !err.empty())
    return err;
  // Checkpoints run on a connection and thread of their own.
  auto checkpoint_db = std::make_shared<store::sqlite_store>();
  if (auto err = checkpoint_db->open(cfg.database, false); !err.empty())
    return err;
  auto loaded = db->load_meetings();
  if (!loaded)
    return "database '" + cfg.database + "': " + loaded.error().message;
  auto intents = db->load_intents();
  if (!intents)
    return "database '" + cfg.database + "': " + intents.error().message;
  rows = split_rows(std::move(*loaded), std::move(*intents));
  auto recordings = db->load_recordings();
  if (!recordings)
    return "database '" + cfg.database + "': " + recordings.error().message;
  rows.recordings = std::move(*recordings);
  auto outbox = db->outbox_summary_now();
  if (!outbox)
    return "database '" + cfg.database + "': " + outbox.error().message;
  rows.outbox.next_id = outbox->next_id;
  rows.outbox.destinations = std::move(outbox->destinations);
  auto stored_hooks = db->load_hooks();
  if (!stored_hooks)
    return "database '" + cfg.database + "': " + stored_hooks.error().message;
  rows.hooks = std::move(*stored_hooks);
  // Done before the store actor owns the database.
  std::string error;
  nodes = start_nodes(*db, cfg.nodes, error);
  if (!error.empty())
    return "database '" + cfg.database + "': " + error;
  tenant_specs = start_tenants(*db, cfg.tenants, error);
  if (!error.empty())
    return "database '" + cfg.database + "': " + error;
  spdlog::info("restored {} meetings and {} unfinished creates from {}",
               rows.meetings, rows.intents, cfg.database);
  // The store's commits count the log frames they write; the checkpointer
  // reads the count to decide when to copy the log.
  auto written = std::make_shared<std::atomic<int64_t>>(0);
  db->count_log_frames(written);
  store = sys.spawn<caf::detached>(
    store_service_timed, store::repositories{db, db, db, db, db, db, db},
    store_figures);
  caf::anon_send(store, atom::usage_v, atom::tick_v,
                 static_cast<int64_t>(cfg.usage_retention_days) * 86'400'000);
  checkpoints = sys.spawn<caf::detached>(
    checkpointer, checkpoint_db, cfg.database, written, checkpoint_policy{});
  return {};
}

/// Spawns the recordings actor with the index the store held, and one
/// published index per tenant.
void gateway::impl::spawn_recordings(std::vector<recording> restored,
                                     relay_restore outbox) {
  // Tenants are registered with it by their supervisor.
  auto env = std::make_shared<recordings_env>();
  env->own_url_prefix = cfg.public_url + "/_gw/";
  env->store = store;
  env->nodes = directory;
  env->call_node = api::make_node_caller(*pool, background.get());
  auto renv = std::make_shared<relay_env>();
  renv->send = api::make_web_caller(*pool);
  renv->retry_for = std::chrono::hours(cfg.callbacks_retry_hours);
  renv->store = store;
  // Never the gateway itself nor one of its nodes (a client could make the
  // gateway call its own admin API or a node's API otherwise).
  std::vector<url_parts> own;
  for (auto u : {cfg.public_url + "/", "http://" + cfg.listen + "/"}) {
    url_parts ep;
    std::string target;
    if (parse_target_url(u, ep, target))
      own.push_back(ep);
  }
  forbidden = [own, nodes = directory](const url_parts& ep) {
    auto same = [&ep](const url_parts& o) {
      return o.port == ep.port && o.host == ep.host;
    };
    if (std::any_of(own.begin(), own.end(), same))
      return true;
    auto dir = nodes->load();
    return std::any_of(dir->begin(), dir->end(),
                       [&same](const auto& n) { return same(n.second->ep); });
  };
  renv->forbidden = forbidden;
  relays = sys.spawn(gw::relay, std::shared_ptr<const relay_env>{renv},
                     std::move(outbox));
  env->relay = relays;
  spdlog::info("restored {} recordings", restored.size());
  recordings_index =
    sys.spawn(gw::recordings, std::shared_ptr<const recordings_env>{env},
              std::move(restored));
}

/// Spawns the hooks actor with the tenants' stored webhooks.
void gateway::impl::spawn_hooks(std::vector<hook> restored) {
  auto env = std::make_shared<hooks_env>();
  env->store = store;
  env->relay = relays;
  url_parts ep;
  std::string target;
  env->domain = parse_target_url(cfg.public_url + "/", ep, target)
                  ? ep.host
                  : cfg.public_url;
  hooks = sys.spawn(gw::hooks, std::shared_ptr<const hooks_env>{env},
                    std::move(restored));
}

/// Spawns the fleet with its node actors (they poll their nodes).
void gateway::impl::spawn_fleet(std::vector<node_config> nodes,
                                node_commitments commits) {
  auto fenv = std::make_shared<fleet_env>();
  fenv->call_node = api::make_node_caller(*pool, background.get());
  fenv->poll_interval =
    std::chrono::milliseconds(cfg.poll_interval_seconds * 1000);
  fenv->poll_timeout =
    std::min(fenv->poll_interval, std::chrono::milliseconds(5000));
  fenv->tenants = registry;
  fenv->store = store;
  fenv->recordings = recordings_index;
  fenv->recordings_sync_interval =
    std::chrono::milliseconds(cfg.recordings_sync_seconds * 1000);
  // Each node delivers its bbb-webhooks events to the gateway's own hook,
  // checked every three polls (at most every 30 s).
  fenv->events_url_base = cfg.public_url + "/_gw/events/";
  fenv->hooks_check_interval =
    std::min(fenv->poll_interval * 3,
             std::chrono::milliseconds(std::chrono::seconds(30)));
  fleet = sys.spawn(gw::fleet, std::move(nodes), std::move(commits), directory,
                    std::shared_ptr<const fleet_env>{fenv});
}

/// Spawns the tenants supervisor and one actor per tenant under it, and
/// waits until each has restored and published its meetings (main thread,
/// before any io thread runs: blocking is fine here).
std::string gateway::impl::spawn_tenants(restored& rows) {
  auto base = std::make_shared<tenant_env>();
  base->default_max_participants = cfg.defaults.max_participants;
  base->default_duration_minutes = cfg.defaults.duration_minutes;
  base->texts = cfg.texts;
  base->minute_ms = cfg.minute_seconds * 1000.0;
  base->public_url = cfg.public_url;
  base->fleet = fleet;
  base->store = store;
  base->nodes = directory;
  base->call_node = api::make_node_caller(*pool, background.get());
  // Crash recovery: a stranger must be seen in polls two intervals apart
  // before it is ended; a restored create has three polls (and a slow
  // answer's worth) to show up (docs/hardening.md).
  auto poll = std::chrono::milliseconds(cfg.poll_interval_seconds * 1000);
  base->orphan_grace = std::max(2 * poll, std::chrono::milliseconds(1000));
  base->intent_grace = 3 * poll + std::chrono::milliseconds(2000);
  auto tenv = std::make_shared<tenants_env>();
  tenv->registry = registry;
  tenv->directory = tenant_dir;
  tenv->store = store;
  tenv->base = base;
  tenv->recordings = recordings_index;
  tenants =
    sys.spawn(tenants_supervisor, std::shared_ptr<const tenants_env>{tenv});
  passwords = sys.spawn<caf::detached>(password_service);
  caf::scoped_actor self{sys};
  std::string failure;
  std::vector<tenant_actor> started;
  for (const auto& t : tenant_specs) {
    auto env = make_tenant_env(*base, t);
    self
      ->request(tenants, std::chrono::seconds(60), atom::add_v, env,
                std::move(rows.by_tenant[t.id]))
      .receive([&](tenant_actor& a) { started.push_back(a); },
               [&](caf::error& e) { failure = sys.render(e); });
  }
  // CAF runs an actor's initialisation when it is first scheduled.
  for (auto& t : started)
    self->request(t, std::chrono::seconds(60), atom::stats_v)
      .receive([](const tenant_stats&) {},
               [&](caf::error& e) { failure = sys.render(e); });
  self->request(fleet, std::chrono::seconds(60), atom::nodes_v)
    .receive([](const std::vector<node_load>&) {},
             [&](caf::error& e) { failure = sys.render(e); });
  return failure.empty() ? std::string{} : "actors did not start: " + failure;
}

/// The routing table: health, admin, the BBB API and the nodes' callbacks.
void gateway::impl::build_routes() {
  routes = std::make_shared<net::router>();
  routes->add(
    net::router::match::exact, "/healthz",
    [](net::http_request&&, const net::request_info&, net::responder respond) {
      respond(net::make_response(200, "text/plain", "ok\n"));
    });
  auto admin = std::make_shared<api::admin_api>(
    sys,
    api::admin_actors{fleet, tenants, passwords, store,
                      cfg.minute_seconds * 1000.0},
    directory, tenant_dir, cfg.admin_token);
  admin->add_routes(*routes);
  api::api_settings settings;
  settings.public_url = cfg.public_url;
  settings.body_limit_bytes = cfg.body_limit_bytes;
  settings.live_data_max_age_ms = cfg.live_data_max_age_ms;
  settings.forbidden_destination = forbidden;
  api_counters = std::make_shared<api::api_metrics>(pool->size());
  settings.metrics = api_counters;
  if (cfg.log_access)
    settings.access_log =
      std::make_shared<net::access_log>(pool->size(), cfg.log_format);
  api::metrics_sources ms;
  ms.fleet = fleet;
  ms.tenants = tenants;
  ms.relay = relays;
  ms.nodes = directory;
  ms.tenant_dir = tenant_dir;
  ms.api = api_counters;
  ms.store = store_figures;
  ms.open_connections = [this]() -> std::size_t {
    return server ? server->open_connections() : 0;
  };
  ms.version = BBBGATE_VERSION;
  ms.token = cfg.metrics_token;
  std::make_shared<api::metrics_api>(sys, std::move(ms))->add_routes(*routes);
  if (cfg.console.enabled) {
    console = sys.spawn(
      console_service, passwords,
      std::chrono::milliseconds(cfg.console.session_minutes * 60 * 1000));
    api::console_settings cs;
    cs.public_url = cfg.public_url;
    cs.session_length = std::chrono::minutes(cfg.console.session_minutes);
    cs.platform_texts = cfg.texts;
    cs.store = store;
    cs.minute_ms = cfg.minute_seconds * 1000.0;
    cs.fleet = fleet;
    // Hashed once here (main thread, before listening): sign-ins compare
    // in constant time and share the throttle with the tenants'.
    for (const auto* secret :
         {&cfg.admin_token, &cfg.console.operator_password})
      if (!secret->empty())
        cs.operator_hashes.push_back(hash_password(*secret));
    auto con = std::make_shared<api::console_api>(sys, console, tenants,
                                                  tenant_dir, directory, cs);
    con->add_routes(*routes);
  }
  auto* p = pool.get();
  auto bbb = std::make_shared<api::bbb_api>(
    tenant_dir, directory, settings,
    [p]() -> net::io_shard& { return p->next(); },
    api::api_actors{recordings_index, relays, hooks});
  bbb->add_routes(*routes);
}

/// Listens and starts the io threads.
std::string gateway::impl::listen() {
  net::server_limits limits;
  limits.body_limit = cfg.body_limit_bytes;
  limits.max_connections = cfg.max_connections;
  auto r = routes;
  server = std::make_unique<net::http_server>(
    *pool,
    [r](net::http_request&& req, const net::request_info& info,
        net::responder respond) {
      r->handle(std::move(req), info, std::move(respond));
    },
    limits);
  std::string host;
  uint16_t port = 0;
  split_host_port(cfg.listen, host, port);
  if (auto err = server->listen(host, port); !err.empty())
    return err;
  pool->start();
  background->start();
  spdlog::info("bbbgate listening on {}:{} ({} tenants, {} nodes)", host,
               server->port(), tenant_dir->load()->by_id.size(),
               cfg.nodes.size());
  spdlog::info("at most {} client connections (max_connections)",
               server->max_connections());
  return {};
}

gateway::gateway(config::config cfg)
  : impl_(std::make_unique<impl>(std::move(cfg))) {}

gateway::~gateway() {
  stop();
}

std::string gateway::start() {
  auto& m = *impl_;
  restored rows;
  std::vector<node_config> nodes;
  if (auto err = m.open_store(rows, nodes); !err.empty())
    return err;
  m.running = true; // from here on, stop() has something to stop
  m.spawn_recordings(std::move(rows.recordings), std::move(rows.outbox));
  m.spawn_hooks(std::move(rows.hooks));
  m.spawn_fleet(std::move(nodes), std::move(rows.commits));
  if (auto err = m.spawn_tenants(rows); !err.empty()) {
    stop();
    return err;
  }
  m.build_routes();
  if (auto err = m.listen(); !err.empty()) {
    stop();
    return err;
  }
  return {};
}

std::size_t gateway::reload(const config::config& next) {
  auto& m = *impl_;
  if (!m.running)
    return 0;
  for (const auto& key : restart_only_changes(m.cfg, next))
    spdlog::warn("reload: {} changed; it takes effect at the next restart",
                 key);
  reload_actors actors;
  actors.sys = &m.sys;
  actors.store = m.store;
  actors.fleet = m.fleet;
  actors.tenants = m.tenants;
  actors.directory = m.directory;
  actors.tenant_dir = m.tenant_dir;
  auto report = apply_reload(actors, next);
  for (const auto& line : report.done)
    spdlog::info("reload: {}", line);
  for (const auto& line : report.failed)
    spdlog::error("reload: refused: {}", line);
  spdlog::info("reload: {} changes made, {} refused", report.done.size(),
               report.failed.size());
  m.cfg.nodes = next.nodes;
  m.cfg.tenants = next.tenants;
  return report.failed.size();
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
  m.background->stop();
  // The supervisor stops its tenant actors as it goes.
  for (const auto& h : {caf::actor_cast<caf::actor>(m.tenants),
                        caf::actor_cast<caf::actor>(m.fleet),
                        caf::actor_cast<caf::actor>(m.recordings_index),
                        caf::actor_cast<caf::actor>(m.relays),
                        caf::actor_cast<caf::actor>(m.hooks),
                        caf::actor_cast<caf::actor>(m.passwords),
                        caf::actor_cast<caf::actor>(m.console),
                        caf::actor_cast<caf::actor>(m.store),
                        caf::actor_cast<caf::actor>(m.checkpoints)})
    if (h)
      caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
  m.sys.await_all_actors_done();
  m.server.reset();
  m.routes.reset();
  m.tenants = nullptr;
  m.fleet = nullptr;
  m.recordings_index = nullptr;
  m.relays = nullptr;
  m.hooks = nullptr;
  m.passwords = nullptr;
  m.console = nullptr;
  m.store = nullptr;
  m.checkpoints = nullptr;
  m.pool.reset();
  m.background.reset();
}

} // namespace gw
