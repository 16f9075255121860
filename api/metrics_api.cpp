#include "api/metrics_api.hpp"

#include <map>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "api/ask.hpp"
#include "core/digest.hpp"
#include "net/io_pool.hpp"
#include "net/prometheus.hpp"

namespace gw::api {

namespace http = boost::beast::http;

namespace {

constexpr auto ask_timeout = std::chrono::milliseconds(5000);

/// What the actors told one scrape.
struct scraped {
  std::vector<node_load> nodes;
  tenant_stats_map_ptr tenants;
  relay_stats relay;
};

std::string render(const metrics_sources& src, const scraped& s) {
  net::prometheus_writer w;
  w.family("bbbgate_build_info", "gauge", "The running bbbgate's version.");
  w.sample("bbbgate_build_info", {{"version", src.version}}, 1);

  // -- nodes ---------------------------------------------------------------
  auto dir = src.nodes->load();
  std::map<std::string, std::pair<int64_t, int64_t>> live; // meetings, people
  for (const auto& [id, info] : *dir) {
    auto l = info->live->load();
    int64_t people = 0;
    for (const auto& [nid, m] : l->meetings)
      people += m.participants;
    live[id] = {static_cast<int64_t>(l->meetings.size()), people};
  }
  auto node_family = [&](const char* name, const char* type, const char* help,
                         auto value) {
    w.family(name, type, help);
    for (const auto& n : s.nodes)
      w.sample(name, {{"node", n.id}}, static_cast<double>(value(n)));
  };
  node_family("bbbgate_node_up", "gauge",
              "1 while the node answers its polls, else 0.",
              [](const node_load& n) { return n.online ? 1 : 0; });
  node_family("bbbgate_node_capacity_connections", "gauge",
              "The node's configured capacity (connections).",
              [](const node_load& n) { return n.capacity; });
  node_family("bbbgate_node_committed_connections", "gauge",
              "Connections booked on the node (what placement counts).",
              [](const node_load& n) { return n.committed; });
  node_family("bbbgate_node_meetings", "gauge",
              "Meetings the gateway placed on the node.",
              [](const node_load& n) { return n.meetings; });
  node_family("bbbgate_node_participants", "gauge",
              "Participants the last poll saw on the node.",
              [&live](const node_load& n) {
                auto it = live.find(n.id);
                return it == live.end() ? 0 : it->second.second;
              });
  w.family("bbbgate_node_calls_total", "counter",
           "Calls the gateway made to the node (polls, creates, proxied "
           "calls, recordings, hooks), by outcome: ok (2xx), http_error "
           "(another status), failed (no complete answer).");
  for (const auto& [id, info] : *dir) {
    const auto& m = *info->metrics;
    for (const auto& [outcome, counter] :
         {std::pair<const char*, const std::atomic<uint64_t>*>{"ok",
                                                               &m.calls_ok},
          {"http_error", &m.calls_http_error},
          {"failed", &m.calls_failed}})
      w.sample("bbbgate_node_calls_total", {{"node", id}, {"outcome", outcome}},
               static_cast<double>(counter->load(std::memory_order_relaxed)));
  }
  w.family("bbbgate_node_poll_duration_seconds", "histogram",
           "Time from a poll's getMeetings to its answer (or failure).");
  for (const auto& [id, info] : *dir) {
    histogram_sum h;
    h.add(info->metrics->polls);
    w.histogram("bbbgate_node_poll_duration_seconds", {{"node", id}}, h);
  }
  w.family("bbbgate_node_webhooks", "gauge",
           "1 for the state of the gateway's hook on the node's "
           "bbb-webhooks (unknown, registered, absent, failed).");
  for (const auto& [id, info] : *dir)
    w.sample("bbbgate_node_webhooks",
             {{"node", id}, {"state", info->live->load()->webhooks}}, 1);

  // -- tenants -------------------------------------------------------------
  auto tdir = src.tenant_dir->load();
  w.family("bbbgate_tenant_connections", "gauge",
           "A tenant's connections: subscribed, reserved by its meetings, "
           "and lapsed (reserved by meetings past their duration).");
  int64_t preemptions = 0;
  int64_t failovers = 0;
  for (const auto& [id, entry] : tdir->by_id) {
    tenant_stats st;
    if (s.tenants)
      if (auto it = s.tenants->find(id); it != s.tenants->end())
        st = it->second;
    preemptions += st.preemptions;
    failovers += st.failovers;
    w.sample("bbbgate_tenant_connections",
             {{"tenant", id}, {"state", "subscribed"}},
             static_cast<double>(entry->env->cfg.connections));
    w.sample("bbbgate_tenant_connections",
             {{"tenant", id}, {"state", "reserved"}},
             static_cast<double>(st.committed));
    w.sample("bbbgate_tenant_connections",
             {{"tenant", id}, {"state", "lapsed"}},
             static_cast<double>(st.lapsed_connections));
  }
  w.family("bbbgate_tenant_meetings", "gauge", "A tenant's running meetings.");
  if (s.tenants)
    for (const auto& [id, st] : *s.tenants)
      w.sample("bbbgate_tenant_meetings", {{"tenant", id}},
               static_cast<double>(st.meetings));

  // -- the API ---------------------------------------------------------------
  auto t = src.api ? src.api->totals() : api_totals{};
  w.family("bbbgate_api_requests_total", "counter",
           "BBB API calls answered, by call and returncode (redirect: a "
           "join's 302; error: an HTTP error without a BBB answer).");
  for (std::size_t c = 0; c < counted_calls.size(); ++c)
    for (std::size_t r = 0; r < returncodes.size(); ++r)
      if (t.answers[c][r] > 0)
        w.sample("bbbgate_api_requests_total",
                 {{"call", std::string{counted_calls[c]}},
                  {"returncode", std::string{returncodes[r]}}},
                 static_cast<double>(t.answers[c][r]));
  w.family("bbbgate_api_request_duration_seconds", "histogram",
           "Time from a BBB API call's arrival to its answer, by call.");
  for (std::size_t c = 0; c < counted_calls.size(); ++c)
    if (t.duration[c].count > 0)
      w.histogram("bbbgate_api_request_duration_seconds",
                  {{"call", std::string{counted_calls[c]}}}, t.duration[c]);
  w.family("bbbgate_creates_total", "counter",
           "Creates answered, by outcome (created, duplicate, or the "
           "messageKey of the failure).");
  for (std::size_t o = 0; o < create_outcomes.size(); ++o)
    w.sample("bbbgate_creates_total",
             {{"outcome", std::string{create_outcomes[o]}}},
             static_cast<double>(t.creates[o]));
  w.family("bbbgate_preemptions_total", "counter",
           "Lapsed meetings ended to make room (since each tenant actor "
           "started).");
  w.sample("bbbgate_preemptions_total", {}, static_cast<double>(preemptions));
  w.family("bbbgate_failovers_total", "counter",
           "Meetings moved to another node because theirs was unusable.");
  w.sample("bbbgate_failovers_total", {}, static_cast<double>(failovers));

  // -- callbacks, the store, connections --------------------------------
  w.family("bbbgate_callbacks_total", "counter",
           "Callbacks relayed to clients, by kind (end, recording-ready, "
           "analytics, webhook) and outcome (delivered, given_up, refused).");
  for (const auto& [key, n] : s.relay.by_kind) {
    auto slash = key.rfind('/');
    w.sample(
      "bbbgate_callbacks_total",
      {{"kind", key.substr(0, slash)}, {"outcome", key.substr(slash + 1)}},
      static_cast<double>(n));
  }
  w.family("bbbgate_outbox_pending", "gauge",
           "Relays held in memory for delivery (more may wait in the "
           "store's outbox).");
  w.sample("bbbgate_outbox_pending", {}, static_cast<double>(s.relay.pending));
  w.family("bbbgate_callback_destinations_failing", "gauge",
           "Callback destinations that failed their last delivery.");
  w.sample("bbbgate_callback_destinations_failing", {},
           static_cast<double>(s.relay.failing));
  w.family("bbbgate_snapshot_publications_total", "counter",
           "Snapshots the actors published for the io threads to read: "
           "the node directory (fleet), each node's live data (its "
           "actor), the tenant directory (tenants supervisor), each "
           "tenant's meetings view and recordings index.");
  {
    uint64_t node_live = 0;
    for (const auto& [id, info] : *src.nodes->load())
      node_live += info->live->publications();
    uint64_t views = 0;
    uint64_t indexes = 0;
    for (const auto& [id, entry] : src.tenant_dir->load()->by_id) {
      views += entry->env->view->publications();
      indexes += entry->recordings->publications();
    }
    for (const auto& [name, n] :
         {std::pair<const char*, uint64_t>{"nodes", src.nodes->publications()},
          {"node_live", node_live},
          {"tenants", src.tenant_dir->publications()},
          {"tenant_meetings", views},
          {"tenant_recordings", indexes}})
      w.sample("bbbgate_snapshot_publications_total", {{"snapshot", name}},
               static_cast<double>(n));
  }
  w.family("bbbgate_store_commit_seconds", "histogram",
           "Time of the store's commits (one transaction per group).");
  histogram_sum commits;
  if (src.store)
    commits.add(src.store->commits);
  w.histogram("bbbgate_store_commit_seconds", {}, commits);
  w.family("bbbgate_store_queue_length", "gauge",
           "Writes the store's last group commit took: those that queued "
           "up while the commit before ran (growing: the disk does not "
           "keep up).");
  w.sample("bbbgate_store_queue_length", {},
           src.store ? static_cast<double>(
             src.store->queued.load(std::memory_order_relaxed))
                     : 0);
  w.family("bbbgate_http_connections_open", "gauge",
           "Inbound HTTP connections open.");
  w.sample(
    "bbbgate_http_connections_open", {},
    static_cast<double>(src.open_connections ? src.open_connections() : 0));
  return w.text();
}

} // namespace

metrics_api::metrics_api(caf::actor_system& sys, metrics_sources sources)
  : sys_(sys), src_(std::move(sources)) {}

void metrics_api::add_routes(net::router& r) {
  auto self = shared_from_this();
  r.add(net::router::match::exact, "/metrics",
        [self](net::http_request&& req, const net::request_info& info,
               net::responder respond) {
          if (req.method() != http::verb::get)
            return respond(net::make_response(405, "text/plain", "GET only\n"));
          if (!self->src_.token.empty()) {
            std::string_view auth = req[http::field::authorization];
            constexpr std::string_view bearer = "Bearer ";
            if (auth.substr(0, bearer.size()) != bearer
                || !constant_time_equal(auth.substr(bearer.size()),
                                        self->src_.token))
              return respond(net::make_response(401, "text/plain",
                                                "metrics.token required\n"));
          }
          self->scrape(info, std::move(respond));
        });
}

void metrics_api::scrape(const net::request_info& info,
                         net::responder respond) const {
  auto self = shared_from_this();
  auto ex = info.shard->ioc.get_executor();
  auto out = std::make_shared<scraped>();
  auto finish = [self, out, respond]() {
    auto res = net::make_response(200, "text/plain; version=0.0.4",
                                  render(self->src_, *out));
    respond(std::move(res));
  };
  // One question to each actor per scrape; an actor that does not answer
  // leaves its families empty rather than failing the scrape.
  ask<std::vector<node_load>>(
    sys_, src_.fleet, ex, ask_timeout,
    [self, out, ex, finish](caf::expected<std::vector<node_load>> nodes) {
      if (nodes)
        out->nodes = std::move(*nodes);
      ask<tenant_stats_map_ptr>(
        self->sys_, self->src_.tenants, ex, ask_timeout,
        [self, out, ex, finish](caf::expected<tenant_stats_map_ptr> t) {
          if (t)
            out->tenants = *t;
          if (!self->src_.relay)
            return finish();
          ask<relay_stats>(
            self->sys_, self->src_.relay, ex, ask_timeout,
            [out, finish](caf::expected<relay_stats> r) {
              if (r)
                out->relay = std::move(*r);
              finish();
            },
            atom::stats_v);
        },
        atom::stats_v);
    },
    atom::nodes_v);
}

} // namespace gw::api
