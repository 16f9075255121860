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

  void spawn(int per_destination = 4, relay_restore restored = {},
             std::size_t window = 512) {
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
    env->memory_per_destination = window;
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
  EXPECT_EQ(stats().refused, 1);
  EXPECT_TRUE(db_->load_outbox()->empty());
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
  auto summary = db_->outbox_summary_now();
  ASSERT_TRUE(summary);
  ASSERT_EQ(flushed->size(), 1u);
  EXPECT_EQ(flushed->at(0).url, "http://b.example/two");
  EXPECT_EQ(flushed->at(0).created_ms, wall_);
  EXPECT_EQ(flushed->at(0).body, "signed_parameters=x");
  // The gateway dies; 10 s of its 20 s have passed when it is back.
  caf::anon_send_exit(relay_, caf::exit_reason::kill);
  sched_.run();
  sent_->clear();
  wall_ += 10000;
  spawn(4, {summary->next_id, summary->destinations});
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

// A receiver that is down costs a bounded amount of memory: past the
// window, relays wait in the outbox only and are read back, in order, as
// the held ones are delivered.
TEST_F(RelayActor, BeyondItsWindowARelayWaitsInTheOutboxOnly) {
  spawn(1, {}, 4);
  for (int i = 0; i < 10; ++i)
    relay("http://down.example/cb" + std::to_string(i));
  EXPECT_EQ(stats().pending, 4); // held in memory
  EXPECT_EQ(db_->load_outbox()->size(), 10u);
  ASSERT_EQ(sent_->size(), 1u);
  std::vector<std::string> order;
  for (std::size_t i = 0; order.size() < 10 && i < 40; ++i) {
    ASSERT_LT(i, sent_->size());
    order.push_back((*sent_)[i].req.target);
    answer(i, 200);
    EXPECT_LE(stats().pending, 4);
  }
  ASSERT_EQ(order.size(), 10u);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(order[static_cast<std::size_t>(i)], "/cb" + std::to_string(i));
  EXPECT_EQ(stats().delivered, 10);
  EXPECT_TRUE(db_->load_outbox()->empty());
}

// After a failure a destination gets one delivery at a time, not before
// its delay; one that succeeds opens it again.
TEST_F(RelayActor, AFailingDestinationIsProbedOneAtATime) {
  spawn(4);
  relay("http://flaky.example/a");
  answer(0, 503);
  relay("http://flaky.example/b");
  relay("http://flaky.example/c");
  EXPECT_EQ(sent_->size(), 1u); // waiting for the destination's delay
  EXPECT_EQ(stats().failing, 1);
  advance(1000ms);
  ASSERT_EQ(sent_->size(), 2u); // one probe: a delivery never tried first
  EXPECT_EQ((*sent_)[1].req.target, "/b");
  answer(1, 200);
  // Open again: the rest go at once.
  ASSERT_EQ(sent_->size(), 4u);
  EXPECT_EQ(stats().failing, 0);
}

TEST_F(RelayActor, NeverCallsAForbiddenDestination) {
  auto env = std::make_shared<relay_env>();
  env->store = store_;
  auto out = sent_;
  env->send = [out](url_parts ep, node_request req, node_done done) {
    out->push_back({std::move(ep), std::move(req), std::move(done)});
  };
  env->forbidden = [](const url_parts& ep) { return ep.port == "9999"; };
  relay_ = sys_.spawn(gw::relay, std::shared_ptr<const relay_env>{env},
                      relay_restore{});
  sched_.run();
  relay("http://127.0.0.1:9999/admin/tenants");
  relay("http://127.0.0.1:9998/ok");
  ASSERT_EQ(sent_->size(), 1u);
  EXPECT_EQ((*sent_)[0].ep.port, "9998");
  EXPECT_EQ(stats().refused, 1);
}

// The batch form answers once the relays are in the outbox; a webhook
// event is done on 401 too (as bbb-webhooks treats it); headers go along.
TEST_F(RelayActor, ABatchIsAnsweredOnceStoredAndCarriesHeaders) {
  spawn();
  relay_job a;
  a.url = "http://hooks.example/in";
  a.what = "webhook";
  a.tenant = "acme";
  a.body = "event=x";
  relay_job b = a;
  b.what = "analytics";
  b.url = "http://lms.example/analytics";
  b.headers = "Authorization: Bearer t0k3n";
  auto rh = self_->request(relay_, caf::infinite, atom::relay_v,
                           std::vector<relay_job>{a, b});
  sched_.run();
  bool stored = false;
  rh.receive([&](bool ok) { stored = ok; },
             [&](caf::error&) { ADD_FAILURE() << "no answer"; });
  EXPECT_TRUE(stored);
  ASSERT_EQ(sent_->size(), 2u);
  EXPECT_EQ((*sent_)[1].req.headers, "Authorization: Bearer t0k3n");
  answer(0, 401);
  answer(1, 401);
  auto s = stats();
  EXPECT_EQ(s.delivered, 1); // the webhook
  EXPECT_EQ(s.pending, 1);   // the analytics report is retried
  auto left = db_->load_outbox();
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->at(0).headers, "Authorization: Bearer t0k3n");
  EXPECT_EQ(left->at(0).dest, "lms.example:80");
}

// A handoff (a node's end, recording-ready or analytics callback) is done
// once its relays are in the outbox: the node's callback is acknowledged
// only then; they are delivered as any relay.
TEST_F(RelayActor, AHandoffIsDoneOnceItsRelaysAreInTheOutbox) {
  spawn();
  auto handoff = std::make_shared<relay_handoff>();
  relay_job j;
  j.url = "http://lms.example/end?meetingID=m&recordingmarks=false";
  j.post = false;
  j.what = "end";
  j.tenant = "acme";
  handoff->jobs.push_back(j);
  auto in_outbox = std::make_shared<int>(-1);
  auto db = db_;
  handoff->done = [in_outbox, db](bool ok) {
    EXPECT_TRUE(ok);
    auto outbox = db->load_outbox();
    *in_outbox = outbox ? static_cast<int>(outbox->size()) : -2;
  };
  caf::anon_send(relay_, atom::relay_v, relay_handoff_ptr{handoff});
  sched_.run();
  EXPECT_EQ(*in_outbox, 1);
  ASSERT_EQ(sent_->size(), 1u);
  EXPECT_EQ((*sent_)[0].req.target, "/end?meetingID=m&recordingmarks=false");
  answer(0, 200);
  EXPECT_TRUE(db_->load_outbox()->empty());
  // Nothing deliverable (a URL that is no URL): done at once, nothing kept.
  auto bad = std::make_shared<relay_handoff>();
  j.url = "not a url";
  bad->jobs.push_back(j);
  auto done = std::make_shared<bool>(false);
  bad->done = [done](bool ok) { *done = ok; };
  caf::anon_send(relay_, atom::relay_v, relay_handoff_ptr{bad});
  sched_.run();
  EXPECT_TRUE(*done);
  EXPECT_TRUE(db_->load_outbox()->empty());
}
