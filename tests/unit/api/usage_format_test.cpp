// Usage as the admin API and the console give it (api/usage_format.hpp):
// design.md §8's JSON shape, CSV with a date column first, an SVG chart.
#include <gtest/gtest.h>

#include "api/usage_format.hpp"

using namespace gw;
using namespace gw::api;

namespace {

std::vector<usage_day> two_days() {
  usage_day a;
  a.date = "2026-11-28";
  a.reserved_connection_minutes = 10.0 / 3;
  a.peak_reserved_connections = 4;
  a.meetings = 2;
  a.refused["notEnoughConnections"] = 3;
  usage_day b;
  b.date = "2026-11-29";
  b.preemptions = 1;
  b.participant_minutes = 12.5;
  return {a, b};
}

} // namespace

TEST(UsageFormat, JsonHasTheDesignsShape) {
  auto j = usage_json("acme", two_days());
  EXPECT_EQ(j["tenant"], "acme");
  ASSERT_EQ(j["days"].size(), 2u);
  EXPECT_EQ(j["days"][0]["date"], "2026-11-28");
  EXPECT_DOUBLE_EQ(j["days"][0]["reserved_connection_minutes"].get<double>(),
                   3.33);
  EXPECT_EQ(j["days"][0]["peak_reserved_connections"], 4);
  EXPECT_EQ(j["days"][0]["refused"]["notEnoughConnections"], 3);
  EXPECT_TRUE(j["days"][1]["refused"].is_object());
  EXPECT_EQ(j["days"][1]["preemptions"], 1);
  EXPECT_DOUBLE_EQ(j["days"][1]["participant_minutes"].get<double>(), 12.5);
}

TEST(UsageFormat, CsvHasAHeaderRowAndOneRowPerDay) {
  auto csv = usage_csv(two_days());
  EXPECT_EQ(csv, "date,reserved_connection_minutes,peak_reserved_connections,"
                 "meetings,preemptions,participant_minutes,"
                 "refused_notEnoughConnections\r\n"
                 "2026-11-28,3.33,4,2,0,0,3\r\n"
                 "2026-11-29,0,0,0,1,12.5,0\r\n");
}

TEST(UsageFormat, TheChartIsAnSvgWithABarPerDay) {
  auto svg = usage_svg(two_days());
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  std::size_t bars = 0;
  for (auto at = svg.find("<rect"); at != std::string::npos;
       at = svg.find("<rect", at + 1))
    ++bars;
  EXPECT_EQ(bars, 2u);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
}
