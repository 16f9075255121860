// The customer console over HTTP (design.md §8, docs/console.md): sign-in,
// cookie flags and security headers, CSRF refusal, the sign-in throttle,
// isolation between tenants, and every form's effect seen through the BBB
// API at the next call.
#include <regex>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using json = nlohmann::json;

namespace {

class Console : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "admin:\n  token: admin-token\n"
           "console:\n  operator_password: \"operator pw\"\n";
  }

  std::string extra_tenants() const override {
    return "  - id: gamma\n    secrets: [gamma-key]\n    connections: 100\n"
           "    console_password: \"gamma password\"\n"
           "  - id: delta\n    secrets: [delta-key]\n    connections: 20\n"
           "    console_password: \"delta password\"\n";
  }

  response post_form(const std::string& path, const std::string& body,
                     const std::string& cookie = "") {
    std::vector<std::string> headers;
    if (!cookie.empty())
      headers.push_back("Cookie: " + cookie);
    return http(port(), "POST", path, body, "application/x-www-form-urlencoded",
                "", headers);
  }

  response page(const std::string& cookie) {
    return http(port(), "GET", "/console/", "", "", "", {"Cookie: " + cookie});
  }

  /// Signs in; returns the cookie (`name=value`).
  std::string sign_in(const std::string& tenant, const std::string& pw) {
    auto r =
      post_form("/console/login", "tenant=" + tenant + "&password=" + pw);
    EXPECT_EQ(r.status, 303u) << r.body;
    auto c = r.header("Set-Cookie");
    return c.substr(0, c.find(';'));
  }

  std::string csrf_of(const std::string& html) {
    std::smatch m;
    std::regex re(R"re(name="csrf" value="([0-9a-f]+)")re");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }

  std::string rc(const response& r) {
    return el(r.body, "returncode");
  }

  response create_with(const std::string& tenant, const std::string& secret,
                       const std::string& id, const std::string& extra = "") {
    return get(port(),
               "/" + tenant + "/bigbluebutton/api/create?"
                 + sign("create", "meetingID=" + id + "&name=Room" + extra,
                        secret, "sha1"));
  }
};

} // namespace

TEST_F(Console, SignInSetsAStrictHttpOnlyCookieAndSecurityHeaders) {
  auto login = get(port(), "/console/");
  ASSERT_EQ(login.status, 200u);
  EXPECT_NE(login.body.find(R"(name="tenant")"), std::string::npos);
  EXPECT_NE(login.body.find(R"(<label for="password">)"), std::string::npos);
  auto csp = login.header("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(login.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(login.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(login.body.find("<script>"), std::string::npos); // no inline
  EXPECT_EQ(post_form("/console/login", "tenant=gamma&password=wrong").status,
            401u);
  EXPECT_EQ(post_form("/console/login", "tenant=nobody&password=x").status,
            401u);
  // acme has no console password: never signed in.
  EXPECT_EQ(post_form("/console/login", "tenant=acme&password=").status, 400u);
  auto ok = post_form("/console/login", "tenant=gamma&password=gamma+password");
  ASSERT_EQ(ok.status, 303u);
  auto cookie = ok.header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/console"), std::string::npos);
  EXPECT_NE(cookie.find("Max-Age=3600"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos); // http public_url
  auto p = page(cookie.substr(0, cookie.find(';')));
  ASSERT_EQ(p.status, 200u);
  EXPECT_NE(p.body.find("gamma-key"), std::string::npos);
  EXPECT_NE(p.body.find("/gamma/bigbluebutton/"), std::string::npos);
  EXPECT_NE(p.body.find("100 connections"), std::string::npos);
  EXPECT_EQ(p.header("Cache-Control"), "no-store");
  // A made-up session is no session.
  EXPECT_EQ(page("bbbgate_console=feedface").body.find("gamma-key"),
            std::string::npos);
}

TEST_F(Console, FormsNeedTheirCsrfTokenAndTakeEffectAtTheNextCall) {
  auto cookie = sign_in("gamma", "gamma+password");
  auto csrf = csrf_of(page(cookie).body);
  ASSERT_EQ(csrf.size(), 64u);
  EXPECT_EQ(post_form("/console/api", "enabled=off", cookie).status, 403u);
  EXPECT_EQ(post_form("/console/api",
                      "enabled=off&csrf=" + std::string(64, '0'), cookie)
              .status,
            403u);
  EXPECT_EQ(post_form("/console/api", "enabled=off&csrf=" + csrf).status,
            403u); // no session
  EXPECT_EQ(rc(create_with("gamma", "gamma-key", "before")), "SUCCESS");
  auto off = post_form("/console/api", "enabled=off&csrf=" + csrf, cookie);
  ASSERT_EQ(off.status, 303u);
  EXPECT_EQ(
    el(create_with("gamma", "gamma-key", "while-off").body, "messageKey"),
    "integrationApiDisabled");
  auto p = page(cookie).body;
  EXPECT_EQ(p.find("gamma-key"), std::string::npos); // hidden while off
  EXPECT_NE(p.find("only while the Integration API is on"), std::string::npos);
  ASSERT_EQ(post_form("/console/api", "enabled=on&csrf=" + csrf, cookie).status,
            303u);
  EXPECT_EQ(rc(create_with("gamma", "gamma-key", "after")), "SUCCESS");
  // Defaults: maxParticipants and duration for creates that leave them out,
  // and the default chat texts switched off.
  ASSERT_EQ(post_form("/console/defaults",
                      "max_participants=4&duration_minutes=30&csrf=" + csrf,
                      cookie)
              .status,
            303u);
  ASSERT_EQ(rc(create_with("gamma", "gamma-key", "defaulted", "&welcome=Mine")),
            "SUCCESS");
  bool seen = false;
  for (const auto* node : {node1_.get(), node2_.get()})
    for (const auto& call : json::parse(node->control("log")))
      if (call["call"] == "create"
          && call["params"]["meetingID"].get<std::string>().find("defaulted")
               != std::string::npos) {
        seen = true;
        EXPECT_EQ(call["params"]["maxParticipants"], "4");
        EXPECT_EQ(call["params"]["welcome"], "Mine");
      }
  EXPECT_TRUE(seen);
  // Usage now shows the running meetings and what they reserve.
  p = page(cookie).body;
  EXPECT_NE(p.find("defaulted"), std::string::npos);
  EXPECT_NE(p.find(R"(<dd id="reserved">)"), std::string::npos);
  // What a create of N would do, and the history.
  auto probe = [&](const std::string& n) {
    return http(port(), "GET", "/console/?probe=" + n, "", "", "",
                {"Cookie: " + cookie})
      .body;
  };
  EXPECT_NE(probe("5").find("fits now"), std::string::npos);
  EXPECT_NE(probe("1000").find("maxParticipantsExceedsSubscription"),
            std::string::npos);
  EXPECT_NE(probe("95").find("notEnoughConnections"), std::string::npos);
  EXPECT_NE(p.find("<svg"), std::string::npos);
  EXPECT_NE(p.find("Connection-minutes reserved"), std::string::npos);
  auto csv = http(port(), "GET", "/console/usage.csv", "", "", "",
                  {"Cookie: " + cookie});
  EXPECT_EQ(csv.status, 200u);
  EXPECT_EQ(csv.body.rfind("date,", 0), 0u);
  EXPECT_NE(get(port(), "/console/usage.csv").body.find("Sign in"),
            std::string::npos); // no session, no data
  // Bad values change nothing.
  post_form("/console/defaults",
            "max_participants=0&duration_minutes=30&csrf=" + csrf, cookie);
  EXPECT_NE(page(cookie).body.find(R"(value="4")"), std::string::npos);
}

TEST_F(Console, RotatesTheSecretWithOverlap) {
  auto cookie = sign_in("gamma", "gamma+password");
  auto csrf = csrf_of(page(cookie).body);
  ASSERT_EQ(post_form("/console/rotate", "csrf=" + csrf, cookie).status, 303u);
  auto p = page(cookie).body;
  std::smatch m;
  std::regex re(R"re(id="secret-2" readonly value="([0-9a-f]{64})")re");
  ASSERT_TRUE(std::regex_search(p, m, re)) << p;
  auto fresh = m[1].str();
  EXPECT_EQ(rc(create_with("gamma", "gamma-key", "r1")), "SUCCESS");
  EXPECT_EQ(rc(create_with("gamma", fresh, "r2")), "SUCCESS");
  ASSERT_EQ(
    post_form("/console/secret/remove", "secret=gamma-key&csrf=" + csrf, cookie)
      .status,
    303u);
  EXPECT_EQ(rc(create_with("gamma", "gamma-key", "r3")), "FAILED");
  EXPECT_EQ(rc(create_with("gamma", fresh, "r4")), "SUCCESS");
}

TEST_F(Console, ASessionSeesAndChangesOnlyItsTenant) {
  auto g = sign_in("gamma", "gamma+password");
  auto d = sign_in("delta", "delta+password");
  auto gp = page(g).body;
  EXPECT_NE(gp.find("gamma-key"), std::string::npos);
  EXPECT_EQ(gp.find("delta-key"), std::string::npos);
  // gamma's token does not work with delta's session, nor the reverse.
  auto dcsrf = csrf_of(page(d).body);
  EXPECT_EQ(post_form("/console/api", "enabled=off&csrf=" + dcsrf, g).status,
            403u);
  EXPECT_EQ(rc(create_with("delta", "delta-key", "still-on")), "SUCCESS");
  // Signing out ends the session.
  auto gcsrf = csrf_of(gp);
  ASSERT_EQ(post_form("/console/logout", "csrf=" + gcsrf, g).status, 303u);
  EXPECT_EQ(page(g).body.find("gamma-key"), std::string::npos);
}

TEST_F(Console, RepeatedFailedSignInsAreSlowedDown) {
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(post_form("/console/login", "tenant=gamma&password=guess").status,
              401u);
  auto r = post_form("/console/login", "tenant=gamma&password=guess");
  EXPECT_EQ(r.status, 429u);
  EXPECT_FALSE(r.header("Retry-After").empty());
  // Even the right password waits: guessing gains nothing.
  EXPECT_EQ(
    post_form("/console/login", "tenant=gamma&password=gamma+password").status,
    429u);
  // Another tenant from another... the same address is slowed too.
  EXPECT_EQ(
    post_form("/console/login", "tenant=delta&password=delta+password").status,
    429u);
}

TEST_F(Console, TheOperatorSeesTenantsAndNodesAndSetsNodeStates) {
  EXPECT_NE(
    get(port(), "/console/operator").body.find("Admin token or operator"),
    std::string::npos);
  EXPECT_EQ(post_form("/console/operator/login", "password=wrong").status,
            401u);
  // A tenant's session is not the operator's.
  auto tenant = sign_in("gamma", "gamma+password");
  EXPECT_EQ(
    page(tenant).body.find("Participants now</th><th scope=\"col\">Meetings"),
    std::string::npos);
  EXPECT_NE(
    http(port(), "GET", "/console/operator", "", "", "", {"Cookie: " + tenant})
      .body.find("Admin token or operator"),
    std::string::npos);
  ASSERT_EQ(rc(create("acme", "op-seen", "&maxParticipants=30")), "SUCCESS");
  for (const char* pw : {"operator+pw", "admin-token"}) {
    auto r =
      post_form("/console/operator/login", std::string{"password="} + pw);
    ASSERT_EQ(r.status, 303u) << pw;
    auto c = r.header("Set-Cookie");
    auto cookie = c.substr(0, c.find(';'));
    auto p = http(port(), "GET", "/console/operator", "", "", "",
                  {"Cookie: " + cookie});
    ASSERT_EQ(p.status, 200u);
    for (const char* id : {"acme", "beta", "gamma", "delta", "n1", "n2"})
      EXPECT_NE(p.body.find(std::string{"<td>"} + id + "</td>"),
                std::string::npos)
        << id;
    EXPECT_NE(p.body.find("<td>30</td>"), std::string::npos); // acme reserved
    EXPECT_EQ(p.body.find("gamma-key"), std::string::npos);   // no secrets
    auto csrf = csrf_of(p.body);
    ASSERT_EQ(post_form("/console/operator/node",
                        "node=n1&state=draining&csrf=" + csrf, cookie)
                .status,
              303u);
    auto n1 = json::parse(http(port(), "GET", "/admin/nodes/n1", "", "", "",
                               {"Authorization: Bearer admin-token"})
                            .body);
    EXPECT_EQ(n1["state"], "draining");
    EXPECT_EQ(
      post_form("/console/operator/node", "node=n1&state=enabled", cookie)
        .status,
      403u); // no CSRF token
    ASSERT_EQ(post_form("/console/operator/node",
                        "node=n1&state=enabled&csrf=" + csrf, cookie)
                .status,
              303u);
  }
}
