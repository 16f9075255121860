// getRecordings' parameters as bbb-web reads them.
#include <gtest/gtest.h>

#include "net/recording_params.hpp"

using namespace gw;

namespace {

recording_query parse(const std::string& qs) {
  return net::parse_recording_query(*net::query::parse(qs));
}

} // namespace

TEST(RecordingParams, ListsAreDecodedOnceMoreAndSplit) {
  // %252C is a comma after two decodings: bbb-web splits on it.
  auto q = parse("meetingID=a%252Cb,,c");
  EXPECT_EQ(q.meeting_ids, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(q.record_ids.empty());
  // recordID wins: meetingID is ignored.
  q = parse("meetingID=a&recordID=r1,r2");
  EXPECT_EQ(q.record_ids, (std::vector<std::string>{"r1", "r2"}));
  EXPECT_TRUE(q.meeting_ids.empty());
  EXPECT_TRUE(parse("recordID=").record_ids.empty());
}

TEST(RecordingParams, StatesAndMetaFilters) {
  auto q = parse("state=processing,any&meta_Course=math%25&meta_course=x"
                 "&meta_=y&metaX=z");
  EXPECT_EQ(q.states, (std::vector<std::string>{"processing", "any"}));
  ASSERT_EQ(q.meta.size(), 1u);
  EXPECT_EQ(q.meta[0].first, "course");
  EXPECT_EQ(q.meta[0].second, "math%");
}

TEST(RecordingParams, PagesAsBbbWeb26) {
  auto q = parse("limit=10");
  EXPECT_EQ(q.limit, 10);
  EXPECT_EQ(q.offset, 0);
  q = parse("offset=5&limit=100");
  EXPECT_EQ(q.offset, 5);
  EXPECT_EQ(q.limit, 100);
  // Invalid values are ignored: no page.
  for (const char* bad :
       {"limit=0", "limit=101", "limit=x", "limit=-1", "offset=-1&limit=x"}) {
    q = parse(bad);
    EXPECT_FALSE(q.limit.has_value()) << bad;
  }
  q = parse("offset=3");
  EXPECT_EQ(q.offset, 3);
  EXPECT_FALSE(q.limit.has_value());
  EXPECT_FALSE(parse("").offset.has_value());
}
