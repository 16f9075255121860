#pragma once

// A tenant actor, a fleet with node actors and a store under CAF's
// deterministic test coordinator; node calls are recorded and answered by
// the simulator's API logic (sim_state), so time is virtual and nothing
// touches a socket.
#include <chrono>
#include <filesystem>
#include <map>
#include <random>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actors/fleet_actor.hpp"
#include "actors/store_actor.hpp"
#include "actors/tenant_actor.hpp"
#include "core/ids.hpp"
#include "net/checksum.hpp"
#include "net/meeting_xml.hpp"
#include "net/xml.hpp"
#include "sim/sim_state.hpp"
#include "store/sqlite_store.hpp"
#include "tests/scratch_dir.hpp"

namespace gw::test {

using namespace std::chrono_literals;

inline caf::actor_system_config& testing_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.policy", caf::atom("testing"));
  cfg.add_message_types<caf::id_block::gw>();
  return cfg;
}

/// A node call the fake caller recorded.
struct recorded_call {
  std::shared_ptr<const node_info> node;
  node_request req;
  node_done done;
};

/// A create's outcome as the client reads it (rendered as the API does).
inline std::string rendered(const create_result& r) {
  return net::render_create(r);
}

inline config::node_config node_cfg(std::string id, int64_t cap) {
  config::node_config c;
  c.id = id;
  c.url = "http://127.0.0.1:1/" + id + "/";
  c.secret = "secret-" + id;
  c.capacity = cap;
  return c;
}

class ActorFixture : public ::testing::Test {
protected:
  caf::actor_system_config cfg_;
  caf::actor_system sys_{testing_config(cfg_)};
  caf::scheduler::test_coordinator& sched_ =
    dynamic_cast<caf::scheduler::test_coordinator&>(sys_.scheduler());
  caf::scoped_actor self_{sys_, true};
  std::shared_ptr<std::vector<recorded_call>> calls_ =
    std::make_shared<std::vector<recorded_call>>();
  std::map<std::string, std::unique_ptr<sim::sim_state>> nodes_;
  std::shared_ptr<store::sqlite_store> db_ =
    std::make_shared<store::sqlite_store>();
  std::string db_path_;
  store_actor store_;
  fleet_actor fleet_;
  tenant_actor tenant_;
  std::shared_ptr<tenant_env> env_;
  std::shared_ptr<snapshot_slot<node_directory>> directory_;
  std::shared_ptr<snapshot_slot<tenant_registry>> registry_ =
    std::make_shared<snapshot_slot<tenant_registry>>();
  std::shared_ptr<std::vector<std::string>> answers_ =
    std::make_shared<std::vector<std::string>>();

  void SetUp() override {
    auto dir = gw::test::scratch_dir("bbbgate-actor");
    db_path_ = (dir / "t.db").string();
    ASSERT_EQ(db_->open(db_path_), "");
    store_ = sys_.spawn(store_service,
                        store::repositories{db_, db_, db_, db_, db_, db_, db_});
  }

  /// Nodes are polled every 10 s (virtual) when `polling` is set.
  void start(std::vector<config::node_config> nodes, int64_t connections,
             std::vector<meeting_row> rows = {}, bool polling = false,
             std::vector<create_intent> intents = {}) {
    node_commitments commits;
    for (const auto& i : intents) {
      commitment c;
      c.key = i.tenant + "/" + i.meeting_id;
      c.node_meeting_id = i.node_meeting_id;
      c.n = i.max_participants;
      commits[i.node_id].push_back(c);
    }
    for (const auto& r : rows) {
      commitment c;
      c.key = r.tenant + "/" + r.meeting_id;
      c.node_meeting_id = r.node_meeting_id;
      c.n = r.max_participants;
      c.confirmed = true;
      commits[r.node_id].push_back(c);
    }
    for (const auto& n : nodes)
      nodes_[n.id] = std::make_unique<sim::sim_state>(n.secret, n.url);
    // No polling here: the node actor's polls are tested on their own.
    auto directory = std::make_shared<snapshot_slot<node_directory>>();
    directory_ = directory;
    auto fenv = std::make_shared<fleet_env>();
    fenv->tenants = registry_;
    if (polling) {
      auto recorder = calls_;
      fenv->call_node = [recorder](int, std::shared_ptr<const node_info> n,
                                   node_request req, node_done d) {
        recorder->push_back({std::move(n), std::move(req), std::move(d)});
      };
      fenv->poll_interval = 10s;
    }
    fleet_ = sys_.spawn(fleet, nodes, commits, directory,
                        std::shared_ptr<const fleet_env>{fenv});
    env_ = std::make_shared<tenant_env>();
    env_->cfg.id = "acme";
    env_->cfg.secrets = {"s"};
    env_->cfg.connections = connections;
    env_->node_prefix = tenant_prefix("acme");
    env_->default_max_participants = 10;
    env_->default_duration_minutes = 60;
    env_->minute_ms = 1000; // one API minute = one second
    env_->view = std::make_shared<snapshot_slot<tenant_view>>();
    env_->fleet = fleet_;
    env_->store = store_;
    env_->nodes = directory;
    auto calls = calls_;
    env_->call_node = [calls](int, std::shared_ptr<const node_info> n,
                              node_request req, node_done d) {
      calls->push_back({std::move(n), std::move(req), std::move(d)});
    };
    tenant_ = sys_.spawn(tenant, std::shared_ptr<const tenant_env>{env_},
                         tenant_meetings{rows, intents});
    auto reg = std::make_shared<tenant_registry>();
    reg->by_id["acme"] = tenant_;
    reg->by_prefix[env_->node_prefix] = tenant_;
    registry_->store(std::move(reg));
    sched_.run();
  }

  void TearDown() override {
    for (const auto& h : {caf::actor_cast<caf::actor>(tenant_),
                          caf::actor_cast<caf::actor>(fleet_),
                          caf::actor_cast<caf::actor>(store_)})
      if (h)
        caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
    sched_.run();
  }

  /// Sends a create; `qs` is the client's (already verified) query.
  void send_create(const std::string& id, int64_t max, int64_t minutes,
                   const std::string& extra = "") {
    auto job = std::make_shared<create_job>();
    job->meeting_id = id;
    job->q = *net::query::parse("meetingID=" + id + "&name=Room" + extra);
    job->max_participants = max;
    job->duration_minutes = minutes;
    auto answers = answers_;
    job->reply = [answers](create_result&& r) {
      answers->push_back(rendered(r));
    };
    caf::anon_send(tenant_, atom::create_v, job);
    sched_.run();
  }

  /// Answers every node call (and those they lead to) from the simulated
  /// nodes; calls to `failing` fail (refused, or answered `failure`).
  void answer_nodes(const std::string& failing = "",
                    const std::string& failure = "") {
    while (!calls_->empty()) {
      auto pending = std::move(*calls_);
      calls_->clear();
      for (auto& c : pending)
        answer(c, failing, failure);
      sched_.run();
    }
  }

  /// Answers the oldest node call only.
  void answer_first_call() {
    ASSERT_FALSE(calls_->empty());
    auto c = std::move(calls_->front());
    calls_->erase(calls_->begin());
    answer(c, "", "");
    sched_.run();
  }

  std::string last_key() {
    return answers_->empty()
             ? "<none>"
             : net::element_text(answers_->back(), "messageKey");
  }

  std::string last_rc() {
    return answers_->empty()
             ? "<none>"
             : net::element_text(answers_->back(), "returncode");
  }

  tenant_stats stats() {
    auto rh = self_->request(tenant_, caf::infinite, atom::stats_v);
    sched_.run();
    tenant_stats out;
    rh.receive([&](tenant_stats s) { out = s; },
               [&](caf::error&) { ADD_FAILURE() << "no stats"; });
    return out;
  }

  void advance(std::chrono::milliseconds d) {
    sched_.clock().advance_time(d);
    sched_.run();
  }

  std::size_t meetings_on(const std::string& node) {
    return nodes_[node]->meetings().size();
  }

private:
  void answer(recorded_call& c, const std::string& failing,
              const std::string& failure) {
    node_response res;
    if (c.node->id == failing) {
      if (failure.empty())
        res.error = "Connection refused";
      else
        res.body = failure, res.status = 200;
    } else {
      auto target = c.req.target;
      auto q = target.find('?');
      auto call =
        target.substr(c.node->api_path.size(), q - c.node->api_path.size());
      auto r = nodes_[c.node->id]->handle(call, target.substr(q + 1),
                                          c.req.post ? "POST" : "GET",
                                          c.req.body, c.req.content_type);
      res.status = r.status;
      res.body = r.body;
    }
    c.done(std::move(res));
  }
};

} // namespace gw::test
