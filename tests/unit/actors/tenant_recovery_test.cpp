// Crash recovery under virtual time (issue 11): creates recorded before a
// node is asked are adopted when a poll finds their meeting there, or let
// go when none does; a meeting with the tenant's prefix that nobody can
// reach is ended after the grace period; books stay exact.
#include "tests/unit/actors/actor_fixture.hpp"

using namespace std::chrono_literals;
using namespace gw;
using gw::test::node_cfg;

namespace {

class TenantRecovery : public gw::test::ActorFixture {
protected:
  /// A create of `id` on n1 that an earlier incarnation recorded (and, in
  /// the store, left behind).
  create_intent intent(const std::string& id) {
    create_intent i;
    i.tenant = "acme";
    i.meeting_id = id;
    i.node_id = "n1";
    i.node_meeting_id = tenant_prefix("acme") + id;
    i.max_participants = 5;
    i.duration_minutes = 60;
    i.callback_nonce = "nonce";
    i.created_at = 1;
    i.call.query = "meetingID=" + id + "&name=Room+" + id;
    i.call.found = true;
    store::meeting_write w;
    w.what = store::meeting_write::kind::intend;
    w.intent = i;
    EXPECT_TRUE(db_->write_meetings({w}));
    return i;
  }

  /// Creates `node_meeting_id` on the simulated node directly, as a create
  /// the gateway sent before it died would have.
  void create_on_node(const std::string& node,
                      const std::string& node_meeting_id) {
    auto r = nodes_[node]->handle(
      "create",
      net::sign_query("create", "meetingID=" + node_meeting_id + "&name=Room",
                      "secret-" + node, net::checksum_algo::sha1),
      "GET", "");
    ASSERT_EQ(r.status, 200u);
    ASSERT_NE(r.body.find("SUCCESS"), std::string::npos) << r.body;
  }

  void poll_round() {
    advance(10s);
    answer_nodes();
  }

  std::size_t stored_intents() {
    auto all = db_->load_intents();
    return all ? all->size() : 999;
  }
};

} // namespace

TEST_F(TenantRecovery, ARecordedCreateFoundOnItsNodeIsAdopted) {
  auto in = intent("x");
  start({node_cfg("n1", 100)}, 20, {}, true, {in});
  create_on_node("n1", in.node_meeting_id);
  // Held (booked, on the node's books) until the outcome is known.
  EXPECT_EQ(stats().committed, 5);
  answer_nodes(); // the first poll finds it; getMeetingInfo; adopted
  auto s = stats();
  EXPECT_EQ(s.meetings, 1);
  EXPECT_EQ(s.committed, 5);
  auto view = env_->view->load();
  ASSERT_NE(view->find("x"), nullptr);
  EXPECT_EQ((*view->find("x"))->node_id, "n1");
  EXPECT_FALSE((*view->find("x"))->internal_id.empty());
  // The row replaced the intent in the store, in one transaction.
  EXPECT_EQ(stored_intents(), 0u);
  auto rows = db_->load_meetings();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].meeting_id, "x");
  // The client that retries its create hears the duplicate answer.
  send_create("x", 5, 60);
  answer_nodes();
  EXPECT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(last_key(), "duplicateWarning");
  EXPECT_EQ(meetings_on("n1"), 1u);
  // Later polls leave it alone.
  poll_round();
  poll_round();
  EXPECT_EQ(meetings_on("n1"), 1u);
  EXPECT_EQ(stats().meetings, 1);
}

TEST_F(TenantRecovery, ARecordedCreateNoPollFindsIsLetGo) {
  start({node_cfg("n1", 100)}, 20, {}, true, {intent("y")});
  answer_nodes();
  EXPECT_EQ(stats().committed, 5);
  // A create of the same meetingID waits for the outcome...
  send_create("y", 5, 60);
  EXPECT_TRUE(answers_->empty());
  // ...which comes once the grace (30 s here) is over with no poll showing
  // it: the booking goes, the waiting create goes ahead.
  for (int i = 0; i < 4; ++i)
    poll_round();
  EXPECT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(last_key(), "");
  EXPECT_EQ(stats().meetings, 1);
  EXPECT_EQ(stats().committed, 5);
  EXPECT_EQ(stored_intents(), 0u);
  EXPECT_EQ(meetings_on("n1"), 1u);
}

TEST_F(TenantRecovery, AMeetingNobodyCanReachIsEndedAfterTheGrace) {
  start({node_cfg("n1", 100)}, 20, {}, true);
  create_on_node("n1", tenant_prefix("acme") + "lost");
  create_on_node("n1", "not-a-gateway-meeting");
  create_on_node("n1", tenant_prefix("unknown-tenant") + "x");
  answer_nodes(); // first seen
  poll_round();   // 10 s: within the grace (20 s here)
  EXPECT_EQ(meetings_on("n1"), 3u);
  poll_round(); // 20 s: ended
  EXPECT_EQ(meetings_on("n1"), 2u);
  EXPECT_EQ(nodes_["n1"]->meetings().count(tenant_prefix("acme") + "lost"), 0u);
  // The tenant's own meetings are never taken for strangers.
  send_create("mine", 5, 60);
  answer_nodes();
  for (int i = 0; i < 3; ++i)
    poll_round();
  EXPECT_EQ(meetings_on("n1"), 3u);
  EXPECT_EQ(stats().meetings, 1);
}
