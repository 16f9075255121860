// The console actor in virtual time: a session lasts session_minutes, a
// sign-in gives fresh random tokens, failures slow further attempts per
// tenant and per address and are forgotten after 15 minutes.
#include "actors/console_actor.hpp"
#include "core/password.hpp"
#include "tests/unit/actors/actor_fixture.hpp"

using namespace gw;
using namespace std::chrono_literals;

namespace {

class ConsoleActor : public gw::test::ActorFixture {
protected:
  console_actor console_;
  password_actor passwords_;
  std::string hash_ = hash_password("right one", scrypt_cost{1024, 8, 1});

  void SetUp() override {
    ActorFixture::SetUp();
    passwords_ = sys_.spawn(password_service);
    console_ =
      sys_.spawn(console_service, passwords_, std::chrono::milliseconds(60000));
    sched_.run();
  }

  void TearDown() override {
    caf::anon_send_exit(console_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(passwords_, caf::exit_reason::user_shutdown);
    ActorFixture::TearDown();
  }

  console_login sign_in(const std::string& tenant, const std::string& pw,
                        const std::string& address = "10.0.0.1") {
    console_login out;
    auto rh = self_->request(console_, caf::infinite, atom::verify_v, tenant,
                             address, pw, std::vector<std::string>{hash_});
    sched_.run();
    rh.receive([&](console_login& l) { out = l; },
               [](caf::error&) { ADD_FAILURE() << "no answer"; });
    return out;
  }

  console_session lookup(const std::string& token) {
    console_session out;
    auto rh = self_->request(console_, caf::infinite, atom::lookup_v, token);
    sched_.run();
    rh.receive([&](console_session& s) { out = s; },
               [](caf::error&) { ADD_FAILURE() << "no answer"; });
    return out;
  }
};

} // namespace

TEST_F(ConsoleActor, SessionsAreRandomAndExpire) {
  auto a = sign_in("acme", "right one");
  auto b = sign_in("acme", "right one");
  ASSERT_TRUE(a.ok);
  EXPECT_EQ(a.token.size(), 64u);
  EXPECT_NE(a.token, b.token);
  EXPECT_NE(a.csrf, b.csrf);
  EXPECT_EQ(lookup(a.token).tenant, "acme");
  EXPECT_EQ(lookup(a.token).csrf, a.csrf);
  advance(59s);
  EXPECT_EQ(lookup(a.token).tenant, "acme");
  advance(2s);
  EXPECT_EQ(lookup(a.token).tenant, "");
  caf::anon_send(console_, atom::remove_v, b.token);
  sched_.run();
  EXPECT_EQ(lookup(b.token).tenant, "");
}

TEST_F(ConsoleActor, FailuresSlowTheTenantAndTheAddressThenAreForgotten) {
  for (int i = 0; i < free_sign_in_failures; ++i)
    EXPECT_FALSE(sign_in("acme", "guess", "10.0.0." + std::to_string(i)).ok);
  // The tenant is slowed from any address; right password or not.
  auto slowed = sign_in("acme", "right one", "10.9.9.9");
  EXPECT_FALSE(slowed.ok);
  EXPECT_GT(slowed.retry_after_ms, 0);
  EXPECT_LE(slowed.retry_after_ms, 1000);
  // Another tenant from a fresh address is not.
  EXPECT_FALSE(sign_in("beta", "guess", "10.1.1.1").ok);
  advance(1s);
  EXPECT_FALSE(sign_in("acme", "guess", "10.9.9.9").ok); // 6th failure
  auto longer = sign_in("acme", "right one", "10.9.9.8");
  EXPECT_GT(longer.retry_after_ms, 1000); // doubled
  advance(16min);
  EXPECT_TRUE(sign_in("acme", "right one", "10.9.9.8").ok);
  // An address guessing across tenants is slowed too.
  for (int i = 0; i < free_sign_in_failures; ++i)
    sign_in("t" + std::to_string(i), "guess", "10.6.6.6");
  EXPECT_GT(sign_in("acme", "right one", "10.6.6.6").retry_after_ms, 0);
}
