#include <gtest/gtest.h>

#include "net/query.hpp"

using gw::net::percent_decode;
using gw::net::percent_encode;
using gw::net::query;

TEST(Query, DecodesPlusAndPercentOnce) {
  EXPECT_EQ(percent_decode("a+b%20c"), "a b c");
  // Double-encoded values (WordPress) are decoded exactly once.
  EXPECT_EQ(percent_decode("pw%2540x"), "pw%40x");
  EXPECT_EQ(percent_decode("%C3%A4"), "\xC3\xA4");
}

TEST(Query, RejectsMalformedEscapes) {
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_FALSE(percent_decode("%4"));
  EXPECT_FALSE(percent_decode("%zz"));
  EXPECT_FALSE(query::parse("meetingID=ab%G1"));
}

TEST(Query, KeepsOrderFirstValueAndEmptyValues) {
  auto q = query::parse("b=2&a=1&a=3&welcome=&flag");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->params().size(), 5u);
  EXPECT_EQ(q->params()[0].name, "b");
  EXPECT_EQ(*q->get("a"), "1");
  EXPECT_EQ(q->count("a"), 2u);
  EXPECT_EQ(*q->get("welcome"), "");
  EXPECT_EQ(*q->get("flag"), "");
  EXPECT_EQ(q->get("missing"), nullptr);
}

TEST(Query, AcceptsEmptyFirstPair) {
  auto q = query::parse("&checksum=abc");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q->get("checksum"), "abc");
}

TEST(Query, RewriteKeepsRawBytesOfUntouchedPairs) {
  auto q = query::parse("name=Hi%21+%28x%29&meetingID=m%5B1%5D&x=%7E&x=2");
  ASSERT_TRUE(q);
  auto out = q->rewrite({"x"}, {{"meetingID", "t-m[1]"}, {"duration", "0"}});
  EXPECT_EQ(out, "name=Hi%21+%28x%29&meetingID=t-m%5B1%5D&duration=0");
}

TEST(Query, EncodeLeavesUnreservedAlone) {
  EXPECT_EQ(percent_encode("a-b_c.d~e f/"), "a-b_c.d~e%20f%2F");
}

TEST(Query, RawNameAndValueAreTheReceivedBytes) {
  auto q = query::parse("na%6De=a+b%21&flag&empty=");
  ASSERT_TRUE(q);
  const auto& p = q->params();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].name, "name");
  EXPECT_EQ(q->raw_name(p[0]), "na%6De");
  EXPECT_EQ(q->raw_value(p[0]), "a+b%21");
  EXPECT_EQ(p[0].value, "a b!");
  EXPECT_EQ(q->raw_name(p[1]), "flag");
  EXPECT_EQ(q->raw_value(p[1]), "");
  EXPECT_FALSE(p[1].has_equals);
  EXPECT_EQ(q->raw_value(p[2]), "");
  EXPECT_TRUE(p[2].has_equals);
  // Copies keep working (offsets, not pointers).
  auto copy = *q;
  EXPECT_EQ(copy.raw_value(copy.params()[0]), "a+b%21");
}

TEST(Query, RewriteOneMatchesRewrite) {
  for (const char* raw : {"meetingID=m%5B1%5D&fullName=A+B&checksum=abc",
                          "checksum=abc&meetingID=x&meetingID=y&flag",
                          "fullName=Z", "a=1&checksum=1&checksum=2"}) {
    auto q = query::parse(raw);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->rewrite_one("checksum", "meetingID", "t-[1]"),
              q->rewrite({"checksum"}, {{"meetingID", "t-[1]"}}))
      << raw;
    EXPECT_EQ(q->rewrite_one("checksum", {}, {}), q->rewrite({"checksum"}, {}))
      << raw;
  }
}

// The raw splitter the checksum check, the query parser and the access log
// share: every piece in order with its offset, empty ones too; a key's
// first raw value as the client encoded it.
TEST(Query, RawPairsAndValues) {
  std::vector<std::pair<std::string, std::size_t>> seen;
  gw::net::for_each_raw_pair("a=1&&meetingID=x%20y&b",
                             [&](std::string_view pair, std::size_t pos) {
                               seen.emplace_back(pair, pos);
                             });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::size_t>>{
                    {"a=1", 0}, {"", 4}, {"meetingID=x%20y", 5}, {"b", 21}}));
  EXPECT_EQ(
    gw::net::find_raw_value("a=1&meetingID=x%20y&meetingID=z", "meetingID"),
    "x%20y");
  EXPECT_EQ(gw::net::find_raw_value("xmeetingID=1&meetingIDs=2", "meetingID"),
            "");
  EXPECT_EQ(gw::net::find_raw_value("", "meetingID"), "");
}
