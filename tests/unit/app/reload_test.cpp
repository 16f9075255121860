// What a reload changes: the merged definitions compared with the running
// ones.
#include <gtest/gtest.h>

#include "app/reload.hpp"

using namespace gw;

namespace {

node_config node(const std::string& id, long long capacity,
                 const std::string& secret = "s") {
  node_config n;
  n.id = id;
  n.url = "http://127.0.0.1:9001/bigbluebutton/";
  n.secret = secret;
  n.capacity = capacity;
  return n;
}

tenant_spec tenant(const std::string& id, long long conns) {
  tenant_spec t;
  t.id = id;
  t.secrets = {"secret-" + id};
  t.connections = conns;
  return t;
}

} // namespace

TEST(Reload, NothingChangedMeansNothingToDo) {
  running_definitions now{{spec_of(node("a", 10))}, {tenant("acme", 5)}};
  node_merge nodes;
  nodes.run = {node("a", 10)};
  tenant_merge tenants;
  tenants.run = {tenant("acme", 5)};
  EXPECT_TRUE(plan_reload(nodes, tenants, now).empty());
}

TEST(Reload, NodesAreAddedChangedReplacedAndRemoved) {
  running_definitions now{{spec_of(node("same", 10)), spec_of(node("cap", 10)),
                           spec_of(node("key", 10)), spec_of(node("gone", 10))},
                          {}};
  node_merge nodes;
  nodes.run = {node("same", 10), node("cap", 20), node("key", 10, "new"),
               node("new", 5)};
  auto plan = plan_reload(nodes, {}, now);
  ASSERT_EQ(plan.add_nodes.size(), 1u);
  EXPECT_EQ(plan.add_nodes[0].id, "new");
  ASSERT_EQ(plan.change_nodes.size(), 1u);
  EXPECT_EQ(plan.change_nodes[0].id, "cap");
  EXPECT_EQ(plan.change_nodes[0].capacity, 20);
  ASSERT_EQ(plan.replace_nodes.size(), 1u);
  EXPECT_EQ(plan.replace_nodes[0].secret, "new");
  ASSERT_EQ(plan.remove_nodes.size(), 1u);
  EXPECT_EQ(plan.remove_nodes[0], "gone");
}

TEST(Reload, TenantsAreAddedChangedAndRemoved) {
  running_definitions now{
    {}, {tenant("same", 5), tenant("more", 5), tenant("gone", 5)}};
  tenant_merge tenants;
  tenants.run = {tenant("same", 5), tenant("more", 9), tenant("new", 1)};
  auto plan = plan_reload({}, tenants, now);
  ASSERT_EQ(plan.add_tenants.size(), 1u);
  EXPECT_EQ(plan.add_tenants[0].id, "new");
  ASSERT_EQ(plan.change_tenants.size(), 1u);
  EXPECT_EQ(plan.change_tenants[0].connections, 9);
  ASSERT_EQ(plan.remove_tenants.size(), 1u);
  EXPECT_EQ(plan.remove_tenants[0], "gone");
}

TEST(Reload, TheReplacingPatchMakesEveryField) {
  auto before = tenant("acme", 5);
  before.default_max_participants = 7;
  before.hosts = {"old.example"};
  before.texts = chat_texts{"hi", "mods"};
  before.console_password_hash = "kept";
  auto after = tenant("acme", 9);
  after.secrets = {"a", "b"};
  after.api_enabled = false;
  after.default_chat_texts = false;
  after.checksum_algorithms = {digest_algo::sha256};
  after.console_password_hash = "kept";
  auto changed = before;
  ASSERT_FALSE(apply_patch(changed, replacing_patch(after)).has_value());
  EXPECT_TRUE(same_tenant(changed, after));
}

TEST(Reload, SettingsOtherThanNodesAndTenantsWaitForARestart) {
  config::config a;
  auto b = a;
  EXPECT_TRUE(restart_only_changes(a, b).empty());
  b.listen = "127.0.0.1:9999";
  b.io_threads = 4;
  b.tenants.push_back({});
  auto keys = restart_only_changes(a, b);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], "listen");
  EXPECT_EQ(keys[1], "io_threads");
}
