// The admin API (docs/admin-api.md): node listing, runtime changes, their
// durability, and what node states mean for placement and failover.
#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

class AdminApi : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "admin:\n  token: admin-token\npoll_interval_seconds: 1\n";
  }

  response admin(const std::string& method, const std::string& path,
                 const std::string& body = "") {
    return http(port(), method, path, body,
                body.empty() ? "" : "application/json", "",
                {"Authorization: Bearer admin-token"});
  }

  json node(const std::string& id) {
    return json::parse(admin("GET", "/admin/nodes/" + id).body);
  }

  bool on(const sim_process& sim, const std::string& id) {
    for (const auto& m : json::parse(sim.control("meetings")))
      if (m["meetingID"].get<std::string>().find("-" + id) != std::string::npos)
        return true;
    return false;
  }
};

} // namespace

TEST_F(AdminApi, RequiresTheBearerToken) {
  EXPECT_EQ(get(port(), "/admin/nodes").status, 401u);
  EXPECT_EQ(http(port(), "GET", "/admin/nodes", "", "", "",
                 {"Authorization: Bearer wrong"})
              .status,
            401u);
  EXPECT_EQ(admin("GET", "/admin/nodes").status, 200u);
}

TEST_F(AdminApi, ListsNodesWithLoadAndWithoutSecrets) {
  create("acme", "listed", "&maxParticipants=7");
  auto r = admin("GET", "/admin/nodes");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body.find("node-secret"), std::string::npos);
  auto nodes = json::parse(r.body)["nodes"];
  ASSERT_EQ(nodes.size(), 2u);
  int64_t committed = 0;
  for (const auto& n : nodes) {
    EXPECT_EQ(n["capacity"], 50);
    EXPECT_EQ(n["state"], "enabled");
    EXPECT_TRUE(n["online"].get<bool>());
    EXPECT_TRUE(n.contains("participants"));
    committed += n["committed"].get<int64_t>();
  }
  EXPECT_EQ(committed, 7);
  EXPECT_EQ(admin("GET", "/admin/nodes/nope").status, 404u);
}

TEST_F(AdminApi, AddsChangesAndRemovesNodesDurably) {
  sim_process third{"node-secret-3"};
  auto bad = admin("POST", "/admin/nodes",
                   R"({"id":"n3","url":"ftp://x","secret":"s","capacity":5})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(bad.body.find("url:"), std::string::npos);
  EXPECT_EQ(admin("POST", "/admin/nodes",
                  R"({"id":"n3","url":"http://x/","secret":"s"})")
              .status,
            400u); // capacity missing
  // Node URLs without credentials or control characters, bounded secrets
  // and overcommit: each refused naming its field.
  for (const auto& [body, field] : std::vector<std::pair<json, std::string>>{
         {{{"id", "n3"},
           {"url", "http://admin:pw@127.0.0.1:1/bigbluebutton/"},
           {"secret", "s"},
           {"capacity", 5}},
          "url:"},
         {{{"id", "n3"},
           {"url", "http://127.0.0.1:1/b/\r\nX: y"},
           {"secret", "s"},
           {"capacity", 5}},
          "url:"},
         {{{"id", "n3"},
           {"url", "http://127.0.0.1:1/b/"},
           {"secret", std::string(300, 'x')},
           {"capacity", 5}},
          "secret:"},
         {{{"id", "n3"},
           {"url", "http://127.0.0.1:1/b/"},
           {"secret", "s"},
           {"capacity", 5},
           {"overcommit", 1e308}},
          "overcommit:"}}) {
    auto r = admin("POST", "/admin/nodes", body.dump());
    EXPECT_EQ(r.status, 400u) << field;
    EXPECT_NE(r.body.find(field), std::string::npos) << field << r.body;
  }
  // A body over the limit is refused as such, not misread.
  auto huge = admin("POST", "/admin/nodes",
                    json{{"id", "n3"},
                         {"url", "http://127.0.0.1:1/b/"},
                         {"secret", std::string(3 * 1024 * 1024, 'x')},
                         {"capacity", 5}}
                      .dump());
  EXPECT_EQ(huge.status, 413u);
  auto add = admin("POST", "/admin/nodes",
                   json{{"id", "n3"},
                        {"url", third.url()},
                        {"secret", "node-secret-3"},
                        {"capacity", 500}}
                     .dump());
  ASSERT_EQ(add.status, 201u) << add.body;
  EXPECT_EQ(
    admin(
      "POST", "/admin/nodes",
      json{{"id", "n3"}, {"url", third.url()}, {"secret", "x"}, {"capacity", 5}}
        .dump())
      .status,
    409u);
  // The big new node is the least utilised: it gets the next meeting.
  ASSERT_EQ(el(create("acme", "on-n3").body, "returncode"), "SUCCESS");
  EXPECT_TRUE(on(third, "on-n3"));
  // Cordon n1 and n2: new meetings only on n3.
  for (const char* id : {"n1", "n2"})
    EXPECT_EQ(admin("PATCH", std::string{"/admin/nodes/"} + id,
                    R"({"state":"cordoned"})")
                .status,
              200u);
  EXPECT_EQ(admin("PATCH", "/admin/nodes/n1", R"({"url":"http://y/"})").status,
            400u);
  EXPECT_EQ(node("n1")["state"], "cordoned");
  EXPECT_EQ(node("n1")["capacity"], 50); // unchanged fields kept
  // Everything survives a crash.
  crash_and_restart();
  EXPECT_EQ(node("n1")["state"], "cordoned");
  EXPECT_EQ(node("n3")["capacity"], 500);
  ASSERT_EQ(el(create("acme", "after-restart").body, "returncode"), "SUCCESS");
  EXPECT_TRUE(on(third, "after-restart"));
  // A node with meetings is only removed by force.
  auto refused = admin("DELETE", "/admin/nodes/n3");
  EXPECT_EQ(refused.status, 409u);
  EXPECT_NE(refused.body.find("2 meetings"), std::string::npos);
  EXPECT_EQ(admin("DELETE", "/admin/nodes/n3?force=true").status, 200u);
  EXPECT_EQ(admin("GET", "/admin/nodes/n3").status, 404u);
  crash_and_restart();
  EXPECT_EQ(admin("GET", "/admin/nodes/n3").status, 404u);
}

TEST_F(AdminApi, DrainingNodeIsReportedFreeOnceEmpty) {
  create("acme", "last-one", "&maxParticipants=3");
  std::string host = on(*node1_, "last-one") ? "n1" : "n2";
  admin("PATCH", "/admin/nodes/" + host, R"({"state":"draining"})");
  EXPECT_FALSE(node(host)["drained"].get<bool>());
  // Existing meetings go on.
  EXPECT_EQ(
    el(api("acme", "getMeetingInfo", "meetingID=last-one").body, "returncode"),
    "SUCCESS");
  api("acme", "end", "meetingID=last-one");
  // The release travels tenant -> fleet -> node actor: allow it a moment.
  bool drained = false;
  for (int i = 0; i < 50 && !drained; ++i) {
    drained = node(host)["drained"].get<bool>();
    if (!drained)
      std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(drained);
  EXPECT_EQ(node(host)["meetings"], 0);
}

TEST_F(AdminApi, DisabledNodesMeetingsMoveOnJoin) {
  create("acme", "to-move");
  bool on1 = on(*node1_, "to-move");
  auto& other = on1 ? *node2_ : *node1_;
  admin("PATCH", std::string{"/admin/nodes/"} + (on1 ? "n1" : "n2"),
        R"({"state":"disabled"})");
  auto j = api("acme", "join", "meetingID=to-move&fullName=Jo&password=mp");
  ASSERT_EQ(j.status, 302u);
  EXPECT_EQ(j.header("location").rfind(other.url(), 0), 0u);
  EXPECT_TRUE(on(other, "to-move"));
}
