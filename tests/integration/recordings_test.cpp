// Recordings across the fleet (issue 13, first part): the index fed by each
// node's list, getRecordings answered from it alone: complete with a node
// down and after a restart, in the client's IDs, one tenant's only.
#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/ids.hpp"
#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using namespace std::chrono_literals;

namespace {

class Recordings : public GatewayFixture {
protected:
  std::string extra_config() const override {
    return "poll_interval_seconds: 1\nrecordings:\n"
           "  sync_interval_seconds: 1\n";
  }

  /// Adds a published recording of `tenant`'s meeting `id` on `sim`.
  std::string record(sim_process& sim, const std::string& tenant,
                     const std::string& id) {
    auto out = nlohmann::json::parse(
      sim.control("recording?meetingID=" + gw::tenant_prefix(tenant) + id
                  + "&state=published"));
    return out.value("recordID", "");
  }

  static bool hosts(const sim_process& sim, const std::string& id) {
    for (const auto& m : nlohmann::json::parse(sim.control("meetings")))
      if (m["meetingID"].get<std::string>() == gw::tenant_prefix("acme") + id)
        return true;
    return false;
  }

  std::size_t count(const response& r) {
    std::size_t n = 0;
    for (std::size_t pos = 0;
         (pos = r.body.find("<recording>", pos)) != std::string::npos; ++pos)
      ++n;
    return n;
  }

  /// Waits until `tenant`'s getRecordings lists `n` recordings.
  response wait_for(const std::string& tenant, std::size_t n) {
    response r;
    for (int i = 0; i < 60; ++i) {
      r = api(tenant, "getRecordings", "");
      if (count(r) == n)
        break;
      std::this_thread::sleep_for(100ms);
    }
    return r;
  }
};

} // namespace

TEST_F(Recordings, ListedFromEveryNodeAndStillCompleteWithOneDown) {
  // Two meetings, placed on the two nodes (least utilised first), each
  // recorded where it runs.
  create("acme", "rec-a", "&record=true&meta_course=math");
  create("acme", "rec-b", "&record=true");
  sim_process* host_a = hosts(*node1_, "rec-a") ? node1_.get() : node2_.get();
  sim_process* host_b = hosts(*node1_, "rec-b") ? node1_.get() : node2_.get();
  ASSERT_NE(host_a, host_b);
  auto a1 = record(*host_a, "acme", "rec-a");
  auto b2 = record(*host_b, "acme", "rec-b");
  record(*node1_, "beta", "theirs");
  node2_->control("recording?meetingID=not-a-gateway-meeting&state=published");
  ASSERT_FALSE(a1.empty());
  auto r = wait_for("acme", 2);
  ASSERT_EQ(count(r), 2u) << r.body;
  EXPECT_NE(r.body.find("<meetingID>rec-a</meetingID>"), std::string::npos);
  EXPECT_NE(r.body.find("<meetingID>rec-b</meetingID>"), std::string::npos);
  // The client's metadata, never the gateway's callback URLs or prefixes.
  EXPECT_NE(r.body.find("<course>math</course>"), std::string::npos);
  EXPECT_EQ(r.body.find("_gw"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find(gw::tenant_prefix("acme")), std::string::npos)
    << r.body;
  EXPECT_EQ(r.body.find("theirs"), std::string::npos);
  EXPECT_EQ(count(wait_for("beta", 1)), 1u);
  // Filters: by meetingID, by recordID prefix.
  EXPECT_EQ(count(api("acme", "getRecordings", "meetingID=rec-a")), 1u);
  EXPECT_EQ(count(api("acme", "getRecordings", "recordID=" + b2.substr(0, 10))),
            1u);
  auto none = api("acme", "getRecordings", "meetingID=nothing");
  EXPECT_EQ(el(none.body, "messageKey"), "noRecordings");
  // A node down: the answer stays complete (nothing is asked of nodes).
  (host_b == node2_.get() ? node2_ : node1_).reset();
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(count(api("acme", "getRecordings", "")), 2u);
  // And after a restart, from the store, before any node answered.
  crash_and_restart();
  EXPECT_EQ(count(api("acme", "getRecordings", "")), 2u);
}
