// The recordings actor: fed by each node's full list, it keeps every
// tenant's index (in memory, published, and in the store), takes only
// recordings with a tenant's prefix, and drops what a node no longer shows.
#include "actors/recordings_actor.hpp"
#include "actors/recordings_sync.hpp"
#include "tests/unit/actors/actor_fixture.hpp"

using namespace gw;

namespace {

class RecordingsActor : public gw::test::ActorFixture {
protected:
  std::shared_ptr<snapshot_slot<recording_index>> acme_ =
    std::make_shared<snapshot_slot<recording_index>>();
  std::shared_ptr<snapshot_slot<recording_index>> beta_ =
    std::make_shared<snapshot_slot<recording_index>>();
  recordings_actor actor_;
  relay_actor relay_;
  std::shared_ptr<std::vector<std::string>> relayed_ =
    std::make_shared<std::vector<std::string>>();

  void spawn(std::vector<gw::recording> restored = {}) {
    auto env = std::make_shared<recordings_env>();
    env->tenant_by_prefix[tenant_prefix("acme")] = "acme";
    env->tenant_by_prefix[tenant_prefix("beta")] = "beta";
    env->slots["acme"] = acme_;
    env->slots["beta"] = beta_;
    env->own_url_prefix = "http://gw/_gw/";
    env->parser_thread = false; // parsed under the test scheduler
    env->store = store_;
    env->nodes = directory_;
    auto calls = calls_;
    env->call_node = [calls](int, std::shared_ptr<const node_info> n,
                             node_request req, node_done d) {
      calls->push_back({std::move(n), std::move(req), std::move(d)});
    };
    auto renv = std::make_shared<relay_env>();
    auto relayed = relayed_;
    renv->send = [relayed](url_parts, node_request req, node_done) {
      relayed->push_back(req.target);
    };
    relay_ = sys_.spawn(gw::relay, std::shared_ptr<const relay_env>{renv},
                        relay_restore{});
    env->relay = relay_;
    actor_ =
      sys_.spawn(gw::recordings, std::shared_ptr<const recordings_env>{env},
                 std::move(restored));
    sched_.run();
  }

  void TearDown() override {
    caf::anon_send_exit(actor_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(relay_, caf::exit_reason::user_shutdown);
    ActorFixture::TearDown();
  }

  /// A recording as node lists show it (node-side meetingID).
  static gw::recording on_node(const std::string& tenant,
                               const std::string& meeting,
                               const std::string& id, int64_t start) {
    gw::recording r;
    r.record_id = id;
    r.meeting_id = tenant_prefix(tenant) + meeting;
    r.name = meeting;
    r.state = "published";
    r.published = true;
    r.start_time = start;
    r.metadata = {{"course", "x"},
                  {"endcallbackurl", "http://gw/_gw/callback/end?n=secret"}};
    return r;
  }

  void sync(const std::string& node, std::vector<gw::recording> list) {
    auto got = std::make_shared<node_sync>();
    got->list.ok = true;
    got->list.recordings = std::move(list);
    caf::anon_send(actor_, atom::synced_v, node, std::move(got));
    sched_.run();
  }

  /// Node `n1` holds `count` recordings, every other one acme's (the rest
  /// beta's); returns their IDs.
  std::vector<std::string> make_on_n1(int count) {
    std::vector<std::string> made;
    for (int i = 0; i < count; ++i) {
      nodes_["n1"]->set_clock(1700000000000 + i);
      sim::recording_change c;
      c.meeting_id =
        tenant_prefix(i % 2 ? "acme" : "beta") + "room" + std::to_string(i % 7);
      made.push_back(nodes_["n1"]->add_recording(c));
    }
    return made;
  }

  /// Reconciles node `n1` as its node actor would (pages of 100), every
  /// call answered; returns how many pages were read.
  std::size_t reconcile_n1() {
    auto info = directory_->load()->at("n1");
    auto pages = std::make_shared<std::size_t>(0);
    sync_recordings(
      [calls = calls_, pages](int, std::shared_ptr<const node_info> n,
                              node_request req, node_done d) {
        ++*pages;
        calls->push_back({std::move(n), std::move(req), std::move(d)});
      },
      info, actor_, 100);
    answer_nodes();
    return *pages;
  }

  static std::vector<std::string> ids(const recording_index& idx) {
    std::vector<std::string> out;
    for (const auto* r : idx.view)
      out.push_back(r->record_id);
    return out;
  }
};

} // namespace

TEST_F(RecordingsActor, IndexesEachTenantsRecordingsInItsTerms) {
  spawn();
  sync("n1",
       {on_node("acme", "room", "r2", 20), on_node("acme", "room", "r1", 10),
        on_node("beta", "other", "b1", 5)});
  gw::recording foreign;
  foreign.record_id = "f1";
  foreign.meeting_id = "not-a-gateway-meeting";
  foreign.state = "published";
  sync("n2", {foreign});
  auto acme = acme_->load();
  EXPECT_EQ(ids(*acme), (std::vector<std::string>{"r1", "r2"})); // by start
  const auto& r1 = *acme->view[0];
  EXPECT_EQ(r1.meeting_id, "room");
  EXPECT_EQ(r1.tenant, "acme");
  EXPECT_EQ(r1.node_id, "n1");
  // The gateway's own callback URL (and its secret) is not the client's.
  EXPECT_EQ(r1.metadata, (std::vector<std::pair<std::string, std::string>>{
                           {"course", "x"}}));
  EXPECT_EQ(ids(*beta_->load()), (std::vector<std::string>{"b1"}));
  auto stored = db_->load_recordings();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->size(), 3u); // never the foreign one
}

TEST_F(RecordingsActor, ANodesListReplacesWhatItHadOnlyOnThatNode) {
  spawn();
  sync("n1", {on_node("acme", "a", "r1", 1), on_node("acme", "a", "r2", 2)});
  sync("n2", {on_node("acme", "b", "r3", 3)});
  auto changed = on_node("acme", "a", "r2", 2);
  changed.state = "unpublished";
  changed.published = false;
  sync("n1", {changed}); // r1 deleted on n1, r2 unpublished
  auto acme = acme_->load();
  EXPECT_EQ(ids(*acme), (std::vector<std::string>{"r2", "r3"}));
  EXPECT_EQ(acme->view[0]->state, "unpublished");
  auto stored = db_->load_recordings();
  ASSERT_EQ(stored->size(), 2u);
  // Restarted from the store: the same index, before any node answers.
  caf::anon_send_exit(actor_, caf::exit_reason::user_shutdown);
  sched_.run();
  acme_ = std::make_shared<snapshot_slot<recording_index>>();
  spawn(*stored);
  EXPECT_EQ(ids(*acme_->load()), (std::vector<std::string>{"r2", "r3"}));
}

// A fetch (after a recording-ready callback or a change) reads the IDs from
// their node, updates the index, and only then lets the relays go and the
// caller hear it is done.
TEST_F(RecordingsActor, AFetchIndexesBeforeItRelays) {
  start({gw::test::node_cfg("n1", 100)}, 100);
  spawn();
  sim::recording_change c;
  c.meeting_id = tenant_prefix("acme") + "room";
  c.metadata = {{"bbb-recording-ready-url",
                 "http://gw/_gw/callback/recording?t=acme&m=room"
                 "&r.bn-recording-ready-url=http%3A%2F%2Flms%2Fbn"}};
  auto id = nodes_["n1"]->add_recording(c);
  auto fetch = std::make_shared<recordings_fetch>();
  fetch->ids_by_node["n1"] = {id};
  auto job = std::make_shared<relay_job>();
  job->url = "http://lms/bn";
  fetch->relays.push_back(job);
  auto done = std::make_shared<bool>(false);
  fetch->done = [done] { *done = true; };
  caf::anon_send(actor_, atom::refresh_v, recordings_fetch_ptr{fetch});
  sched_.run();
  EXPECT_FALSE(*done);
  EXPECT_TRUE(relayed_->empty());
  EXPECT_TRUE(acme_->load()->view.empty());
  answer_nodes();
  EXPECT_TRUE(*done);
  ASSERT_EQ(relayed_->size(), 1u);
  EXPECT_EQ(relayed_->at(0), "/bn");
  auto acme = acme_->load();
  ASSERT_EQ(ids(*acme), (std::vector<std::string>{id}));
  // The client's URL where the gateway's stood; meetingId the client's.
  bool bn = false;
  for (const auto& [k, v] : acme->view[0]->metadata) {
    bn = bn || (k == "bn-recording-ready-url" && v == "http://lms/bn");
    EXPECT_NE(k, "bbb-recording-ready-url");
    if (k == "meetingId") {
      EXPECT_EQ(v, "room");
    }
  }
  EXPECT_TRUE(bn);
  // Deleted on the node: the next fetch of its ID drops it (and only it).
  auto other = nodes_["n1"]->add_recording(c);
  sync("n1",
       {on_node("acme", "room", id, 1), on_node("acme", "room", other, 2)});
  nodes_["n1"]->remove_recording(id);
  fetch = std::make_shared<recordings_fetch>();
  fetch->ids_by_node["n1"] = {id};
  caf::anon_send(actor_, atom::refresh_v, recordings_fetch_ptr{fetch});
  sched_.run();
  answer_nodes();
  EXPECT_EQ(ids(*acme_->load()), (std::vector<std::string>{other}));
}

// Reconciliation reads a node page by page and takes the whole list once.
TEST_F(RecordingsActor, ReconciliationReadsEveryPage) {
  start({gw::test::node_cfg("n1", 100)}, 100);
  spawn();
  make_on_n1(250);
  sync("n1", {on_node("acme", "old", "gone-1", 1)});
  auto info = directory_->load()->at("n1");
  auto targets = std::make_shared<std::vector<std::string>>();
  sync_recordings(
    [calls = calls_, targets](int shard, std::shared_ptr<const node_info> n,
                              node_request req, node_done d) {
      // Pages are read on the background io thread, not a client's.
      EXPECT_EQ(shard, background_shard);
      targets->push_back(req.target);
      calls->push_back({std::move(n), std::move(req), std::move(d)});
    },
    info, actor_, 100);
  answer_nodes();
  ASSERT_EQ(targets->size(), 3u);
  EXPECT_NE(targets->at(0).find("offset=0&limit=100"), std::string::npos);
  EXPECT_NE(targets->at(2).find("offset=200&limit=100"), std::string::npos);
  EXPECT_EQ(acme_->load()->view.size(), 125u);
  EXPECT_EQ(beta_->load()->view.size(), 125u);
  for (const auto* r : acme_->load()->view)
    EXPECT_NE(r->record_id, "gone-1");
}

// A list that shifted under the reader adds what it found and removes
// nothing (a recording could have moved between pages).
TEST_F(RecordingsActor, AnIncompleteListRemovesNothing) {
  spawn();
  sync("n1", {on_node("acme", "a", "r1", 1), on_node("acme", "a", "r2", 2)});
  auto found = std::make_shared<node_sync>();
  found->list.ok = true;
  found->list.complete = false;
  found->list.recordings = {on_node("acme", "a", "r3", 3)};
  caf::anon_send(actor_, atom::synced_v, std::string{"n1"}, std::move(found));
  sched_.run();
  EXPECT_EQ(ids(*acme_->load()), (std::vector<std::string>{"r1", "r2", "r3"}));
}

// A reconciliation that finds every page as the index took it last time
// parses nothing and changes nothing: the memo of each page vouches for
// its recordings, so none of them is taken for gone.
TEST_F(RecordingsActor, UnchangedPagesKeepTheirRecordings) {
  start({gw::test::node_cfg("n1", 100)}, 100);
  spawn();
  make_on_n1(250);
  EXPECT_EQ(reconcile_n1(), 3u);
  EXPECT_EQ(acme_->load()->view.size(), 125u);
  auto before = acme_->load();
  EXPECT_EQ(reconcile_n1(), 3u);
  EXPECT_EQ(acme_->load(), before); // not even published again
  EXPECT_EQ(beta_->load()->view.size(), 125u);
}

// A change on the node shows in its page: that page is read again and the
// change taken; a recording gone from the last page leaves while the
// pages before it are unchanged.
TEST_F(RecordingsActor, AChangedPageIsReadAgain) {
  start({gw::test::node_cfg("n1", 100)}, 100);
  spawn();
  auto made = make_on_n1(250);
  reconcile_n1();
  sim::recording_change rename;
  rename.name = "Renamed";
  ASSERT_TRUE(nodes_["n1"]->change_recording(made[1], rename));
  // The node lists by record ID: the last one is on the last page.
  auto last = nodes_["n1"]->recordings().rbegin()->first;
  ASSERT_TRUE(nodes_["n1"]->remove_recording(last));
  reconcile_n1();
  auto acme = acme_->load();
  EXPECT_EQ(acme->view.size() + beta_->load()->view.size(), 249u);
  bool renamed = false;
  for (const auto* r : acme->view) {
    EXPECT_NE(r->record_id, last);
    renamed = renamed || (r->record_id == made[1] && r->name == "Renamed");
  }
  EXPECT_TRUE(renamed);
}

// A tenant added after a reconciliation gets its recordings at the next
// one, though the node's pages did not change (they were read when no
// tenant owned them).
TEST_F(RecordingsActor, ATenantAddedLaterFindsItsRecordingsOnUnchangedPages) {
  start({gw::test::node_cfg("n1", 100)}, 100);
  spawn();
  make_on_n1(150);
  sim::recording_change c;
  c.meeting_id = tenant_prefix("gamma") + "room";
  auto id = nodes_["n1"]->add_recording(c);
  reconcile_n1();
  auto gamma = std::make_shared<snapshot_slot<recording_index>>();
  caf::anon_send(actor_, atom::add_v, std::string{"gamma"},
                 tenant_prefix("gamma"), recording_slot_ptr{gamma});
  sched_.run();
  EXPECT_TRUE(gamma->load()->view.empty());
  reconcile_n1();
  EXPECT_EQ(ids(*gamma->load()), (std::vector<std::string>{id}));
}

// A fetch between a page's read and the list's arrival forgets the node's
// memo: the pages read as unchanged can no longer vouch for their
// recordings, so that reconciliation removes nothing; the next one reads
// every page again and does.
TEST_F(RecordingsActor, AFetchDuringAReconciliationRemovesNothingUnvouched) {
  start({gw::test::node_cfg("n1", 100)}, 100);
  spawn();
  auto made = make_on_n1(250);
  reconcile_n1();
  // The node lists by record ID: the last one is on the last page.
  auto last = nodes_["n1"]->recordings().rbegin()->first;
  ASSERT_TRUE(nodes_["n1"]->remove_recording(last));
  auto info = directory_->load()->at("n1");
  sync_recordings(
    [calls = calls_](int, std::shared_ptr<const node_info> n, node_request req,
                     node_done d) {
      calls->push_back({std::move(n), std::move(req), std::move(d)});
    },
    info, actor_, 100);
  answer_first_call(); // page 1, unchanged
  auto fetch = std::make_shared<recordings_fetch>();
  fetch->ids_by_node["n1"] = {made[1]};
  caf::anon_send(actor_, atom::refresh_v, recordings_fetch_ptr{fetch});
  sched_.run();
  answer_nodes(); // the fetch, then pages 2 and 3
  auto held = [&] {
    return acme_->load()->view.size() + beta_->load()->view.size();
  };
  EXPECT_EQ(held(), 250u); // the last one stays, for now
  reconcile_n1();
  EXPECT_EQ(held(), 249u);
}
