// The recordings parser's reading of a page: a page whose body is byte for
// byte the one the index took last time is not parsed again.
#include <gtest/gtest.h>

#include "actors/recordings_parser.hpp"
#include "net/checksum.hpp"
#include "sim/sim_state.hpp"

using namespace gw;

namespace {

/// A node's page of getRecordings with `n` recordings.
node_response a_page(int n) {
  sim::sim_state node{"s", "http://127.0.0.1:9"};
  for (int i = 0; i < n; ++i) {
    node.set_clock(1700000000000 + i);
    sim::recording_change c;
    c.meeting_id = "tX-room" + std::to_string(i);
    // A metadata key that is not the node's total.
    c.metadata = {{"totalElements", "9"}};
    node.add_recording(c);
  }
  auto res =
    node.handle("getRecordings",
                net::sign_query("getRecordings", "state=any&offset=0&limit=100",
                                "s", net::checksum_algo::sha1),
                "GET", "");
  return {"", res.status, res.body};
}

} // namespace

TEST(RecordingsParser, AKnownPageIsNotParsedAgain) {
  node_page first;
  first.res = a_page(3);
  read_page(first);
  ASSERT_TRUE(first.parsed && first.parsed->ok);
  EXPECT_FALSE(first.unchanged);
  EXPECT_EQ(first.parsed->recordings.size(), 3u);
  EXPECT_EQ(first.fingerprint.size(), 64u); // SHA-256, hex
  EXPECT_TRUE(first.res.body.empty());      // released

  node_page again;
  again.res = a_page(3);
  again.known_fingerprint = first.fingerprint;
  again.known_count = 3;
  read_page(again);
  EXPECT_TRUE(again.unchanged);
  EXPECT_EQ(again.fingerprint, first.fingerprint);
  ASSERT_TRUE(again.parsed && again.parsed->ok);
  EXPECT_TRUE(again.parsed->recordings.empty());
  EXPECT_EQ(again.parsed->total, 3);

  // The same recordings in a longer list (one added on a later page): the
  // page is unchanged, its total the new one.
  node_page longer;
  longer.res = a_page(3);
  auto& body = longer.res.body;
  auto at = body.rfind("<totalElements>3</totalElements>");
  ASSERT_NE(at, std::string::npos);
  ASSERT_GT(at, body.rfind("</recordings>"));
  body.replace(at, 32, "<totalElements>250</totalElements>");
  longer.known_fingerprint = first.fingerprint;
  read_page(longer);
  EXPECT_TRUE(longer.unchanged);
  EXPECT_EQ(longer.parsed->total, 250);

  // The same recordings with no total (an older BBB sends its whole list
  // at once): read whole, never taken for a known page.
  node_page whole;
  whole.res = a_page(3);
  auto& all = whole.res.body;
  all.erase(all.rfind("<totalElements>3</totalElements>"), 32);
  whole.known_fingerprint = first.fingerprint;
  read_page(whole);
  EXPECT_FALSE(whole.unchanged);
  EXPECT_EQ(whole.parsed->recordings.size(), 3u);

  // One more recording: another body, parsed.
  node_page changed;
  changed.res = a_page(4);
  changed.known_fingerprint = first.fingerprint;
  read_page(changed);
  EXPECT_FALSE(changed.unchanged);
  EXPECT_NE(changed.fingerprint, first.fingerprint);
  EXPECT_EQ(changed.parsed->recordings.size(), 4u);
}

// Only a node's SUCCESS list is remembered: a failure has no fingerprint,
// so it can never pass for a known page.
TEST(RecordingsParser, AFailedPageHasNoFingerprint) {
  for (auto res : {node_response{"Connection refused", 0, ""},
                   node_response{"", 502, "Bad gateway"},
                   node_response{"", 200,
                                 "<response><returncode>FAILED</returncode>"
                                 "</response>"}}) {
    node_page page;
    page.res = res;
    page.known_fingerprint = "";
    read_page(page);
    EXPECT_FALSE(page.unchanged);
    EXPECT_TRUE(page.fingerprint.empty());
    EXPECT_FALSE(page.parsed->ok);
  }
}
