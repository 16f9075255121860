// The recordings actor: fed by each node's full list, it keeps every
// tenant's index (in memory, published, and in the store), takes only
// recordings with a tenant's prefix, and drops what a node no longer shows.
#include "actors/recordings_actor.hpp"
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

  void spawn(std::vector<gw::recording> restored = {}) {
    auto env = std::make_shared<recordings_env>();
    env->tenant_by_prefix[tenant_prefix("acme")] = "acme";
    env->tenant_by_prefix[tenant_prefix("beta")] = "beta";
    env->slots["acme"] = acme_;
    env->slots["beta"] = beta_;
    env->own_url_prefix = "http://gw/_gw/";
    env->store = store_;
    actor_ =
      sys_.spawn(gw::recordings, std::shared_ptr<const recordings_env>{env},
                 std::move(restored));
    sched_.run();
  }

  void TearDown() override {
    caf::anon_send_exit(actor_, caf::exit_reason::user_shutdown);
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
    auto found = std::make_shared<net::node_recordings>();
    found->ok = true;
    found->recordings = std::move(list);
    caf::anon_send(actor_, atom::synced_v, node,
                   node_recordings_ptr{std::move(found)});
    sched_.run();
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
