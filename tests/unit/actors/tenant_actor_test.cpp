// The tenant actor under CAF's deterministic test coordinator: virtual time,
// a fake node caller answered by the simulator's API logic, a real store.
#include <chrono>
#include <filesystem>
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
#include "net/checksum.hpp"
#include "net/meeting_xml.hpp"
#include "sim/sim_state.hpp"

using namespace std::chrono_literals;
using namespace gw;

namespace {

caf::actor_system_config& testing_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.policy", caf::atom("testing"));
  cfg.add_message_types<caf::id_block::gw>();
  return cfg;
}

/// A node call the fake caller recorded.
struct recorded_call {
  std::shared_ptr<const node_info> node;
  node_request req;
  std::function<void(net::client_response&&)> done;
};

config::node_config node_cfg(std::string id, int64_t cap) {
  config::node_config c;
  c.id = id;
  c.url = "http://127.0.0.1:1/" + id + "/";
  c.secret = "secret-" + id;
  c.capacity = cap;
  return c;
}

class TenantActor : public ::testing::Test {
protected:
  caf::actor_system_config cfg_;
  caf::actor_system sys_{testing_config(cfg_)};
  caf::scheduler::test_coordinator& sched_ =
    dynamic_cast<caf::scheduler::test_coordinator&>(sys_.scheduler());
  caf::scoped_actor self_{sys_, true};
  std::shared_ptr<std::vector<recorded_call>> calls_ =
    std::make_shared<std::vector<recorded_call>>();
  std::map<std::string, std::unique_ptr<sim::sim_state>> nodes_;
  std::shared_ptr<store::store> db_ = std::make_shared<store::store>();
  std::string db_path_;
  store_actor store_;
  fleet_actor fleet_;
  tenant_actor tenant_;
  std::shared_ptr<tenant_env> env_;
  std::shared_ptr<std::vector<std::string>> answers_ =
    std::make_shared<std::vector<std::string>>();

  void SetUp() override {
    std::random_device rd;
    auto dir = std::filesystem::temp_directory_path()
               / ("bbbgate-actor-" + std::to_string(rd()));
    std::filesystem::create_directories(dir);
    db_path_ = (dir / "t.db").string();
    ASSERT_EQ(db_->open(db_path_), "");
    store_ = sys_.spawn(store_service, db_);
  }

  void start(std::vector<config::node_config> nodes, int64_t connections,
             std::vector<meeting_row> rows = {}) {
    node_commitments commits;
    for (const auto& r : rows) {
      commitment c;
      c.key = r.tenant + "/" + r.meeting_id;
      c.node_meeting_id = r.node_meeting_id;
      c.n = r.max_participants;
      commits[r.node_id].push_back(c);
    }
    for (const auto& n : nodes)
      nodes_[n.id] = std::make_unique<sim::sim_state>(n.secret, n.url);
    // No polling here: the node actor's polls are tested on their own.
    auto directory = std::make_shared<snapshot_slot<node_directory>>();
    fleet_ = sys_.spawn(fleet, nodes, commits, directory,
                        std::make_shared<const fleet_env>());
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
    env_->call_node = [calls](net::io_shard*,
                              std::shared_ptr<const node_info> n,
                              node_request req,
                              std::function<void(net::client_response &&)> d) {
      calls->push_back({std::move(n), std::move(req), std::move(d)});
    };
    tenant_ = sys_.spawn(tenant, std::shared_ptr<const tenant_env>{env_}, rows);
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
    job->respond = [answers](net::http_response&& r) {
      answers->push_back(r.body());
    };
    caf::anon_send(tenant_, atom::create_v, job);
    sched_.run();
  }

  /// Lets the simulated nodes answer every recorded call (a failing node
  /// answers with `failure`), then runs the actors.
  void answer_nodes(const std::string& failing = "",
                    const std::string& failure = "") {
    while (!calls_->empty()) {
      auto pending = std::move(*calls_);
      calls_->clear();
      for (auto& c : pending) {
        net::client_response res;
        if (c.node->id == failing) {
          if (failure.empty())
            res.ec = boost::asio::error::connection_refused;
          else
            res.body = failure, res.status = 200;
        } else {
          auto target = c.req.target;
          auto q = target.find('?');
          auto call =
            target.substr(c.node->api_path.size(), q - c.node->api_path.size());
          auto r =
            nodes_[c.node->id]->handle(call, target.substr(q + 1),
                                       c.req.post ? "POST" : "GET", c.req.body);
          res.status = r.status;
          res.body = r.body;
        }
        c.done(std::move(res));
      }
      sched_.run();
    }
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
};

} // namespace

TEST_F(TenantActor, WorkedExampleOfTheDesign) {
  start({node_cfg("n1", 100)}, 20);
  send_create("A", 15, 120);
  answer_nodes();
  ASSERT_EQ(last_rc(), "SUCCESS");
  send_create("six", 6, 60);
  answer_nodes();
  EXPECT_EQ(last_key(), "notEnoughConnections");
  send_create("five", 5, 240);
  answer_nodes();
  EXPECT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(stats().committed, 20);
  EXPECT_EQ(stats().lapsed, 0);
  // One API minute before its booking end A is still reserved...
  advance(119s);
  EXPECT_EQ(stats().lapsed, 0);
  // ...after 120 minutes it lapses.
  advance(1s);
  EXPECT_EQ(stats().lapsed, 1);
  // A create asking 10 ends A (lapsed first, and enough alone) and succeeds.
  send_create("ten", 10, 60);
  answer_nodes();
  EXPECT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(nodes_["n1"]->meetings().count(tenant_prefix("acme") + "A"), 0u);
  EXPECT_EQ(nodes_["n1"]->meetings().count(tenant_prefix("acme") + "five"), 1u);
  EXPECT_EQ(stats().committed, 15); // five (5) + ten (10)
}

TEST_F(TenantActor, FailsWithoutEndingAnythingWhenLapsedIsNotEnough) {
  start({node_cfg("n1", 100)}, 20);
  send_create("small", 5, 1);
  answer_nodes();
  send_create("big", 15, 120);
  answer_nodes();
  advance(60s);
  EXPECT_EQ(stats().lapsed, 1);
  send_create("six", 6, 60);
  answer_nodes();
  EXPECT_EQ(last_key(), "notEnoughConnections");
  EXPECT_EQ(meetings_on("n1"), 2u); // nothing ended
}

TEST_F(TenantActor, RefusesMoreThanTheWholeSubscription) {
  start({node_cfg("n1", 100)}, 20);
  send_create("huge", 21, 60);
  EXPECT_EQ(last_key(), "maxParticipantsExceedsSubscription");
  EXPECT_TRUE(calls_->empty());
}

TEST_F(TenantActor, RacingCreatesNeverOverbook) {
  start({node_cfg("n1", 100)}, 20);
  for (int i = 0; i < 40; ++i)
    send_create("m" + std::to_string(i), 1, 60);
  answer_nodes();
  int ok = 0;
  int refused = 0;
  for (const auto& a : *answers_) {
    ok += net::element_text(a, "returncode") == "SUCCESS" ? 1 : 0;
    refused += net::element_text(a, "messageKey") == "notEnoughConnections";
  }
  EXPECT_EQ(ok, 20);
  EXPECT_EQ(refused, 20);
  EXPECT_EQ(meetings_on("n1"), 20u);
}

TEST_F(TenantActor, SameIdWhileInFlightBecomesADuplicate) {
  start({node_cfg("n1", 100)}, 20);
  send_create("same", 5, 60, "&attendeePW=ap&moderatorPW=mp");
  send_create("same", 5, 60, "&attendeePW=ap&moderatorPW=mp");
  answer_nodes();
  ASSERT_EQ(answers_->size(), 2u);
  EXPECT_EQ(net::element_text((*answers_)[0], "messageKey"), "");
  EXPECT_EQ(net::element_text((*answers_)[1], "messageKey"),
            "duplicateWarning");
  EXPECT_EQ(stats().committed, 5);
}

TEST_F(TenantActor, FallsBackToTheNextNodeWhenOneRefusesOrFails) {
  start({node_cfg("n1", 10), node_cfg("n2", 100)}, 100);
  // n2 stays least utilised for both (0.08, 0.16 against n1's 0.8).
  send_create("first", 8, 60);
  answer_nodes();
  send_create("second", 8, 60);
  answer_nodes();
  EXPECT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(meetings_on("n2"), 2u);
  // n2 is still preferred but unreachable: n1 takes the meeting.
  send_create("third", 2, 60);
  answer_nodes("n2");
  EXPECT_EQ(last_rc(), "SUCCESS") << answers_->back();
  EXPECT_EQ(meetings_on("n1"), 1u);
  // n1 refuses 50 (capacity 10): only n2 is asked.
  // Garbage from the only node with room: noServerAvailable, booking freed.
  send_create("fourth", 50, 60);
  answer_nodes("n2", "<response><returncode>SUCC");
  EXPECT_EQ(last_key(), "noServerAvailable");
  EXPECT_EQ(stats().committed, 18);
}

TEST_F(TenantActor, NodeFailureIsPassedThroughAndReleased) {
  start({node_cfg("n1", 100)}, 20);
  send_create("pw", 5, 60, "&attendeePW=x");
  answer_nodes();
  EXPECT_EQ(last_key(), "invalidPassword"); // the node's own answer
  EXPECT_EQ(stats().committed, 0);
}

TEST_F(TenantActor, EndedMeetingsReleaseAtOnce) {
  start({node_cfg("n1", 100)}, 20);
  send_create("a", 15, 60);
  answer_nodes();
  EXPECT_EQ(stats().committed, 15);
  caf::anon_send(tenant_, atom::ended_v, std::string{"a"});
  sched_.run();
  EXPECT_EQ(stats().committed, 0);
  EXPECT_TRUE(env_->view->load()->by_id.empty());
  EXPECT_TRUE(db_->load_meetings().empty());
}

TEST_F(TenantActor, CreatesAreDurableBeforeSuccess) {
  start({node_cfg("n1", 100)}, 20);
  send_create("kept", 3, 60);
  answer_nodes();
  ASSERT_EQ(last_rc(), "SUCCESS");
  auto rows = db_->load_meetings();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].meeting_id, "kept");
  EXPECT_EQ(rows[0].node_id, "n1");
  EXPECT_EQ(rows[0].max_participants, 3);
  EXPECT_EQ(env_->view->load()->by_id.count("kept"), 1u);
}

TEST_F(TenantActor, RestartRebuildsBookingsDueAndNotYetDue) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  auto row = [&](std::string id, int64_t booked_at, int64_t minutes) {
    meeting_row r;
    r.tenant = "acme";
    r.meeting_id = id;
    r.node_id = "n1";
    r.node_meeting_id = tenant_prefix("acme") + id;
    r.create_time = booked_at;
    r.booked_at = booked_at;
    r.max_participants = 5;
    r.duration_minutes = minutes;
    return r;
  };
  // "due" lapsed while the gateway was down; "later" lapses in 30 s.
  start({node_cfg("n1", 100)}, 20,
        {row("due", now - 120000, 60), row("later", now, 30)});
  EXPECT_EQ(stats().committed, 10);
  EXPECT_EQ(stats().lapsed, 1);
  advance(31s);
  EXPECT_EQ(stats().lapsed, 2);
}
