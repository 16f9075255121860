// Node actors with virtual time: polls, health, vanished meetings, live
// data, node states, and failover through the tenant actor.
#include <algorithm>
#include <thread>

#include "tests/unit/actors/actor_fixture.hpp"

using namespace std::chrono_literals;
using namespace gw;
using gw::test::node_cfg;

namespace {

class NodeActor : public gw::test::ActorFixture {
protected:
  std::shared_ptr<const node_live> live(const std::string& node) {
    return directory_->load()->at(node)->live->load();
  }

  /// One poll period: the timer fires, the poll goes out, nodes answer.
  void poll_round(const std::string& failing = "") {
    advance(10s);
    answer_nodes(failing);
  }

  node_load load_of(const std::string& node) {
    auto rh = self_->request(fleet_, caf::infinite, atom::nodes_v);
    sched_.run();
    node_load out;
    rh.receive(
      [&](const std::vector<node_load>& all) {
        for (const auto& l : all)
          if (l.id == node)
            out = l;
      },
      [&](caf::error&) { ADD_FAILURE() << "no loads"; });
    return out;
  }

  std::string on_node(const std::string& id) {
    return tenant_prefix("acme") + id;
  }
};

} // namespace

TEST_F(NodeActor, OfflineAfterThreeFailedPollsOnlineAfterTwoGood) {
  start({node_cfg("n1", 100)}, 20, {}, true);
  answer_nodes("n1"); // the first poll, at start: failure 1
  poll_round("n1");   // 2
  EXPECT_TRUE(live("n1")->online);
  poll_round("n1"); // 3
  EXPECT_FALSE(live("n1")->online);
  EXPECT_FALSE(load_of("n1").online);
  send_create("a", 5, 60);
  answer_nodes("n1");
  EXPECT_EQ(last_key(), "noServerAvailable");
  poll_round();
  EXPECT_FALSE(live("n1")->online); // one good poll is not enough
  poll_round();
  EXPECT_TRUE(live("n1")->online);
  send_create("b", 5, 60);
  answer_nodes();
  EXPECT_EQ(last_rc(), "SUCCESS");
}

TEST_F(NodeActor, VanishedMeetingIsReleasedAtTheNextPoll) {
  start({node_cfg("n1", 100)}, 20, {}, true);
  answer_nodes();
  send_create("a", 15, 60);
  answer_nodes();
  poll_round(); // the poll sees "a"
  EXPECT_EQ(stats().committed, 15);
  ASSERT_TRUE(nodes_["n1"]->end_meeting(on_node("a")));
  poll_round();
  EXPECT_EQ(stats().committed, 0);
  EXPECT_EQ(load_of("n1").committed, 0);
  EXPECT_TRUE(env_->view->load()->empty());
}

TEST_F(NodeActor, AMeetingNotCreatedYetIsNotTakenForVanished) {
  start({node_cfg("n1", 100)}, 20, {}, true);
  answer_nodes();
  send_create("slow", 5, 60); // the create is on its way to the node...
  advance(10s);               // ...when a poll goes out
  ASSERT_EQ(calls_->size(), 2u);
  // The node answers the poll first (without the meeting), then the create.
  std::rotate(calls_->begin(), calls_->begin() + 1, calls_->end());
  answer_nodes();
  EXPECT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(stats().committed, 5);
  poll_round();
  EXPECT_EQ(stats().committed, 5);
}

TEST_F(NodeActor, PublishesLiveParticipants) {
  start({node_cfg("n1", 100)}, 20, {}, true);
  answer_nodes();
  send_create("a", 5, 60);
  answer_nodes();
  sim::attendee ann;
  ann.full_name = "Ann";
  ann.role = "MODERATOR";
  nodes_["n1"]->add_attendee(on_node("a"), ann);
  poll_round();
  auto l = live("n1");
  ASSERT_EQ(l->meetings.count(on_node("a")), 1u);
  const auto& m = l->meetings.at(on_node("a"));
  EXPECT_TRUE(m.running);
  EXPECT_EQ(m.participants, 1);
  EXPECT_EQ(m.moderators, 1);
  EXPECT_NE(m.attendees_xml.find("<fullName>Ann</fullName>"),
            std::string::npos);
}

TEST_F(NodeActor, CordonedDrainingAndDisabledNodesTakeNoMeetings) {
  auto cordoned = node_cfg("cordoned", 100);
  cordoned.state = config::node_state::cordoned;
  auto draining = node_cfg("draining", 100);
  draining.state = config::node_state::draining;
  auto disabled = node_cfg("disabled", 100);
  disabled.state = config::node_state::disabled;
  start({cordoned, draining, disabled, node_cfg("open", 10)}, 100);
  send_create("a", 10, 60);
  answer_nodes();
  EXPECT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(meetings_on("open"), 1u);
  send_create("b", 1, 60);
  answer_nodes();
  EXPECT_EQ(last_key(), "noServerAvailable");
}

TEST_F(NodeActor, MeetingOnAnOfflineNodeMovesWithItsBooking) {
  start({node_cfg("n1", 100), node_cfg("n2", 10)}, 20, {}, true);
  answer_nodes();
  send_create("a", 8, 60, "&attendeePW=ap&moderatorPW=mp");
  answer_nodes(); // lands on n1 (0.08 against n2's 0.8)
  ASSERT_EQ(meetings_on("n1"), 1u);
  auto before = *env_->view->load()->find("a");
  for (int i = 0; i < 3; ++i)
    poll_round("n1");
  ASSERT_FALSE(live("n1")->online);
  // A repeated create re-creates the meeting on n2 from what was stored.
  send_create("a", 8, 60, "&attendeePW=ap&moderatorPW=mp");
  answer_nodes("n1");
  EXPECT_EQ(last_rc(), "SUCCESS");
  EXPECT_EQ(meetings_on("n2"), 1u);
  auto after = *env_->view->load()->find("a");
  EXPECT_EQ(after->node_id, "n2");
  EXPECT_EQ(after->attendee_pw, "ap");
  EXPECT_EQ(after->booked_at, before->booked_at);
  EXPECT_EQ(stats().committed, 8); // the booking moved, nothing doubled
  EXPECT_EQ(load_of("n1").committed, 0);
  EXPECT_EQ(load_of("n2").committed, 8);
  EXPECT_EQ(db_->load_meetings()->at(0).node_id, "n2");
}

TEST_F(NodeActor, AMeetingEndedBeforeAnyPollSawItIsReleasedAtTheNextPoll) {
  start({node_cfg("n1", 100)}, 20, {}, true);
  answer_nodes();
  send_create("quick", 5, 60);
  answer_nodes();
  ASSERT_EQ(last_rc(), "SUCCESS");
  // Everyone leaves (or a moderator ends it) before the first poll.
  ASSERT_TRUE(nodes_["n1"]->end_meeting(on_node("quick")));
  // The poll was sent after the node confirmed the create: its silence
  // proves the meeting gone (not 60 s later).
  poll_round();
  EXPECT_EQ(stats().committed, 0);
  EXPECT_EQ(load_of("n1").committed, 0);
  EXPECT_TRUE(env_->view->load()->empty());
}

TEST_F(NodeActor, RefreshesShareOnePollAndFreshDataAnswersAtOnce) {
  start({node_cfg("n1", 100)}, 20, {}, true);
  answer_nodes(); // the first poll
  auto info = directory_->load()->at("n1");
  ASSERT_TRUE(info->refresh);
  auto answered = std::make_shared<int>(0);
  auto ask = [&](int64_t max_age) {
    info->refresh(max_age, [answered] { ++*answered; });
    sched_.run();
  };
  // Data younger than the limit: answered without a node call.
  ask(60000);
  EXPECT_EQ(*answered, 1);
  EXPECT_TRUE(calls_->empty());
  // Older: one poll, shared by everyone asking while it is on its way.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ask(200);
  ask(200);
  ask(200);
  EXPECT_EQ(calls_->size(), 1u);
  EXPECT_EQ(*answered, 1);
  auto before = live("n1")->poll_started_at;
  answer_nodes();
  EXPECT_EQ(*answered, 4);
  EXPECT_GT(live("n1")->poll_started_at, before);
  // Fresh again: no further call.
  ask(200);
  EXPECT_EQ(*answered, 5);
  EXPECT_TRUE(calls_->empty());
}

TEST_F(NodeActor, ARefreshOfAnOfflineNodeShowsItsLastData) {
  start({node_cfg("n1", 100)}, 20, {}, true);
  answer_nodes("n1");
  poll_round("n1");
  poll_round("n1");
  ASSERT_FALSE(live("n1")->online);
  auto answered = std::make_shared<int>(0);
  directory_->load()->at("n1")->refresh(1, [answered] { ++*answered; });
  sched_.run();
  EXPECT_EQ(*answered, 1);
  EXPECT_TRUE(calls_->empty());
}

TEST_F(NodeActor, AFailedRefreshPollStillAnswersItsWaiters) {
  start({node_cfg("n1", 100)}, 20, {}, true);
  answer_nodes();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto answered = std::make_shared<int>(0);
  directory_->load()->at("n1")->refresh(10, [answered] { ++*answered; });
  sched_.run();
  ASSERT_EQ(calls_->size(), 1u);
  answer_nodes("n1"); // the node does not answer in time
  EXPECT_EQ(*answered, 1);
}

TEST_F(NodeActor, AMoveKeepsThePasswordsAndTheCreateTimeTheClientWasTold) {
  start({node_cfg("n1", 100), node_cfg("n2", 100)}, 20, {}, true);
  answer_nodes();
  send_create("m", 5, 60); // no passwords: the node generates them
  answer_nodes();
  ASSERT_EQ(last_rc(), "SUCCESS");
  auto first = answers_->back();
  auto host = (*env_->view->load()->find("m"))->node_id;
  auto other = host == "n1" ? std::string{"n2"} : std::string{"n1"};
  for (int i = 0; i < 3; ++i)
    poll_round(host);
  ASSERT_FALSE(live(host)->online);
  // The client creates again (as Moodle does before each join): the meeting
  // moves, and the answer is the one it was given the first time.
  send_create("m", 5, 60);
  answer_nodes(host);
  ASSERT_EQ(last_rc(), "SUCCESS") << answers_->back();
  auto again = answers_->back();
  for (const char* el :
       {"attendeePW", "moderatorPW", "createTime", "voiceBridge"})
    EXPECT_EQ(net::element_text(again, el), net::element_text(first, el)) << el;
  const auto& moved = nodes_[other]->meetings().at(on_node("m"));
  EXPECT_EQ(moved.attendee_pw, net::element_text(first, "attendeePW"));
  EXPECT_EQ(moved.moderator_pw, net::element_text(first, "moderatorPW"));
  auto row = *env_->view->load()->find("m");
  EXPECT_EQ(row->node_id, other);
  EXPECT_EQ(std::to_string(shown_create_time(*row)),
            net::element_text(first, "createTime"));
  EXPECT_EQ(db_->load_meetings()->at(0).first_create_time,
            row->first_create_time);
}
