// The merge rule of the config file's nodes and tenants with the stored
// ones (start-up and reload): a file entry wins only when it changed since
// it was stored.
#include <gtest/gtest.h>

#include "app/definitions.hpp"

using namespace gw;

namespace {

node_config file_node(const std::string& id, long long capacity) {
  node_config n;
  n.id = id;
  n.url = "http://127.0.0.1:9001/bigbluebutton/";
  n.secret = "s-" + id;
  n.capacity = capacity;
  return n;
}

config::tenant_config file_tenant(const std::string& id, long long conns,
                                  const std::string& password = "") {
  config::tenant_config t;
  t.id = id;
  t.secrets = {"secret-" + id};
  t.connections = conns;
  t.console_password = password;
  return t;
}

std::string fake_hash(const std::string& pw) {
  return "hashed:" + pw;
}

} // namespace

TEST(Definitions, AFileNodeIsStoredWithItsFingerprint) {
  auto m = merge_nodes({}, {file_node("a", 10)});
  ASSERT_EQ(m.put.size(), 1u);
  EXPECT_EQ(m.put[0].file_fingerprint,
            node_fingerprint(spec_of(file_node("a", 10))));
  EXPECT_NE(node_fingerprint(spec_of(file_node("a", 10))),
            node_fingerprint(spec_of(file_node("a", 11))));
  ASSERT_EQ(m.run.size(), 1u);
  EXPECT_EQ(m.run[0].capacity, 10);
  EXPECT_TRUE(m.drop.empty());
}

TEST(Definitions, ARuntimeChangeSurvivesUntilTheFileEntryChanges) {
  auto entry = file_node("a", 10);
  store::stored_node changed{spec_of(entry), node_fingerprint(spec_of(entry)),
                             false};
  changed.spec.capacity = 99; // set through the admin API
  auto same = merge_nodes({changed}, {entry});
  EXPECT_TRUE(same.put.empty());
  ASSERT_EQ(same.run.size(), 1u);
  EXPECT_EQ(same.run[0].capacity, 99);

  auto edited = merge_nodes({changed}, {file_node("a", 20)});
  ASSERT_EQ(edited.put.size(), 1u);
  ASSERT_EQ(edited.run.size(), 1u);
  EXPECT_EQ(edited.run[0].capacity, 20);
}

TEST(Definitions, RuntimeNodesStayFileNodesThatLeftGoRemovedOnesStayOut) {
  auto left = file_node("left", 5);
  auto removed = file_node("removed", 5);
  auto runtime = file_node("runtime", 5);
  std::vector<store::stored_node> stored{
    {spec_of(left), node_fingerprint(spec_of(left)), false},
    {spec_of(removed), node_fingerprint(spec_of(removed)), true},
    {spec_of(runtime), "", false}};
  auto m = merge_nodes(stored, {removed});
  ASSERT_EQ(m.run.size(), 1u);
  EXPECT_EQ(m.run[0].id, "runtime");
  ASSERT_EQ(m.drop.size(), 1u);
  EXPECT_EQ(m.drop[0], "left");
  EXPECT_TRUE(m.put.empty());
}

TEST(Definitions, TenantsFollowTheSameRuleAndHashTheirPasswords) {
  auto acme = file_tenant("acme", 20, "pw");
  auto m = merge_tenants({}, {acme}, fake_hash);
  ASSERT_EQ(m.put.size(), 1u);
  EXPECT_EQ(m.put[0].spec.console_password_hash, "hashed:pw");
  EXPECT_EQ(m.put[0].file_fingerprint, tenant_fingerprint(acme));

  // Changed at runtime (console password, connections): kept while the
  // file entry is the same.
  auto stored = m.put[0];
  stored.spec.connections = 77;
  stored.spec.console_password_hash = "hashed:changed";
  auto same = merge_tenants({stored}, {acme}, fake_hash);
  EXPECT_TRUE(same.put.empty());
  ASSERT_EQ(same.run.size(), 1u);
  EXPECT_EQ(same.run[0].connections, 77);

  // The entry edited without a password: the stored hash stays.
  auto edited = merge_tenants({stored}, {file_tenant("acme", 30)}, fake_hash);
  ASSERT_EQ(edited.run.size(), 1u);
  EXPECT_EQ(edited.run[0].connections, 30);
  EXPECT_EQ(edited.run[0].console_password_hash, "hashed:changed");

  // A password change alone is a change.
  EXPECT_NE(tenant_fingerprint(file_tenant("acme", 20, "pw")),
            tenant_fingerprint(file_tenant("acme", 20, "pw2")));
}

TEST(Definitions, TenantsThatLeftTheFileAreDropped) {
  auto gone = file_tenant("gone", 5);
  store::stored_tenant stored{gone, tenant_fingerprint(gone), false};
  store::stored_tenant runtime{file_tenant("runtime", 5), "", false};
  auto m = merge_tenants({stored, runtime}, {}, fake_hash);
  ASSERT_EQ(m.drop.size(), 1u);
  EXPECT_EQ(m.drop[0], "gone");
  ASSERT_EQ(m.run.size(), 1u);
  EXPECT_EQ(m.run[0].id, "runtime");
}
