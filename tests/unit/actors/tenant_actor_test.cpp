// The tenant actor under CAF's deterministic test coordinator: virtual time,
// a fake node caller answered by the simulator's API logic, a real store.
#include <sqlite3.h>

#include "tests/unit/actors/actor_fixture.hpp"

using namespace std::chrono_literals;
using namespace gw;
using gw::test::node_cfg;

namespace {

class TenantActor : public gw::test::ActorFixture {};

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
  EXPECT_TRUE(env_->view->load()->empty());
  EXPECT_TRUE(db_->load_meetings()->empty());
}

TEST_F(TenantActor, CreatesAreDurableBeforeSuccess) {
  start({node_cfg("n1", 100)}, 20);
  send_create("kept", 3, 60);
  answer_nodes();
  ASSERT_EQ(last_rc(), "SUCCESS");
  auto rows = *db_->load_meetings();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].meeting_id, "kept");
  EXPECT_EQ(rows[0].node_id, "n1");
  EXPECT_EQ(rows[0].max_participants, 3);
  EXPECT_NE(env_->view->load()->find("kept"), nullptr);
}

TEST_F(TenantActor, SuccessIsSentOnlyOnceTheRowIsCommitted) {
  start({node_cfg("n1", 100)}, 20);
  // The answer is sent from the store's commit: the row is on disk by then
  // (read on a connection of its own when the answer is handed over).
  auto job = std::make_shared<create_job>();
  job->meeting_id = "durable";
  job->q = *net::query::parse("meetingID=durable&name=Room");
  job->max_participants = 2;
  job->duration_minutes = 60;
  auto rows_at_answer = std::make_shared<std::size_t>(99);
  auto path = db_path_;
  job->reply = [rows_at_answer, path, answers = answers_](create_result&& r) {
    store::sqlite_store other;
    EXPECT_EQ(other.open(path, false), "");
    *rows_at_answer = other.load_meetings()->size();
    answers->push_back(gw::test::rendered(r));
  };
  caf::anon_send(tenant_, atom::create_v, job);
  sched_.run();
  answer_nodes();
  ASSERT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(*rows_at_answer, 1u);
}

TEST_F(TenantActor, AMeetingThatCannotBeSavedIsEndedAndReleased) {
  start({node_cfg("n1", 100)}, 20);
  send_create("kept", 4, 60);
  answer_nodes();
  ASSERT_EQ(last_rc(), "SUCCESS");
  // The database refuses every further insert.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &raw), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(raw,
                         "CREATE TRIGGER refuse BEFORE INSERT ON meetings "
                         "BEGIN SELECT RAISE(ABORT, 'disk says no'); END;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  send_create("lost", 5, 60);
  answer_nodes();
  EXPECT_EQ(last_key(), "internalError");
  sched_.run();
  answer_nodes(); // the end call to the node
  EXPECT_EQ(stats().committed, 4);
  EXPECT_EQ(env_->view->load()->find("lost"), nullptr);
  EXPECT_NE(env_->view->load()->find("kept"), nullptr);
  EXPECT_EQ(nodes_["n1"]->meetings().count(tenant_prefix("acme") + "lost"), 0u);
  EXPECT_EQ(meetings_on("n1"), 1u);
}

TEST_F(TenantActor, ACreateTheStoreNeverTakesIsAnsweredWithAnError) {
  start({node_cfg("n1", 100)}, 20);
  // The store is gone: its mailbox drops the write (and the hook with it).
  caf::anon_send_exit(store_, caf::exit_reason::kill);
  sched_.run();
  send_create("orphan", 5, 60);
  answer_nodes();
  EXPECT_EQ(last_key(), "internalError");
  answer_nodes(); // the end call to the node
  EXPECT_EQ(stats().committed, 0);
  EXPECT_EQ(env_->view->load()->find("orphan"), nullptr);
  EXPECT_EQ(meetings_on("n1"), 0u);
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

TEST_F(TenantActor, OneLapseTimerFollowsTheEarliestBookingEnd) {
  start({node_cfg("n1", 100)}, 100);
  // One API minute is one (virtual) second here.
  send_create("long", 1, 30);
  answer_nodes();
  send_create("short", 1, 10); // ends before the timer already set
  answer_nodes();
  send_create("ended", 1, 5);
  answer_nodes();
  caf::anon_send(tenant_, atom::ended_v, std::string{"ended"});
  sched_.run();
  advance(9s);
  EXPECT_EQ(stats().lapsed, 0);
  advance(1s);
  EXPECT_EQ(stats().lapsed, 1); // short
  advance(19s);
  EXPECT_EQ(stats().lapsed, 1);
  advance(1s);
  EXPECT_EQ(stats().lapsed, 2); // long
  EXPECT_EQ(stats().committed, 2);
}
