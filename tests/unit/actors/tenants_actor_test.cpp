// The tenants supervisor under CAF's test coordinator: a tenant actor that
// dies under load answers every caller it held and comes back, restored
// from the store, under the same name.
#include "actors/tenants_actor.hpp"
#include "tests/unit/actors/actor_fixture.hpp"

using namespace std::chrono_literals;
using namespace gw;
using gw::test::node_cfg;

namespace {

class TenantsSupervisor : public gw::test::ActorFixture {
protected:
  tenants_actor sup_;

  /// Starts the fleet and store, then the tenant under the supervisor
  /// (instead of the fixture's unsupervised one).
  void start_supervised(int64_t connections) {
    start({node_cfg("n1", 100)}, connections);
    caf::anon_send_exit(tenant_, caf::exit_reason::user_shutdown);
    sched_.run();
    auto setup = std::make_shared<tenants_env>();
    setup->registry = registry_;
    setup->store = store_;
    sup_ =
      sys_.spawn(tenants_supervisor, std::shared_ptr<const tenants_env>{setup});
    auto rh = self_->request(sup_, caf::infinite, atom::add_v,
                             tenant_env_ptr{env_}, tenant_meetings{});
    sched_.run();
    rh.receive([this](tenant_actor& a) { tenant_ = a; },
               [](caf::error&) { ADD_FAILURE() << "not added"; });
    sched_.run();
  }

  void TearDown() override {
    caf::anon_send_exit(sup_, caf::exit_reason::user_shutdown);
    sched_.run();
    ActorFixture::TearDown();
  }

  std::size_t count(const std::string& rc) {
    std::size_t n = 0;
    for (const auto& a : *answers_)
      n += net::element_text(a, "returncode") == rc;
    return n;
  }
};

} // namespace

TEST_F(TenantsSupervisor, RegistersItsTenants) {
  start_supervised(50);
  auto reg = registry_->load();
  ASSERT_EQ(reg->by_id.count("acme"), 1u);
  EXPECT_EQ(reg->by_id.at("acme"), tenant_);
}

TEST_F(TenantsSupervisor, AKilledTenantAnswersEveryCallerAndComesBack) {
  start_supervised(50);
  for (const char* id : {"a", "b", "c"}) {
    send_create(id, 5, 60);
    answer_nodes();
  }
  ASSERT_EQ(count("SUCCESS"), 3u);
  // Under load: five creates whose nodes have not answered yet, and two
  // more waiting behind one of them (same meetingID).
  for (const char* id : {"w1", "w2", "w3", "w4", "w5", "w1", "w1"})
    send_create(id, 2, 60);
  EXPECT_EQ(answers_->size(), 3u);
  auto old = tenant_;
  caf::anon_send_exit(tenant_, caf::exit_reason::kill);
  sched_.run();
  // The nodes answer late, to an actor that is gone: each caller hears
  // internalError (its job answers as it is dropped), none waits forever.
  answer_nodes();
  sched_.run();
  ASSERT_EQ(answers_->size(), 10u);
  EXPECT_EQ(count("FAILED"), 7u);
  EXPECT_EQ(last_key(), "internalError");
  // After its pause the supervisor restores it from the store.
  advance(100ms);
  auto reg = registry_->load();
  ASSERT_EQ(reg->by_id.count("acme"), 1u);
  tenant_ = reg->by_id.at("acme");
  EXPECT_NE(tenant_, old);
  // Its 3 meetings, and the 5 creates it had recorded and sent: their
  // outcome is unknown to it (the nodes answered the dead actor), so their
  // connections stay booked until a poll finds them (tenant_recovery_test).
  auto s = stats();
  EXPECT_EQ(s.meetings, 8);
  EXPECT_EQ(s.committed, 25);
  for (const char* id : {"a", "b", "c"})
    EXPECT_NE(env_->view->load()->find(id), nullptr) << id;
  EXPECT_EQ(env_->view->load()->find("w1"), nullptr);
  // And it takes creates again.
  send_create("after", 5, 60);
  answer_nodes();
  EXPECT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(stats().meetings, 9);
}

TEST_F(TenantsSupervisor, RepeatedDeathsBackOff) {
  start_supervised(50);
  caf::anon_send_exit(tenant_, caf::exit_reason::kill);
  sched_.run();
  advance(100ms);
  auto second = registry_->load()->by_id.at("acme");
  ASSERT_NE(second, tenant_);
  caf::anon_send_exit(second, caf::exit_reason::kill);
  sched_.run();
  // The second restart waits twice as long.
  advance(100ms);
  EXPECT_EQ(registry_->load()->by_id.at("acme"), second);
  advance(100ms);
  EXPECT_NE(registry_->load()->by_id.at("acme"), second);
}
