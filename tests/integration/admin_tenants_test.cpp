// Tenants at runtime through the admin API (design.md §8,
// docs/admin-api.md): every call, validation naming the field, secret
// rotation with overlap, changes applied to the next BBB call, forced
// removal, and durability across kill -9.
#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/usage.hpp"
#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

class AdminTenants : public GatewayFixture {
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

  json tenant(const std::string& id) {
    return json::parse(admin("GET", "/admin/tenants/" + id).body);
  }

  /// A create signed with `secret` (SHA-1).
  response create_with(const std::string& tenant, const std::string& secret,
                       const std::string& id, const std::string& extra = "") {
    return get(port(),
               "/" + tenant + "/bigbluebutton/api/create?"
                 + sign("create", "meetingID=" + id + "&name=Room" + extra,
                        secret, "sha1"));
  }

  std::string rc(const response& r) {
    return el(r.body, "returncode");
  }

  bool running_on_a_node(const std::string& id) {
    for (const auto* node : {node1_.get(), node2_.get()})
      for (const auto& m : json::parse(node->control("meetings")))
        if (m["meetingID"].get<std::string>().find("-" + id)
            != std::string::npos)
          return true;
    return false;
  }
};

} // namespace

TEST_F(AdminTenants, RequiresTheTokenAndListsTenantsWithTheirUse) {
  EXPECT_EQ(get(port(), "/admin/tenants").status, 401u);
  EXPECT_EQ(http(port(), "GET", "/admin/tenants", "", "", "",
                 {"Authorization: Bearer wrong"})
              .status,
            401u);
  ASSERT_EQ(rc(create("acme", "listed", "&maxParticipants=7")), "SUCCESS");
  auto r = admin("GET", "/admin/tenants");
  ASSERT_EQ(r.status, 200u);
  auto list = json::parse(r.body)["tenants"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], "acme");
  EXPECT_EQ(list[0]["secrets"], json({"acme-secret", "acme-old"}));
  EXPECT_EQ(list[0]["connections"], 100);
  EXPECT_EQ(list[0]["now"]["reserved_connections"], 7);
  EXPECT_EQ(list[0]["now"]["free_connections"], 93);
  EXPECT_EQ(list[1]["id"], "beta");
  EXPECT_EQ(list[1]["checksum_algorithms"], json({"sha256", "sha512"}));
  EXPECT_EQ(list[1]["hosts"], json({"bbb.beta.example"}));
  EXPECT_EQ(list[1]["chat_texts"]["welcome"], "Beta hello");
  EXPECT_EQ(tenant("beta")["default_chat_texts"], true);
  EXPECT_EQ(admin("GET", "/admin/tenants/nope").status, 404u);
  EXPECT_EQ(admin("PUT", "/admin/tenants").status, 405u);
}

TEST_F(AdminTenants, AddsATenantThatServesAtOnceAndSurvivesKill9) {
  auto r = admin("POST", "/admin/tenants",
                 R"({"id":"gamma","connections":12,
                     "defaults":{"max_participants":4},
                     "console_password":"a long password"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  auto body = json::parse(r.body);
  ASSERT_EQ(body["secrets"].size(), 1u);
  auto secret = body["secrets"][0].get<std::string>();
  EXPECT_EQ(secret.size(), 64u); // 256 bits, hex
  EXPECT_EQ(body["console_password_set"], true);
  EXPECT_EQ(r.body.find("a long password"), std::string::npos);
  EXPECT_EQ(r.body.find("scrypt"), std::string::npos);
  EXPECT_EQ(
    admin("POST", "/admin/tenants", R"({"id":"gamma","connections":1})").status,
    409u);
  ASSERT_EQ(rc(create_with("gamma", secret, "g1")), "SUCCESS");
  EXPECT_EQ(tenant("gamma")["now"]["reserved_connections"], 4);
  // Another tenant's secret does not open it.
  EXPECT_EQ(rc(create_with("gamma", "acme-secret", "g2")), "FAILED");
  crash_and_restart();
  auto after = tenant("gamma");
  EXPECT_EQ(after["connections"], 12);
  EXPECT_EQ(after["console_password_set"], true);
  EXPECT_EQ(after["now"]["meetings"], 1);
  ASSERT_EQ(rc(create_with("gamma", secret, "g3")), "SUCCESS");
}

TEST_F(AdminTenants, RefusesBadDefinitionsNamingTheField) {
  for (const auto& [body, field] :
       std::vector<std::pair<std::string, std::string>>{
         {R"({"id":"x","connections":"many"})", "connections:"},
         {R"({"id":"x","connections":0})", "connections:"},
         {R"({"id":"x"})", "connections:"},
         {R"({"connections":3})", "id:"},
         {R"({"id":"a/b","connections":3})", "id:"},
         {R"({"id":"x","connections":3,"secrets":[]})", "secrets:"},
         {R"({"id":"x","connections":3,"secrets":["a b"]})", "secrets:"},
         {R"({"id":"x","connections":3,"defaults":{"max_participants":0}})",
          "max_participants:"},
         {R"({"id":"x","connections":3,"defaults":{"duration_minutes":"1"}})",
          "duration_minutes:"},
         {R"({"id":"x","connections":3,"checksum_algorithms":["md5"]})",
          "checksum_algorithms:"},
         {R"({"id":"x","connections":3,"api_enabled":"yes"})", "api_enabled:"},
         {R"({"id":"x","connections":3,"console_password":"short"})",
          "console_password:"},
         {R"({"id":"x","connections":3,"hosts":["bbb.beta.example"]})",
          "hosts:"},
         {R"({"id":"x","connections":3,"colour":"red"})", "colour:"},
         {"not json", "body:"}}) {
    auto r = admin("POST", "/admin/tenants", body);
    EXPECT_EQ(r.status, 400u) << body << r.body;
    EXPECT_EQ(json::parse(r.body)["error"].get<std::string>().rfind(field, 0),
              0u)
      << body << " -> " << r.body;
  }
  auto r = admin("PATCH", "/admin/tenants/acme", R"({"id":"other"})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(
    admin("PATCH", "/admin/tenants/nope", R"({"connections":3})").status, 404u);
  EXPECT_EQ(tenant("acme")["connections"], 100); // nothing half-written
}

TEST_F(AdminTenants, RotatesSecretsWithOverlap) {
  auto added = admin("POST", "/admin/tenants/acme/secrets");
  ASSERT_EQ(added.status, 201u) << added.body;
  auto fresh = json::parse(added.body)["secret"].get<std::string>();
  EXPECT_EQ(fresh.size(), 64u);
  // Both valid while the clients move over.
  EXPECT_EQ(rc(create_with("acme", "acme-secret", "old1")), "SUCCESS");
  EXPECT_EQ(rc(create_with("acme", fresh, "new1")), "SUCCESS");
  for (const char* s : {"acme-secret", "acme-old"})
    EXPECT_EQ(
      admin("DELETE", std::string{"/admin/tenants/acme/secrets/"} + s).status,
      200u);
  EXPECT_EQ(rc(create_with("acme", "acme-secret", "old2")), "FAILED");
  EXPECT_EQ(rc(create_with("acme", fresh, "new2")), "SUCCESS");
  auto last = admin("DELETE", "/admin/tenants/acme/secrets/" + fresh);
  EXPECT_EQ(last.status, 400u);
  EXPECT_NE(last.body.find("last secret"), std::string::npos);
  EXPECT_EQ(admin("DELETE", "/admin/tenants/acme/secrets/unknown").status,
            404u);
  // PATCH replaces the list (never empty).
  EXPECT_EQ(admin("PATCH", "/admin/tenants/acme", R"({"secrets":[]})").status,
            400u);
  ASSERT_EQ(
    admin("PATCH", "/admin/tenants/acme", R"({"secrets":["patched-secret"]})")
      .status,
    200u);
  EXPECT_EQ(rc(create_with("acme", "patched-secret", "p1")), "SUCCESS");
  EXPECT_EQ(rc(create_with("acme", fresh, "p2")), "FAILED");
  crash_and_restart();
  EXPECT_EQ(rc(create_with("acme", "patched-secret", "p3")), "SUCCESS");
}

TEST_F(AdminTenants, ChangesApplyToTheNextCall) {
  ASSERT_EQ(rc(create("acme", "big", "&maxParticipants=30")), "SUCCESS");
  // A smaller subscription ends nothing; it only refuses new creates.
  auto r = admin("PATCH", "/admin/tenants/acme", R"({"connections":20})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(json::parse(r.body)["connections"], 20);
  EXPECT_TRUE(running_on_a_node("big"));
  EXPECT_EQ(el(create("acme", "more", "&maxParticipants=5").body, "messageKey"),
            "notEnoughConnections");
  EXPECT_EQ(
    el(create("acme", "huge", "&maxParticipants=25").body, "messageKey"),
    "maxParticipantsExceedsSubscription");
  // Defaults and chat texts behaviour.
  ASSERT_EQ(admin("PATCH", "/admin/tenants/acme",
                  R"({"connections":100,"default_chat_texts":false,
                      "defaults":{"max_participants":3,"duration_minutes":5}})")
              .status,
            200u);
  ASSERT_EQ(rc(create("acme", "defaulted", "&welcome=Mine")), "SUCCESS");
  bool seen = false;
  for (const auto* node : {node1_.get(), node2_.get()})
    for (const auto& call : json::parse(node->control("log")))
      if (call["call"] == "create"
          && call["params"]["meetingID"].get<std::string>().find("defaulted")
               != std::string::npos) {
        seen = true;
        EXPECT_EQ(call["params"]["welcome"], "Mine");
        EXPECT_EQ(call["params"]["maxParticipants"], "3");
      }
  EXPECT_TRUE(seen);
  EXPECT_EQ(tenant("acme")["now"]["reserved_connections"], 33);
  // Switched off: the BBB API refuses, and on again.
  ASSERT_EQ(
    admin("PATCH", "/admin/tenants/acme", R"({"api_enabled":false})").status,
    200u);
  EXPECT_EQ(el(create("acme", "off").body, "messageKey"),
            "integrationApiDisabled");
  ASSERT_EQ(
    admin("PATCH", "/admin/tenants/acme", R"({"api_enabled":true})").status,
    200u);
  EXPECT_EQ(rc(create("acme", "on")), "SUCCESS");
  // An API change survives a restart while the file entry is unchanged.
  crash_and_restart();
  EXPECT_EQ(tenant("acme")["defaults"]["max_participants"], 3);
}

TEST_F(AdminTenants, RemovesOnlyIdleTenantsUnlessForced) {
  ASSERT_EQ(rc(create("beta", "busy")), "SUCCESS");
  auto r = admin("DELETE", "/admin/tenants/beta");
  EXPECT_EQ(r.status, 409u);
  EXPECT_TRUE(running_on_a_node("busy"));
  r = admin("DELETE", "/admin/tenants/beta?force=true");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(json::parse(r.body)["ended"], 1);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (running_on_a_node("busy")
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(running_on_a_node("busy"));
  EXPECT_EQ(admin("GET", "/admin/tenants/beta").status, 404u);
  EXPECT_EQ(el(create("beta", "gone").body, "messageKey"), "unknownTenant");
  // A tenant added at runtime and removed idle; both stay removed.
  ASSERT_EQ(admin("POST", "/admin/tenants",
                  R"({"id":"delta","connections":5,"secrets":["delta-key"]})")
              .status,
            201u);
  EXPECT_EQ(admin("DELETE", "/admin/tenants/delta").status, 200u);
  EXPECT_EQ(admin("DELETE", "/admin/tenants/delta").status, 404u);
  crash_and_restart();
  EXPECT_EQ(admin("GET", "/admin/tenants/beta").status, 404u);
  EXPECT_EQ(admin("GET", "/admin/tenants/delta").status, 404u);
  EXPECT_EQ(admin("GET", "/admin/tenants/acme").status, 200u);
}

namespace {

class TenantUsage : public AdminTenants {
protected:
  std::string extra_config() const override {
    return "admin:\n  token: admin-token\npoll_interval_seconds: 1\n"
           "testing:\n  minute_seconds: 0.1\n";
  }

  std::string today() const {
    auto days = std::chrono::duration_cast<std::chrono::hours>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count()
                / 24;
    return gw::format_day(days);
  }
};

} // namespace

TEST_F(TenantUsage, CountsReservedMinutesMeetingsAndRefusalsDurably) {
  ASSERT_EQ(rc(create("acme", "billed", "&maxParticipants=10")), "SUCCESS");
  EXPECT_EQ(
    el(create("acme", "too-big", "&maxParticipants=500").body, "messageKey"),
    "maxParticipantsExceedsSubscription");
  std::this_thread::sleep_for(1000ms);
  ASSERT_EQ(rc(api("acme", "end", "meetingID=billed&password=mp")), "SUCCESS");
  auto day = today();
  auto r = admin("GET", "/admin/tenants/acme/usage?from=" + day + "&to=" + day);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto u = json::parse(r.body);
  EXPECT_EQ(u["tenant"], "acme");
  ASSERT_EQ(u["days"].size(), 1u);
  auto d = u["days"][0];
  EXPECT_EQ(d["date"], day);
  EXPECT_EQ(d["meetings"], 1);
  EXPECT_EQ(d["peak_reserved_connections"], 10);
  EXPECT_EQ(d["refused"]["maxParticipantsExceedsSubscription"], 1);
  // 10 connections for about a second of 0.1-second minutes: about 100
  // (the end is seen when the gateway processes it).
  auto minutes = d["reserved_connection_minutes"].get<double>();
  EXPECT_GT(minutes, 90);
  EXPECT_LT(minutes, 200);
  // CSV on request, and the rows survive kill -9.
  crash_and_restart();
  auto csv =
    http(port(), "GET", "/admin/tenants/acme/usage?from=" + day + "&to=" + day,
         "", "", "", {"Authorization: Bearer admin-token", "Accept: text/csv"});
  ASSERT_EQ(csv.status, 200u);
  EXPECT_EQ(csv.body.rfind("date,reserved_connection_minutes,", 0), 0u);
  EXPECT_NE(csv.body.find("refused_maxParticipantsExceedsSubscription"),
            std::string::npos);
  EXPECT_NE(csv.body.find("\r\n" + day + ","), std::string::npos);
  EXPECT_EQ(admin("GET", "/admin/tenants/acme/usage?from=2026-02-30").status,
            400u);
  EXPECT_EQ(admin("GET", "/admin/tenants/nope/usage").status, 404u);
  EXPECT_EQ(
    json::parse(admin("GET", "/admin/tenants/beta/usage").body)["days"].size(),
    30u);
}
