// The recordings index's queries (getRecordings' filters and pages), pure.
#include <algorithm>
#include <optional>

#include <gtest/gtest.h>

#include "core/recording.hpp"

using namespace gw;

namespace {

recording rec(std::string id, std::string meeting, std::string state,
              std::vector<std::pair<std::string, std::string>> meta = {}) {
  recording r;
  r.tenant = "acme";
  r.record_id = std::move(id);
  r.meeting_id = std::move(meeting);
  r.state = std::move(state);
  r.published = r.state == "published";
  r.metadata = std::move(meta);
  return r;
}

std::vector<std::string> ids(const recording_page& p) {
  std::vector<std::string> out;
  for (const auto* r : p.shown)
    out.push_back(r->record_id);
  return out;
}

class Recordings : public ::testing::Test {
protected:
  std::vector<recording> store_{
    rec("aaa-1", "room-a", "published", {{"course", "math 101"}}),
    rec("aaa-2", "room-a", "unpublished", {{"course", "math 102"}}),
    rec("bbb-1", "room-b", "processing"),
    rec("bbb-2", "room-b", "deleted", {{"course", "physics"}}),
    rec("ccc-1", "room-c", "published", {{"gl-listed", "true"}})};
  std::vector<const recording*> all_;

  recording_index idx_;

  void SetUp() override {
    for (const auto& r : store_)
      all_.push_back(&r);
    // In index order (start time, then record ID; all start at 0 here).
    for (std::size_t i : {4u, 2u, 0u, 3u, 1u})
      idx_.items.push_back(std::make_shared<const recording>(store_[i]));
    std::sort(
      idx_.items.begin(), idx_.items.end(),
      [](const auto& a, const auto& b) { return a->record_id < b->record_id; });
    build_lookups(idx_);
  }

  /// The scan and the index's lookups agree on every query.
  std::vector<std::string> find(const recording_query& q) {
    auto scanned = ids(select_recordings(all_, q));
    auto page = select_recordings(idx_, q);
    EXPECT_EQ(ids(page), scanned);
    EXPECT_EQ(page.total, select_recordings(all_, q).total);
    return scanned;
  }
};

} // namespace

TEST(RecordingMeta, WildcardsAtEitherEnd) {
  EXPECT_TRUE(meta_matches("math 101", "math 101"));
  EXPECT_FALSE(meta_matches("math", "math 101"));
  EXPECT_TRUE(meta_matches("math%", "math 101"));
  EXPECT_TRUE(meta_matches("%101", "math 101"));
  EXPECT_TRUE(meta_matches("%th 1%", "math 101"));
  EXPECT_FALSE(meta_matches("%102", "math 101"));
  EXPECT_TRUE(meta_matches("%", "anything"));
  EXPECT_TRUE(meta_matches("%%", "anything"));
  EXPECT_TRUE(meta_matches("", ""));
  EXPECT_FALSE(meta_matches("", "x"));
}

TEST_F(Recordings, DefaultStatesArePublishedAndUnpublished) {
  EXPECT_EQ(find({}), (std::vector<std::string>{"aaa-1", "aaa-2", "ccc-1"}));
  recording_query any;
  any.states = {"any"};
  EXPECT_EQ(find(any).size(), 5u);
  recording_query some;
  some.states = {"processing", "deleted"};
  EXPECT_EQ(find(some), (std::vector<std::string>{"bbb-1", "bbb-2"}));
}

TEST_F(Recordings, MeetingIdsAreExactRecordIdsArePrefixesAndWin) {
  recording_query q;
  q.meeting_ids = {"room-a", "room-c", "room"};
  EXPECT_EQ(find(q), (std::vector<std::string>{"aaa-1", "aaa-2", "ccc-1"}));
  q.record_ids = {"aa", "ccc-1"}; // meetingID is ignored now
  q.meeting_ids = {"room-b"};
  EXPECT_EQ(find(q), (std::vector<std::string>{"aaa-1", "aaa-2", "ccc-1"}));
  q.record_ids = {""}; // an empty entry matches nothing
  EXPECT_TRUE(find(q).empty());
}

TEST_F(Recordings, MetaFiltersAllMatch) {
  recording_query q;
  q.states = {"any"};
  q.meta = {{"course", "math%"}};
  EXPECT_EQ(find(q), (std::vector<std::string>{"aaa-1", "aaa-2"}));
  q.meta.emplace_back("course", "%102");
  EXPECT_EQ(find(q), (std::vector<std::string>{"aaa-2"}));
  q.meta = {{"missing", "%"}};
  EXPECT_TRUE(find(q).empty()); // a filter on a name it lacks fails
}

TEST_F(Recordings, PagesCountEveryMatch) {
  recording_query q;
  q.states = {"any"};
  q.limit = 2;
  auto p = select_recordings(all_, q);
  EXPECT_EQ(ids(p), (std::vector<std::string>{"aaa-1", "aaa-2"}));
  EXPECT_EQ(p.total, 5);
  q.offset = 4;
  p = select_recordings(all_, q);
  EXPECT_EQ(ids(p), (std::vector<std::string>{"ccc-1"}));
  EXPECT_EQ(p.total, 5);
  q.offset = 5;
  p = select_recordings(all_, q);
  EXPECT_TRUE(p.shown.empty());
  EXPECT_EQ(p.total, 5);
  q.limit.reset(); // only an offset: from there to the end
  q.offset = 3;
  EXPECT_EQ(ids(select_recordings(all_, q)),
            (std::vector<std::string>{"bbb-2", "ccc-1"}));
}

TEST_F(Recordings, LookupsFindOnlyWhatTheIdsName) {
  recording_query q;
  q.states = {"any"};
  q.record_ids = {"bbb", "bb", "aaa-2", "zzz"};
  EXPECT_EQ(find(q), (std::vector<std::string>{"aaa-2", "bbb-1", "bbb-2"}));
  q.record_ids.clear();
  q.meeting_ids = {"room-b", "room-b", "room-c", "nope"};
  EXPECT_EQ(find(q), (std::vector<std::string>{"bbb-1", "bbb-2", "ccc-1"}));
  q.limit = 1;
  q.offset = 1;
  EXPECT_EQ(find(q), (std::vector<std::string>{"bbb-2"}));
  EXPECT_EQ(idx_.by_meeting.at("room-a").size(), 2u);
  EXPECT_EQ(idx_.by_id.at("ccc-1")->meeting_id, "room-c");
}

TEST(RecordingStates, CodesNameTheKnownStatesAndOtherText) {
  EXPECT_EQ(code_of("processing"), state_code::processing);
  EXPECT_EQ(code_of("processed"), state_code::processed);
  EXPECT_EQ(code_of("published"), state_code::published);
  EXPECT_EQ(code_of("unpublished"), state_code::unpublished);
  EXPECT_EQ(code_of("deleted"), state_code::deleted);
  EXPECT_EQ(code_of("Published"), state_code::other);
  EXPECT_EQ(code_of(""), state_code::other);
}

TEST(RecordingStates, PagesByStateAgreeWithTheScanForEveryState) {
  // Queries without IDs or meta filters read the index's state codes only:
  // every state (one a node invented) and every page edge agree with the
  // plain scan.
  std::vector<std::string> states{"published", "unpublished", "processing",
                                  "processed", "deleted",     "archived"};
  std::vector<recording> rs;
  for (int i = 0; i < 60; ++i)
    rs.push_back(rec("r-" + std::to_string(100 + i), "m",
                     states[static_cast<std::size_t>(i * 7 % 6)]));
  recording_index idx;
  std::vector<const recording*> all;
  for (const auto& r : rs) {
    idx.items.push_back(std::make_shared<const recording>(r));
    all.push_back(&r);
  }
  build_lookups(idx);
  ASSERT_EQ(idx.states.size(), rs.size());
  std::vector<std::vector<std::string>> asks{
    {},         {"any"}, {"archived"}, {"deleted", "archived"}, {"processed"},
    {"nothing"}};
  for (const auto& ask : asks)
    for (std::optional<int64_t> offset :
         {std::optional<int64_t>{}, {0}, {7}, {10}, {59}, {200}})
      for (std::optional<int64_t> limit :
           {std::optional<int64_t>{}, {1}, {3}, {100}}) {
        recording_query q;
        q.states = ask;
        q.offset = offset;
        q.limit = limit;
        auto want = select_recordings(all, q);
        auto got = select_recordings(idx, q);
        EXPECT_EQ(ids(got), ids(want));
        EXPECT_EQ(got.total, want.total);
      }
}
