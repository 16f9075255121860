// Tenant definitions (core/tenant.hpp): the one validation the file, the
// admin API and the supervisor share, and changes applied as a whole or
// not at all.
#include <gtest/gtest.h>

#include "core/tenant.hpp"

using namespace gw;

namespace {

tenant_spec valid() {
  tenant_spec t;
  t.id = "acme";
  t.secrets = {"s1"};
  t.connections = 20;
  return t;
}

std::string field_of(const tenant_spec& t) {
  auto err = validate_tenant(t);
  return err ? err->field : "";
}

} // namespace

TEST(Tenant, ValidatesEachFieldByItsKey) {
  EXPECT_EQ(field_of(valid()), "");
  auto t = valid();
  t.id = "a/b";
  EXPECT_EQ(field_of(t), "id");
  t = valid();
  t.secrets.clear();
  EXPECT_EQ(field_of(t), "secrets");
  t.secrets = {"same", "same"};
  EXPECT_EQ(field_of(t), "secrets");
  t.secrets = {"has space"};
  EXPECT_EQ(field_of(t), "secrets");
  t.secrets = {std::string(300, 'x')};
  EXPECT_EQ(field_of(t), "secrets");
  t = valid();
  t.connections = 0;
  EXPECT_EQ(field_of(t), "connections");
  t = valid();
  t.default_max_participants = 0;
  EXPECT_EQ(field_of(t), "max_participants");
  t = valid();
  t.default_duration_minutes = 600000;
  EXPECT_EQ(field_of(t), "duration_minutes");
  t = valid();
  t.checksum_algorithms.clear();
  EXPECT_EQ(field_of(t), "checksum_algorithms");
  t = valid();
  t.hosts = {"a.example", "a.example"};
  EXPECT_EQ(field_of(t), "hosts");
  t.hosts = {"a/b"};
  EXPECT_EQ(field_of(t), "hosts");
}

TEST(Tenant, PatchesApplyWholeOrNotAtAll) {
  auto t = valid();
  tenant_patch p;
  p.connections = 50;
  p.default_max_participants = std::optional<long long>{5};
  p.default_chat_texts = false;
  ASSERT_FALSE(apply_patch(t, p));
  EXPECT_EQ(t.connections, 50);
  EXPECT_EQ(t.default_max_participants, 5);
  EXPECT_FALSE(t.default_chat_texts);
  // Removing a default: the platform's applies again.
  tenant_patch clear;
  clear.default_max_participants = std::optional<long long>{};
  ASSERT_FALSE(apply_patch(t, clear));
  EXPECT_FALSE(t.default_max_participants);
  // One bad field: nothing changes.
  tenant_patch bad;
  bad.connections = 7;
  bad.secrets = std::vector<std::string>{};
  auto err = apply_patch(t, bad);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->field, "secrets");
  EXPECT_EQ(t.connections, 50);
}

TEST(Tenant, RotationAddsAndRemovesButNeverTheLast) {
  auto t = valid();
  tenant_patch add;
  add.add_secret = new_tenant_secret();
  ASSERT_FALSE(apply_patch(t, add));
  ASSERT_EQ(t.secrets.size(), 2u);
  EXPECT_EQ(t.secrets[1].size(), 64u);
  EXPECT_NE(new_tenant_secret(), new_tenant_secret());
  tenant_patch drop;
  drop.remove_secret = "s1";
  ASSERT_FALSE(apply_patch(t, drop));
  EXPECT_EQ(t.secrets, std::vector<std::string>{*add.add_secret});
  tenant_patch last;
  last.remove_secret = *add.add_secret;
  EXPECT_TRUE(apply_patch(t, last));
  tenant_patch unknown;
  unknown.remove_secret = "nope";
  EXPECT_TRUE(apply_patch(t, unknown));
  EXPECT_EQ(t.secrets.size(), 1u);
}
