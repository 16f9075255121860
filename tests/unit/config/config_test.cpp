#include <gtest/gtest.h>

#include "config/config.hpp"

using gw::config::parse;

namespace {

const char* valid = R"(listen: 127.0.0.1:8080
public_url: http://127.0.0.1:8080/
database: ./x.db
admin:
  token: t
poll_interval_seconds: 5
testing:
  minute_seconds: 0.5
defaults:
  max_participants: 10
  duration_minutes: 60
chat_texts:
  welcome: "Dial %%DIALNUM%%"
  moderator_only: "Care"
overcommit: 1.5
nodes:
  - id: bbb1
    url: http://127.0.0.1:9001/bigbluebutton/
    secret: s1
    capacity: 300
  - id: bbb2
    url: http://127.0.0.1:9002/bigbluebutton/
    secret: s2
    capacity: 100
    overcommit: 1.0
    state: cordoned
tenants:
  - id: acme
    secrets: [a1, a2]
    connections: 20
    api_enabled: true
    defaults: { max_participants: 15, duration_minutes: 120 }
    checksum_algorithms: [sha1, sha512]
    chat_texts: { welcome: "Hi" }
    hosts: [bbb.acme.example]
)";

std::string error_of(const std::string& yaml) {
  auto r = parse(yaml);
  return r.value ? std::string{"ok"} : r.error;
}

} // namespace

TEST(Config, LoadsEveryKeyOfTheDesign) {
  auto r = parse(valid);
  ASSERT_TRUE(r.value) << r.error;
  const auto& c = *r.value;
  EXPECT_EQ(c.public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(c.poll_interval_seconds, 5);
  EXPECT_DOUBLE_EQ(c.minute_seconds, 0.5);
  ASSERT_EQ(c.nodes.size(), 2u);
  EXPECT_DOUBLE_EQ(c.nodes[0].overcommit, 1.5); // platform default
  EXPECT_DOUBLE_EQ(c.nodes[1].overcommit, 1.0);
  EXPECT_EQ(c.nodes[1].state, gw::config::node_state::cordoned);
  ASSERT_EQ(c.tenants.size(), 1u);
  const auto& t = c.tenants[0];
  EXPECT_EQ(t.secrets.size(), 2u);
  EXPECT_EQ(t.default_max_participants, 15);
  EXPECT_EQ(t.default_duration_minutes, 120);
  EXPECT_EQ(t.checksum_algorithms.size(), 2u);
  ASSERT_TRUE(t.texts);
  EXPECT_EQ(t.texts->welcome, "Hi");
  EXPECT_EQ(t.hosts[0], "bbb.acme.example");
}

TEST(Config, UnknownKeyNamesKeyAndLine) {
  EXPECT_EQ(error_of("listen: 127.0.0.1:1\nlisen: x\n"),
            "line 2: lisen: unknown key");
  std::string y = valid;
  y.replace(y.find("    api_enabled"), 0, "    colour: red\n");
  EXPECT_EQ(error_of(y), "line 31: tenants[0].colour: unknown key");
}

TEST(Config, InvalidValuesNameKeyAndLine) {
  std::string y = valid;
  y.replace(y.find("connections: 20"), 15, "connections: -3");
  EXPECT_EQ(error_of(y), "line 30: tenants[0].connections: must be at least 1");
  y = valid;
  y.replace(y.find("state: cordoned"), 15, "state: sleeping");
  EXPECT_EQ(error_of(y), "line 26: nodes[1].state: must be enabled, "
                         "cordoned, draining or disabled");
  y = valid;
  y.replace(y.find("[sha1, sha512]"), 14, "[sha1, md5]");
  EXPECT_EQ(error_of(y), "line 33: tenants[0].checksum_algorithms[1]: must "
                         "be sha1, sha256, sha384 or sha512");
}

TEST(Config, RejectsDuplicatesMissingAndMalformed) {
  std::string y = valid;
  y.replace(y.find("id: bbb2"), 8, "id: bbb1");
  EXPECT_EQ(error_of(y), "line 21: nodes[1].id: duplicate node id 'bbb1'");
  EXPECT_EQ(error_of("nodes:\n  - id: a\n    url: http://x/\n"),
            "line 2: nodes[0].secret: is required");
  EXPECT_EQ(error_of("listen: nowhere\n"), "line 1: listen: must be HOST:PORT");
  EXPECT_EQ(error_of("nodes:\n  - id: a\n    url: ftp://x/\n    secret: s\n"
                     "    capacity: 1\n"),
            "line 3: nodes[0].url: must be an http:// or https:// URL "
            "without query");
  EXPECT_EQ(error_of("tenants:\n  - id: a/b\n    secrets: [x]\n"
                     "    connections: 1\n"),
            "line 2: tenants[0].id: must be 1-64 letters, digits, '-' or '_' "
            "(it is a URL path segment)");
  EXPECT_NE(error_of("listen: [unclosed\n").find("line"), std::string::npos);
  EXPECT_EQ(error_of(""), "line 1: (top level): the file is empty");
}

// Found by tests/fuzz/config_fuzz: a YAML message quoting the offending
// byte (a control character after a backslash) put it in the error line.
TEST(Config, ErrorIsOnePrintableLine) {
  auto e = error_of("x: \"\\\x01\"\n");
  EXPECT_EQ(e, "line 1: unknown escape character: \\x01");
  auto k = error_of(std::string("bad\x01key: 1\n"));
  EXPECT_EQ(k.find('\x01'), std::string::npos) << k;
  EXPECT_NE(k.find("\\x01"), std::string::npos) << k;
}

TEST(Config, ConsoleAndTheTenantsConsoleFields) {
  auto r = parse(std::string(valid)
                 + "    default_chat_texts: false\n"
                   "    console_password: \"a long password\"\n"
                   "console:\n  enabled: false\n  session_minutes: 15\n"
                   "  operator_password: \"operator pw\"\n");
  ASSERT_TRUE(r.value) << r.error;
  const auto& c = *r.value;
  EXPECT_FALSE(c.console.enabled);
  EXPECT_EQ(c.console.session_minutes, 15);
  EXPECT_EQ(c.console.operator_password, "operator pw");
  EXPECT_FALSE(c.tenants[0].default_chat_texts);
  EXPECT_EQ(c.tenants[0].console_password, "a long password");
  auto defaults = parse(valid);
  EXPECT_TRUE(defaults.value->console.enabled);
  EXPECT_EQ(defaults.value->console.session_minutes, 60);
  EXPECT_TRUE(defaults.value->tenants[0].default_chat_texts);
  EXPECT_EQ(error_of(std::string(valid) + "console:\n  session_minutes: 0\n"),
            "line 37: console.session_minutes: must be at least 1");
  // What core's validate_tenant refuses is named by its YAML key.
  std::string y = valid;
  y.replace(y.find("max_participants: 15"), 20, "max_participants: 0");
  EXPECT_EQ(error_of(y), "line 32: tenants[0].defaults.max_participants: must "
                         "be at least 1");
  y = valid;
  y.replace(y.find("[a1, a2]"), 8, "[a1, a1]");
  EXPECT_EQ(error_of(y), "line 29: tenants[0].secrets: a secret is listed "
                         "twice");
}

TEST(Config, MetricsAndLogKeys) {
  auto r = parse(std::string(valid)
                 + "metrics:\n  token: scrape-me\n"
                   "log:\n  format: json\n  access: true\n");
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_EQ(r.value->metrics_token, "scrape-me");
  EXPECT_EQ(r.value->log_format, "json");
  EXPECT_TRUE(r.value->log_access);
  auto defaults = parse(valid);
  EXPECT_TRUE(defaults.value->metrics_token.empty());
  EXPECT_EQ(defaults.value->log_format, "text");
  EXPECT_FALSE(defaults.value->log_access);
  EXPECT_EQ(error_of(std::string(valid) + "log:\n  format: xml\n"),
            "line 37: log.format: must be text or json");
  EXPECT_EQ(error_of(std::string(valid) + "metrics:\n  path: /m\n"),
            "line 37: metrics.path: unknown key");
}
