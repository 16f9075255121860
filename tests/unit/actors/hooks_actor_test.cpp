// The hooks actor: per-tenant hooks (duplicates, isolation, durable), and
// events turned into deliveries signed with the tenant's secret, each hook
// getting only what it asked for.
#include "actors/hooks_actor.hpp"
#include "net/webhooks.hpp"
#include "tests/unit/actors/actor_fixture.hpp"

using namespace gw;

namespace {

class HooksActor : public gw::test::ActorFixture {
protected:
  struct sent {
    url_parts ep;
    node_request req;
    node_done done;
  };
  std::shared_ptr<std::vector<sent>> sent_ =
    std::make_shared<std::vector<sent>>();
  relay_actor relay_;
  hooks_actor hooks_;

  void SetUp() override {
    ActorFixture::SetUp();
    auto renv = std::make_shared<relay_env>();
    renv->store = store_;
    auto out = sent_;
    renv->send = [out](url_parts ep, node_request req, node_done done) {
      out->push_back({std::move(ep), std::move(req), std::move(done)});
    };
    relay_ = sys_.spawn(gw::relay, std::shared_ptr<const relay_env>{renv},
                        relay_restore{});
    spawn_hooks({});
  }

  void spawn_hooks(std::vector<hook> restored) {
    auto env = std::make_shared<hooks_env>();
    env->store = store_;
    env->relay = relay_;
    env->domain = "gw.example";
    env->max_per_tenant = 3;
    hooks_ = sys_.spawn(gw::hooks, std::shared_ptr<const hooks_env>{env},
                        std::move(restored));
    sched_.run();
  }

  void TearDown() override {
    caf::anon_send_exit(hooks_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(relay_, caf::exit_reason::user_shutdown);
    ActorFixture::TearDown();
  }

  hooks_call::answer ask(hooks_call::kind what, const std::string& tenant,
                         hook spec = {}, std::string id = {},
                         std::string meeting = {}) {
    auto call = std::make_shared<hooks_call>();
    call->what = what;
    call->tenant = tenant;
    call->spec = std::move(spec);
    call->hook_id = std::move(id);
    call->meeting_id = std::move(meeting);
    auto out = std::make_shared<hooks_call::answer>();
    bool answered = false;
    call->done = [out, &answered](hooks_call::answer a) {
      *out = std::move(a);
      answered = true;
    };
    caf::anon_send(hooks_, atom::hook_v, call);
    sched_.run();
    EXPECT_TRUE(answered);
    return *out;
  }

  hook create(const std::string& tenant, const std::string& url,
              const std::string& meeting = {},
              std::vector<std::string> events = {}) {
    hook h;
    h.callback_url = url;
    h.meeting_id = meeting;
    h.event_ids = std::move(events);
    return ask(hooks_call::kind::create, tenant, h).made;
  }

  bool event(const std::string& tenant, const std::string& meeting,
             const std::string& id) {
    auto b = std::make_shared<webhook_batch>();
    b->tenant = tenant;
    b->secret = tenant + "-secret";
    b->items.push_back({meeting, id, "{\"data\":{\"id\":\"" + id + "\"}}"});
    bool stored = false;
    b->done = [&stored](bool ok) { stored = ok; };
    caf::anon_send(hooks_, atom::event_v, b);
    sched_.run();
    return stored;
  }
};

} // namespace

TEST_F(HooksActor, HooksBelongToTheirTenant) {
  auto a = create("acme", "http://a.example/h");
  EXPECT_EQ(a.tenant, "acme");
  // Same URL, other tenant: its own hook; same tenant: duplicate.
  auto b = create("beta", "http://a.example/h");
  EXPECT_NE(a.id, b.id);
  hook again;
  again.callback_url = "http://a.example/h";
  again.meeting_id = "room";
  auto dup = ask(hooks_call::kind::create, "acme", again);
  EXPECT_TRUE(dup.duplicate);
  EXPECT_EQ(dup.made.id, a.id);
  // Lists and destroys see only their own.
  auto list = ask(hooks_call::kind::list, "acme").hooks;
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, a.id);
  EXPECT_FALSE(ask(hooks_call::kind::destroy, "acme", {}, b.id).found);
  EXPECT_TRUE(ask(hooks_call::kind::destroy, "beta", {}, b.id).found);
  EXPECT_TRUE(ask(hooks_call::kind::list, "beta").hooks.empty());
  // Durable: a new actor restored from the store has acme's hook only.
  auto stored = db_->load_hooks();
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->at(0).id, a.id);
  // A limit per tenant.
  create("acme", "http://a.example/2");
  create("acme", "http://a.example/3");
  EXPECT_FALSE(ask(hooks_call::kind::create, "acme",
                   hook{"", "", "http://a.example/4", "", {}, false, 0})
                 .ok);
}

TEST_F(HooksActor, ListByMeetingShowsGlobalAndBoundHooks) {
  create("acme", "http://a/global");
  create("acme", "http://a/room", "room");
  create("acme", "http://a/other", "other");
  auto list = ask(hooks_call::kind::list, "acme", {}, {}, "room").hooks;
  ASSERT_EQ(list.size(), 2u);
  for (const auto& h : list)
    EXPECT_NE(h.callback_url, "http://a/other");
}

TEST_F(HooksActor, EventsGoToTheHooksThatWantThemSignedWithTheTenantsSecret) {
  create("acme", "http://a.example/all");
  create("acme", "http://a.example/room", "room", {"user-joined"});
  create("beta", "http://b.example/all");
  EXPECT_TRUE(event("acme", "room", "user-joined"));
  EXPECT_TRUE(event("acme", "room", "user-left"));
  EXPECT_TRUE(event("acme", "other", "user-joined"));
  // all: 3, room: 1, beta: none.
  int all = 0;
  int room = 0;
  for (const auto& s : *sent_) {
    EXPECT_NE(s.ep.host, "b.example");
    auto target = s.req.target;
    auto path = target.substr(0, target.find('?'));
    auto url = "http://" + s.ep.host + path;
    auto sum = target.substr(target.find("checksum=") + 9);
    EXPECT_TRUE(
      net::webhook_delivery_valid(url, sum, "", s.req.body, "acme-secret"));
    EXPECT_NE(s.req.body.find("domain=gw.example&event="), std::string::npos);
    (path == "/all" ? all : room)++;
  }
  EXPECT_EQ(all, 3);
  EXPECT_EQ(room, 1);
  // Each delivery is in the outbox until delivered.
  EXPECT_EQ(db_->load_outbox()->size(), 4u);
}
