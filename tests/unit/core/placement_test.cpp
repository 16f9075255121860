#include <gtest/gtest.h>

#include "core/placement.hpp"

using gw::node_load;
using gw::rank_nodes;

namespace {

node_load make(std::string id, int64_t cap, int64_t committed,
               std::string state = "enabled", bool online = true) {
  node_load l;
  l.id = std::move(id);
  l.capacity = cap;
  l.committed = committed;
  l.state = std::move(state);
  l.online = online;
  return l;
}

} // namespace

TEST(Placement, PrefersTheNodeThatStaysLeastUtilised) {
  std::vector<node_load> loads{make("a", 100, 50), make("b", 300, 100),
                               make("c", 100, 10)};
  // After placing 20: a 0.70, b 0.40, c 0.30.
  EXPECT_EQ(rank_nodes(loads, 20, 8), (std::vector<std::size_t>{2, 1, 0}));
}

TEST(Placement, SkipsFullDisabledCordonedAndOfflineNodes) {
  std::vector<node_load> loads{make("full", 100, 90),
                               make("off", 100, 0, "enabled", false),
                               make("cordoned", 100, 0, "cordoned"),
                               make("disabled", 100, 0, "disabled"),
                               make("draining", 100, 0, "draining"),
                               make("ok", 100, 50)};
  EXPECT_EQ(rank_nodes(loads, 20, 8), (std::vector<std::size_t>{5}));
  EXPECT_TRUE(rank_nodes(loads, 51, 8).empty());
}

TEST(Placement, OvercommitRaisesTheLimit) {
  std::vector<node_load> loads{make("a", 100, 100)};
  EXPECT_TRUE(rank_nodes(loads, 10, 8).empty());
  loads[0].overcommit = 1.2;
  EXPECT_EQ(rank_nodes(loads, 10, 8).size(), 1u);
  EXPECT_TRUE(rank_nodes(loads, 21, 8).empty());
}

TEST(Placement, LimitsTheCandidateList) {
  std::vector<node_load> loads;
  for (int i = 0; i < 50; ++i)
    loads.push_back(make("n" + std::to_string(i), 100, i));
  auto top = rank_nodes(loads, 1, 3);
  EXPECT_EQ(top, (std::vector<std::size_t>{0, 1, 2}));
}
