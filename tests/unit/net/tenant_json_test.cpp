// Tenants as JSON (net/tenant_json.hpp): the admin API's shape with the
// YAML field names, errors by field key, and the stored form round trip.
#include <gtest/gtest.h>

#include "net/tenant_json.hpp"

using namespace gw;
using json = nlohmann::json;

TEST(TenantJson, ReadsTheYamlFieldNames) {
  auto body = json::parse(R"({"id":"acme","secrets":["s1","s2"],
    "connections":20,"api_enabled":false,
    "defaults":{"max_participants":15,"duration_minutes":120},
    "checksum_algorithms":["sha256"],"chat_texts":{"welcome":"Hi"},
    "hosts":["bbb.acme.example"],"default_chat_texts":false,
    "console_password":"long enough"})");
  tenant_spec t;
  std::string pw;
  ASSERT_FALSE(net::read_tenant(body, t, pw));
  EXPECT_EQ(t.id, "acme");
  EXPECT_EQ(t.secrets.size(), 2u);
  EXPECT_EQ(t.connections, 20);
  EXPECT_FALSE(t.api_enabled);
  EXPECT_EQ(t.default_max_participants, 15);
  EXPECT_EQ(t.default_duration_minutes, 120);
  EXPECT_EQ(t.checksum_algorithms, std::vector{digest_algo::sha256});
  ASSERT_TRUE(t.texts);
  EXPECT_EQ(t.texts->welcome, "Hi");
  EXPECT_EQ(t.hosts, std::vector<std::string>{"bbb.acme.example"});
  EXPECT_FALSE(t.default_chat_texts);
  EXPECT_EQ(pw, "long enough");
  auto shown = net::tenant_to_json(t);
  EXPECT_EQ(shown["defaults"]["max_participants"], 15);
  EXPECT_FALSE(shown.contains("console_password"));
  EXPECT_EQ(shown["console_password_set"], false);
}

TEST(TenantJson, NamesTheFieldThatIsWrong) {
  auto field = [](const char* text) {
    tenant_spec t;
    std::string pw;
    auto err = net::read_tenant(json::parse(text, nullptr, false), t, pw);
    return err ? err->field : std::string{};
  };
  EXPECT_EQ(field(R"({"id":"a","connections":"3"})"), "connections");
  EXPECT_EQ(field(R"({"id":"a"})"), "connections");
  EXPECT_EQ(field(R"({"connections":3})"), "id");
  EXPECT_EQ(
    field(R"({"id":"a","connections":3,"defaults":{"max_participants":"x"}})"),
    "max_participants");
  EXPECT_EQ(field(R"({"id":"a","connections":3,"defaults":{"size":1}})"),
            "size");
  EXPECT_EQ(field(R"({"id":"a","connections":3,"chat_texts":{"welcome":1}})"),
            "welcome");
  EXPECT_EQ(
    field(R"({"id":"a","connections":3,"checksum_algorithms":["md5"]})"),
    "checksum_algorithms");
  EXPECT_EQ(field(R"({"id":"a","connections":3,"hosts":"x"})"), "hosts");
  EXPECT_EQ(field(R"({"id":"a","connections":3,"x":1})"), "x");
  EXPECT_EQ(field("[1]"), "body");
  EXPECT_EQ(field("nonsense"), "body");
}

TEST(TenantJson, PatchesLeaveOutWhatTheyDoNotName) {
  tenant_patch p;
  std::string pw;
  ASSERT_FALSE(net::read_tenant_patch(
    json::parse(R"({"connections":5,"defaults":{"duration_minutes":null}})"), p,
    pw));
  EXPECT_EQ(p.connections, 5);
  EXPECT_FALSE(p.secrets);
  ASSERT_TRUE(p.default_duration_minutes);
  EXPECT_FALSE(*p.default_duration_minutes); // removed: platform default
  EXPECT_FALSE(p.default_max_participants);
  auto err = net::read_tenant_patch(json::parse(R"({"id":"other"})"), p, pw);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->field, "id");
}

TEST(TenantJson, TheStoredFormKeepsEverythingIncludingTheHash) {
  tenant_spec t;
  t.id = "acme";
  t.secrets = {"s"};
  t.connections = 9;
  t.texts = chat_texts{"w", "m"};
  t.default_chat_texts = false;
  t.console_password_hash = "scrypt$1$2$3$aa$bb";
  tenant_spec back;
  ASSERT_TRUE(net::tenant_from_stored(net::tenant_to_stored(t), back));
  EXPECT_EQ(back.id, "acme");
  EXPECT_EQ(back.connections, 9);
  ASSERT_TRUE(back.texts);
  EXPECT_EQ(back.texts->moderator_only, "m");
  EXPECT_FALSE(back.default_chat_texts);
  EXPECT_EQ(back.console_password_hash, t.console_password_hash);
  EXPECT_FALSE(net::tenant_from_stored("{", back));
  // The admin view never carries the hash.
  EXPECT_EQ(net::tenant_to_json(t).dump().find("scrypt"), std::string::npos);
}
