// The relay actor in virtual time: 2xx and 410 end a delivery, anything
// else is retried with doubling delays until retry_for, and one slow
// destination never holds up another's deliveries.
#include "actors/relay_actor.hpp"
#include "tests/unit/actors/actor_fixture.hpp"

using namespace gw;
using namespace std::chrono_literals;

namespace {

class RelayActor : public gw::test::ActorFixture {
protected:
  struct sent {
    url_parts ep;
    node_request req;
    node_done done;
  };
  std::shared_ptr<std::vector<sent>> sent_ =
    std::make_shared<std::vector<sent>>();
  relay_actor relay_;

  int64_t wall_ = 1700000000000;

  void spawn(int per_destination = 4, std::vector<relay_job> restored = {}) {
    auto env = std::make_shared<relay_env>();
    env->store = store_;
    env->now_ms = [this] { return wall_; };
    auto out = sent_;
    env->send = [out](url_parts ep, node_request req, node_done done) {
      out->push_back({std::move(ep), std::move(req), std::move(done)});
    };
    env->first_delay = 1000ms;
    env->max_delay = 4000ms;
    env->retry_for = 20000ms;
    env->per_destination = per_destination;
    relay_ = sys_.spawn(gw::relay, std::shared_ptr<const relay_env>{env},
                        std::move(restored));
    sched_.run();
  }

  void TearDown() override {
    caf::anon_send_exit(relay_, caf::exit_reason::user_shutdown);
    ActorFixture::TearDown();
  }

  void relay(const std::string& url) {
    auto job = std::make_shared<relay_job>();
    job->url = url;
    job->body = "signed_parameters=x";
    job->content_type = "application/x-www-form-urlencoded";
    job->what = "recording-ready";
    job->tenant = "acme";
    caf::anon_send(relay_, atom::relay_v, relay_job_ptr{job});
    sched_.run();
  }

  /// Answers the `i`th request sent with `status`.
  void answer(std::size_t i, unsigned status) {
    node_response res;
    res.status = status;
    if (status == 0)
      res.error = "connection refused";
    (*sent_)[i].done(std::move(res));
    sched_.run();
  }

  relay_stats stats() {
    auto rh = self_->request(relay_, caf::infinite, atom::stats_v);
    sched_.run();
    relay_stats out;
    rh.receive([&](relay_stats s) { out = s; },
               [&](caf::error&) { ADD_FAILURE() << "no stats"; });
    return out;
  }
};

} // namespace

TEST_F(RelayActor, DeliversAndRetriesWithDoublingDelays) {
  spawn();
  relay("http://client.example:8080/ready?x=1");
  ASSERT_EQ(sent_->size(), 1u);
  EXPECT_EQ((*sent_)[0].ep.host, "client.example");
  EXPECT_EQ((*sent_)[0].req.target, "/ready?x=1");
  EXPECT_TRUE((*sent_)[0].req.post);
  EXPECT_EQ((*sent_)[0].req.body, "signed_parameters=x");
  answer(0, 500);
  advance(999ms);
  EXPECT_EQ(sent_->size(), 1u);
  advance(1ms);
  ASSERT_EQ(sent_->size(), 2u); // after 1 s
  answer(1, 0);                 // no answer at all
  advance(1999ms);
  EXPECT_EQ(sent_->size(), 2u);
  advance(1ms);
  ASSERT_EQ(sent_->size(), 3u); // after 2 s more
  answer(2, 204);
  auto s = stats();
  EXPECT_EQ(s.pending, 0);
  EXPECT_EQ(s.delivered, 1);
  advance(60000ms);
  EXPECT_EQ(sent_->size(), 3u);
}

TEST_F(RelayActor, GoneEndsItAndRetriesStopAfterRetryFor) {
  spawn();
  relay("http://a.example/gone");
  answer(0, 410);
  EXPECT_EQ(stats().delivered, 1);
  relay("http://a.example/broken");
  // 1 s, 2 s, 4 s, 4 s (the cap), 4 s ... until 20 s have passed.
  std::size_t i = 1;
  while (i < sent_->size()) {
    answer(i++, 503);
    advance(4000ms);
  }
  auto s = stats();
  EXPECT_EQ(s.pending, 0);
  EXPECT_EQ(s.given_up, 1);
  EXPECT_GE(sent_->size(), 6u);
  EXPECT_LE(sent_->size(), 8u);
}

TEST_F(RelayActor, ASlowDestinationDoesNotHoldUpAnother) {
  spawn(2);
  for (int i = 0; i < 5; ++i)
    relay("http://slow.example/cb" + std::to_string(i));
  relay("http://fast.example/cb");
  // Two in flight to the slow one, the fast one at once.
  ASSERT_EQ(sent_->size(), 3u);
  EXPECT_EQ((*sent_)[2].ep.host, "fast.example");
  answer(2, 200);
  // Each answer of the slow one lets the next of its queue go.
  answer(0, 200);
  ASSERT_EQ(sent_->size(), 4u);
  EXPECT_EQ((*sent_)[3].req.target, "/cb2");
  EXPECT_EQ(stats().pending, 4);
}

TEST_F(RelayActor, ABadUrlIsGivenUpAtOnce) {
  spawn();
  relay("javascript:alert(1)");
  EXPECT_TRUE(sent_->empty());
  EXPECT_EQ(stats().given_up, 1);
}

// Every relay is in the store's outbox until it is done; a new relay actor
// spawned with what the outbox holds resumes it, keeping its deadline.
TEST_F(RelayActor, PendingRelaysSurviveARestart) {
  spawn();
  relay("http://a.example/one");
  relay("http://b.example/two");
  answer(0, 200);
  answer(1, 500);
  auto flushed = db_->load_outbox();
  ASSERT_TRUE(flushed);
  ASSERT_EQ(flushed->size(), 1u);
  EXPECT_EQ(flushed->at(0).url, "http://b.example/two");
  EXPECT_EQ(flushed->at(0).created_ms, wall_);
  EXPECT_EQ(flushed->at(0).body, "signed_parameters=x");
  // The gateway dies; 10 s of its 20 s have passed when it is back.
  caf::anon_send_exit(relay_, caf::exit_reason::kill);
  sched_.run();
  sent_->clear();
  wall_ += 10000;
  spawn(4, *flushed);
  ASSERT_EQ(sent_->size(), 1u); // resumed at once
  EXPECT_EQ((*sent_)[0].req.target, "/two");
  answer(0, 503);
  advance(1000ms);
  ASSERT_EQ(sent_->size(), 2u);
  // New relays do not reuse its id.
  relay("http://c.example/three");
  answer(1, 500);
  answer(2, 200);
  auto left = db_->load_outbox();
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->at(0).url, "http://b.example/two");
  // Its deadline is the first one's: given up 10 s after the restart.
  std::size_t answered = 3;
  for (int i = 0; i < 20 && stats().pending > 0; ++i) {
    advance(4000ms);
    while (answered < sent_->size())
      answer(answered++, 500);
  }
  EXPECT_EQ(stats().given_up, 1);
  EXPECT_TRUE(db_->load_outbox()->empty());
}
