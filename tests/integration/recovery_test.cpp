// kill -9 during creates (issue 11): eight clients create meetings against
// slowed nodes, the gateway is killed mid-way and restarted, three times.
// After each restart the books are exact: the nodes run exactly the meetings
// the gateway knows, each node's committed connections are those meetings'
// bookings, and a client retrying an interrupted create hears SUCCESS (the
// duplicate answer when its meeting was adopted).
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

class Recovery : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "admin:\n  token: admin-token\npoll_interval_seconds: 1\n";
  }

  std::string extra_tenants() const override {
    return "  - id: big\n    secrets: [big-key]\n    connections: 10000\n";
  }

  long long node_capacity() const override {
    return 1000;
  }

  /// Client meeting IDs on a node (its IDs without the tenant prefix), by
  /// node.
  std::map<std::string, std::set<std::string>> on_nodes() {
    std::map<std::string, std::set<std::string>> out;
    for (const auto& [name, sim] :
         {std::pair<std::string, sim_process*>{"n1", node1_.get()},
          {"n2", node2_.get()}}) {
      auto& ids = out[name];
      for (const auto& m : json::parse(sim->control("meetings"))) {
        auto nid = m["meetingID"].get<std::string>();
        ids.insert(nid.substr(10)); // "t" + 8 hex + "-"
      }
    }
    return out;
  }

  /// The meetings the gateway shows the tenant.
  std::set<std::string> known() {
    std::set<std::string> out;
    auto body = api("big", "getMeetings", "").body;
    for (std::size_t pos = 0;
         (pos = body.find("<meetingID>", pos)) != std::string::npos;) {
      pos += 11;
      out.insert(body.substr(pos, body.find('<', pos) - pos));
    }
    return out;
  }

  /// Each node's committed connections, from the admin API.
  std::map<std::string, long long> committed() {
    std::map<std::string, long long> out;
    auto r = http(port(), "GET", "/admin/nodes", "", "", "",
                  {"Authorization: Bearer admin-token"});
    auto doc = json::parse(r.body);
    for (const auto& n : doc["nodes"])
      out[n["id"].get<std::string>()] = n["committed"].get<long long>();
    return out;
  }

  /// True when the books are exact (see the file comment); `why` says what
  /// differs otherwise.
  bool exact(std::string& why) {
    auto nodes = on_nodes();
    std::set<std::string> all;
    for (const auto& [n, ids] : nodes)
      for (const auto& id : ids)
        if (!all.insert(id).second) {
          why = id + " runs on two nodes";
          return false;
        }
    auto gw = known();
    if (gw != all) {
      why = std::to_string(all.size()) + " on the nodes, "
            + std::to_string(gw.size()) + " known to the gateway";
      return false;
    }
    auto c = committed();
    for (const auto& [n, ids] : nodes)
      if (c[n] != 2 * static_cast<long long>(ids.size())) {
        why = n + " commits " + std::to_string(c[n]) + " for "
              + std::to_string(ids.size()) + " meetings";
        return false;
      }
    return true;
  }
};

} // namespace

TEST_F(Recovery, KillDuringConcurrentCreatesLeavesTheBooksExact) {
  for (int round = 0; round < 3; ++round) {
    for (auto* sim : {node1_.get(), node2_.get()})
      sim->control("fail?mode=slow&delay_ms=400");
    std::atomic<bool> stop{false};
    std::mutex m;
    std::vector<std::string> interrupted;
    std::vector<std::thread> creators;
    for (int c = 0; c < 8; ++c)
      creators.emplace_back([&, c] {
        for (int k = 0; !stop; ++k) {
          auto id = "r" + std::to_string(round) + "-c" + std::to_string(c) + "-"
                    + std::to_string(k);
          auto r = create("big", id, "&maxParticipants=2");
          if (r.status != 200) {
            std::lock_guard<std::mutex> lock(m);
            interrupted.push_back(id);
            return;
          }
        }
      });
    std::this_thread::sleep_for(1000ms);
    gateway_->proc.kill(9);
    stop = true;
    for (auto& t : creators)
      t.join();
    gateway_.reset();
    for (auto* sim : {node1_.get(), node2_.get()})
      sim->control("fail?mode=none");
    // What the nodes ran when the gateway died: an interrupted create whose
    // meeting is among them had its intent recorded, so it is adopted.
    std::set<std::string> ran;
    for (const auto& [n, ids] : on_nodes())
      ran.insert(ids.begin(), ids.end());
    start_gateway();
    // Within a few polls (1 s apart) every node meeting is adopted or
    // ended, and every recorded create settled.
    std::string why;
    bool ok = false;
    for (int i = 0; i < 100 && !(ok = exact(why)); ++i)
      std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(ok) << "round " << round << ": " << why;
    EXPECT_GE(known().size(), 8u * static_cast<unsigned>(round + 1))
      << "round " << round;
    // A client that retries its interrupted create hears SUCCESS: the
    // duplicate answer when the node had created its meeting (adopted, not
    // ended), a new meeting otherwise.
    auto now_known = known();
    std::size_t adopted = 0;
    for (const auto& id : interrupted) {
      auto r = create("big", id, "&maxParticipants=2");
      EXPECT_EQ(el(r.body, "returncode"), "SUCCESS") << id << ": " << r.body;
      if (ran.count(id) != 0) {
        ++adopted;
        EXPECT_EQ(now_known.count(id), 1u) << id << " was ended, not adopted";
        EXPECT_EQ(el(r.body, "messageKey"), "duplicateWarning") << id;
      }
    }
    EXPECT_GT(adopted, 0u) << "round " << round << ": no create was cut off "
                           << "after its node had the meeting";
    ASSERT_TRUE(exact(why)) << "after retries, round " << round << ": " << why;
  }
}
