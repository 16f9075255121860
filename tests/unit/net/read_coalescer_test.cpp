// The read coalescer with a hand-driven upstream: one call per key at a
// time, late callers wait for the next call, never an answer older than
// the caller's request.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "net/read_coalescer.hpp"

using namespace gw;

namespace {

using coalescer = net::read_coalescer<std::string>;
using done_fn = std::function<void(std::shared_ptr<const std::string>)>;

/// Upstream calls started and not answered yet, by key.
struct fake_upstream {
  std::vector<std::pair<std::string, done_fn>> open;

  coalescer::starter start(const std::string& key) {
    return [this, key](done_fn done) { open.emplace_back(key, done); };
  }

  /// Answers the oldest open call with `value`.
  void answer(const std::string& value) {
    auto call = open.front();
    open.erase(open.begin());
    call.second(std::make_shared<const std::string>(value));
  }
};

} // namespace

TEST(ReadCoalescer, OneCallServesEveryoneWhoAskedBeforeIt) {
  coalescer c;
  fake_upstream up;
  std::vector<std::string> got;
  auto w = [&](const coalescer::result_ptr& r) { got.push_back(*r); };
  c.read("k", up.start("k"), w);
  ASSERT_EQ(up.open.size(), 1u);
  // Two more arrive while the first call is in flight: they must not get
  // its answer (it may predate them); one next call serves both.
  c.read("k", up.start("k"), w);
  c.read("k", up.start("k"), w);
  EXPECT_EQ(up.open.size(), 1u);
  up.answer("v1");
  EXPECT_EQ(got, std::vector<std::string>{"v1"});
  ASSERT_EQ(up.open.size(), 1u); // the next call started at once
  up.answer("v2");
  EXPECT_EQ(got, (std::vector<std::string>{"v1", "v2", "v2"}));
  EXPECT_EQ(c.calls_started(), 2u);
  EXPECT_EQ(c.keys_in_flight(), 0u);
}

TEST(ReadCoalescer, KeysAreIndependent) {
  coalescer c;
  fake_upstream up;
  int answered = 0;
  auto w = [&](const coalescer::result_ptr&) { ++answered; };
  c.read("a", up.start("a"), w);
  c.read("b", up.start("b"), w);
  EXPECT_EQ(up.open.size(), 2u);
  up.answer("x");
  up.answer("y");
  EXPECT_EQ(answered, 2);
  EXPECT_EQ(c.keys_in_flight(), 0u);
}

TEST(ReadCoalescer, AnUpstreamThatAnswersAtOnceIsFine) {
  coalescer c;
  std::vector<std::string> got;
  auto immediate = [](done_fn done) {
    done(std::make_shared<const std::string>("now"));
  };
  for (int i = 0; i < 3; ++i)
    c.read("k", immediate,
           [&](const coalescer::result_ptr& r) { got.push_back(*r); });
  EXPECT_EQ(got.size(), 3u);
  EXPECT_EQ(c.calls_started(), 3u);
  EXPECT_EQ(c.keys_in_flight(), 0u);
}

TEST(ReadCoalescer, AnswerAfterDestructionIsIgnored) {
  fake_upstream up;
  bool called = false;
  {
    coalescer c;
    c.read("k", up.start("k"),
           [&](const coalescer::result_ptr&) { called = true; });
  }
  up.answer("late");
  EXPECT_FALSE(called);
}
