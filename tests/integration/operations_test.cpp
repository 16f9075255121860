// Operating bbbgate (issue 16, design.md §9): /metrics in Prometheus text
// (checked with promtool when it is installed) with values that follow a
// scripted scenario, `bbbgate admin` against a running gateway, `bbbgate
// check`, JSON logs with an access log that never shows a secret.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

class Operations : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "admin:\n  token: admin-token\npoll_interval_seconds: 1\n"
           "log:\n  format: json\n  access: true\n";
  }

  std::string metrics() {
    auto r = get(port(), "/metrics");
    EXPECT_EQ(r.status, 200u);
    return r.body;
  }

  /// The value of one sample (exact name and labels as rendered), or -1.
  static double value(const std::string& text, const std::string& sample) {
    auto at = text.find("\n" + sample + " ");
    if (at == std::string::npos)
      return -1;
    return std::stod(text.substr(at + sample.size() + 2));
  }

  command_result admin_cmd(std::vector<std::string> args,
                           std::vector<std::string> env = {
                             "BBBGATE_ADMIN_TOKEN=admin-token"}) {
    std::vector<std::string> argv{bbbgate_binary(), "admin", "--url",
                                  "http://127.0.0.1:" + std::to_string(port())};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, std::move(env));
  }
};

} // namespace

TEST_F(Operations, MetricsFollowAScriptedScenario) {
  auto before = metrics();
  EXPECT_NE(before.find("# TYPE bbbgate_api_requests_total counter"),
            std::string::npos);
  EXPECT_EQ(value(before, "bbbgate_build_info{version=\"0.1.0\"}"), 1);
  EXPECT_EQ(value(before, "bbbgate_tenant_connections{tenant=\"acme\",state="
                          "\"subscribed\"}"),
            100);
  // Two creates, one duplicate, one refused, one end.
  create("acme", "m1", "&maxParticipants=10");
  create("acme", "m2", "&maxParticipants=20");
  create("acme", "m1", "&maxParticipants=10");
  create("acme", "big", "&maxParticipants=500");
  api("acme", "end", "meetingID=m2&password=mp");
  auto after = metrics();
  EXPECT_EQ(value(after, "bbbgate_creates_total{outcome=\"created\"}"), 2);
  EXPECT_EQ(value(after, "bbbgate_creates_total{outcome=\"duplicate\"}"), 1);
  EXPECT_EQ(value(after, "bbbgate_creates_total{outcome=\""
                         "maxParticipantsExceedsSubscription\"}"),
            1);
  EXPECT_EQ(value(after, "bbbgate_api_requests_total{call=\"create\","
                         "returncode=\"SUCCESS\"}"),
            3);
  EXPECT_EQ(value(after, "bbbgate_api_requests_total{call=\"end\","
                         "returncode=\"SUCCESS\"}"),
            1);
  EXPECT_EQ(value(after, "bbbgate_api_request_duration_seconds_count{call="
                         "\"create\"}"),
            4);
  EXPECT_EQ(value(after, "bbbgate_tenant_meetings{tenant=\"acme\"}"), 1);
  EXPECT_EQ(value(after, "bbbgate_tenant_connections{tenant=\"acme\",state="
                         "\"reserved\"}"),
            10);
  EXPECT_GT(value(after, "bbbgate_store_commit_seconds_count"), 0);
  EXPECT_GE(value(after, "bbbgate_store_queue_length"), 0);
  // Each create and the end published the tenant's meetings view.
  EXPECT_GE(value(after, "bbbgate_snapshot_publications_total{snapshot="
                         "\"tenant_meetings\"}")
              - value(before, "bbbgate_snapshot_publications_total{snapshot="
                              "\"tenant_meetings\"}"),
            3);
  EXPECT_GT(value(after, "bbbgate_snapshot_publications_total{snapshot="
                         "\"node_live\"}"),
            0);
  // Polls and creates reached the nodes and were counted.
  EXPECT_GT(value(after, "bbbgate_node_calls_total{node=\"n1\",outcome="
                         "\"ok\"}")
              + value(after, "bbbgate_node_calls_total{node=\"n2\",outcome="
                             "\"ok\"}"),
            2);
  EXPECT_GT(value(after, "bbbgate_node_poll_duration_seconds_count{node="
                         "\"n1\"}"),
            0);
  EXPECT_EQ(value(after, "bbbgate_node_up{node=\"n1\"}"), 1);
  // A node killed: down within a few polls.
  node2_.reset();
  double up = 1;
  for (int i = 0; i < 80 && up != 0; ++i) {
    std::this_thread::sleep_for(100ms);
    up = value(metrics(), "bbbgate_node_up{node=\"n2\"}");
  }
  EXPECT_EQ(up, 0);
  EXPECT_GT(value(metrics(), "bbbgate_node_calls_total{node=\"n2\",outcome="
                             "\"failed\"}"),
            0);
  // The exposition is valid for Prometheus' own checker.
  if (std::filesystem::exists("/usr/bin/promtool")) {
    auto file = dir_ + "/metrics.txt";
    std::ofstream(file) << metrics();
    auto r = run_command(
      {"/bin/sh", "-c", "/usr/bin/promtool check metrics < " + file});
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
}

TEST_F(Operations, TheAdminCommandDrivesEveryVerb) {
  auto r = admin_cmd({"nodes", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("n1"), std::string::npos);
  EXPECT_NE(r.output.find("webhooks"), std::string::npos);
  r = admin_cmd({"nodes", "show", "n1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(json::parse(r.output)["id"], "n1");
  r = admin_cmd({"nodes", "add", "n3", "--url", node1_->url(), "--secret",
                 "node-secret-1", "--capacity", "30"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(admin_cmd({"nodes", "set-state", "n3", "draining"}).exit_code, 0);
  EXPECT_EQ(admin_cmd({"nodes", "set", "n3", "--capacity", "40"}).exit_code, 0);
  r = admin_cmd({"nodes", "show", "n3", "--json"});
  auto n3 = json::parse(r.output);
  EXPECT_EQ(n3["state"], "draining");
  EXPECT_EQ(n3["capacity"], 40);
  EXPECT_EQ(admin_cmd({"nodes", "remove", "n3"}).exit_code, 0);
  r = admin_cmd({"nodes", "show", "n3"});
  EXPECT_EQ(r.exit_code, 1) << r.output; // 404
  // Tenants.
  r = admin_cmd({"tenants", "add", "gamma", "--connections", "7", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto secret = json::parse(r.output)["secrets"][0].get<std::string>();
  EXPECT_EQ(el(get(port(), "/gamma/bigbluebutton/api/getMeetings?"
                             + sign("getMeetings", "", secret, "sha1"))
                 .body,
               "returncode"),
            "SUCCESS");
  EXPECT_EQ(admin_cmd({"tenants", "set", "gamma", "--connections", "9",
                       "--max-participants", "3"})
              .exit_code,
            0);
  r = admin_cmd({"tenants", "list"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("gamma"), std::string::npos);
  r = admin_cmd({"tenants", "rotate-secret", "gamma", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(json::parse(r.output)["secrets"].size(), 2u);
  EXPECT_EQ(admin_cmd({"tenants", "remove-secret", "gamma", secret}).exit_code,
            0);
  r = admin_cmd({"tenants", "show", "gamma", "--json"});
  auto gamma = json::parse(r.output);
  EXPECT_EQ(gamma["connections"], 9);
  EXPECT_EQ(gamma["secrets"].size(), 1u);
  r = admin_cmd({"tenants", "usage", "gamma", "--csv"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.rfind("date,", 0), 0u) << r.output;
  EXPECT_EQ(admin_cmd({"tenants", "remove", "gamma"}).exit_code, 0);
  // Exit codes scripts can use.
  EXPECT_EQ(admin_cmd({"tenants", "show", "gamma"}).exit_code, 1);
  EXPECT_EQ(admin_cmd({"nodes", "list"}, {}).exit_code, 2); // no token
  EXPECT_EQ(
    admin_cmd({"nodes", "list"}, {"BBBGATE_ADMIN_TOKEN=wrong"}).exit_code, 1);
  EXPECT_EQ(run_command({bbbgate_binary(), "admin", "--url",
                         "http://127.0.0.1:1", "--token", "t", "nodes", "list"})
              .exit_code,
            3);
  // The token from the gateway's own config file.
  r = run_command(
    {bbbgate_binary(), "admin", "--config", config_path_, "nodes", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(Operations, CheckValidatesAConfigFile) {
  auto r = run_command({bbbgate_binary(), "check", "--config", config_path_});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("2 node(s)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("acme"), std::string::npos);
  auto bad = dir_ + "/bad.yaml";
  std::ofstream(bad) << "listen: 127.0.0.1:1\nnodes:\n  - id: x\n    url: "
                        "http://127.0.0.1:2/bigbluebutton/\n    secret: s\n"
                        "    capacity: -3\n";
  r = run_command({bbbgate_binary(), "check", "--config", bad});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("capacity"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("line"), std::string::npos) << r.output;
}

// Logs are JSON lines; the access log has one line per call; no secret,
// token, checksum or password is in any line of the run.
TEST_F(Operations, LogsAreJsonAndNeverShowASecret) {
  auto r = create("acme", "logged", "&meta_course=x");
  ASSERT_EQ(el(r.body, "returncode"), "SUCCESS");
  api("acme", "getMeetingInfo", "meetingID=logged");
  get(port(), "/acme/bigbluebutton/api/end?meetingID=logged&password=mp&"
              "checksum=0123456789abcdef0123456789abcdef01234567");
  http(port(), "GET", "/admin/nodes", "", "", "",
       {"Authorization: Bearer admin-token"});
  http(port(), "POST", "/console/login",
       "tenant=acme&password=console-secret-pw",
       "application/x-www-form-urlencoded");
  std::this_thread::sleep_for(300ms);
  gateway_->proc.kill(SIGTERM);
  const auto& log = gateway_->proc.output();
  // Every request's checksum the test sent.
  std::vector<std::string> secrets{
    "acme-secret",       "acme-old",
    "beta-secret",       "node-secret-1",
    "node-secret-2",     "admin-token",
    "console-secret-pw", "0123456789abcdef0123456789abcdef01234567"};
  auto sent = sign("create", "meetingID=logged", "acme-secret", "sha1");
  secrets.push_back(sent.substr(sent.find("checksum=") + 9));
  for (const auto& s : secrets)
    EXPECT_EQ(log.find(s), std::string::npos) << s << " in the log";
  int access = 0;
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{')
      continue;
    auto j = json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << line;
    if (!j.is_discarded() && j["logger"] == "access") {
      ++access;
      EXPECT_NE(j["msg"].get<std::string>().find("tenant=acme"),
                std::string::npos);
    }
  }
  EXPECT_GE(access, 3) << log;
  EXPECT_NE(log.find("call=create meetingID=logged"), std::string::npos);
}

TEST_F(Operations, ReloadAppliesTheFileAndKeepsRunningOnABrokenOne) {
  auto admin = [this](const std::string& method, const std::string& path,
                      const std::string& body = "") {
    return http(port(), method, path, body,
                body.empty() ? "" : "application/json", "",
                {"Authorization: Bearer admin-token"});
  };
  auto read_file = [this] {
    std::ifstream in(config_path_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto reload = [this](const std::string& text, const std::string& outcome) {
    std::ofstream(config_path_, std::ios::trunc) << text;
    gateway_->proc.signal(SIGHUP);
    return gateway_->proc.wait_for(outcome);
  };
  auto good = read_file();
  // A meeting that runs through every reload, on a connection kept open.
  ASSERT_EQ(el(create("acme", "live").body, "returncode"), "SUCCESS");
  // Changed at runtime: survives reloads while acme's entry is unchanged.
  ASSERT_EQ(
    admin("PATCH", "/admin/tenants/acme", R"({"connections": 77})").status,
    200u);

  // gamma added, beta removed, node n2 with another capacity.
  auto next = good;
  auto beta = next.find("  - id: beta");
  next.erase(beta, next.find("    chat_texts:", beta) - beta);
  next.erase(
    next.find("    chat_texts: { welcome: \"Beta hello\" }\n"),
    std::string("    chat_texts: { welcome: \"Beta hello\" }\n").size());
  auto n2 = next.find("secret: node-secret-2\n    capacity: 50");
  ASSERT_NE(n2, std::string::npos);
  next.replace(next.find("capacity: 50", n2), 12, "capacity: 70");
  next += "  - id: gamma\n    secrets: [gamma-key]\n    connections: 100\n";
  auto line = reload(next, "changes made");
  ASSERT_FALSE(line.empty()) << gateway_->proc.output();
  EXPECT_NE(line.find("3 changes made, 0 refused"), std::string::npos) << line;
  EXPECT_EQ(el(create("gamma", "g1").body, "returncode"), "SUCCESS");
  EXPECT_EQ(admin("GET", "/admin/tenants/beta").status, 404u);
  EXPECT_EQ(
    json::parse(admin("GET", "/admin/tenants/acme").body)["connections"], 77);
  EXPECT_EQ(json::parse(admin("GET", "/admin/nodes/n2").body)["capacity"], 70);
  EXPECT_EQ(
    el(api("acme", "isMeetingRunning", "meetingID=live").body, "returncode"),
    "SUCCESS");

  // A broken file: refused with the key and line; nothing changes.
  auto broken = next + "  - id: delta\n    secrets: [d]\n    connections: -4\n";
  line = reload(broken, "reload refused");
  ASSERT_FALSE(line.empty()) << gateway_->proc.output();
  EXPECT_NE(line.find("connections"), std::string::npos) << line;
  EXPECT_NE(line.find("line "), std::string::npos) << line;
  EXPECT_EQ(el(create("gamma", "g2").body, "returncode"), "SUCCESS");
  EXPECT_EQ(admin("GET", "/admin/tenants/delta").status, 404u);
  EXPECT_EQ(json::parse(admin("GET", "/admin/nodes/n2").body)["capacity"], 70);

  // What the reload applied is durable: after a restart on the same file,
  // gamma serves and the runtime change to acme stays.
  std::ofstream(config_path_, std::ios::trunc) << next;
  crash_and_restart();
  EXPECT_EQ(el(create("gamma", "g3").body, "returncode"), "SUCCESS");
  EXPECT_EQ(
    json::parse(admin("GET", "/admin/tenants/acme").body)["connections"], 77);
  EXPECT_EQ(admin("GET", "/admin/tenants/beta").status, 404u);
}
