// The Prometheus text format as written: families, escaped labels,
// cumulative histograms with +Inf, _sum and _count.
#include <gtest/gtest.h>

#include "net/prometheus.hpp"

using namespace gw;

TEST(Prometheus, WritesFamiliesSamplesAndHistograms) {
  net::prometheus_writer w;
  w.family("x_total", "counter", "Things.");
  w.sample("x_total", {{"a", "q\"uo\\te\nd"}}, 3);
  w.sample("x_total", {}, 0.25);
  latency_histogram h;
  h.observe(std::chrono::microseconds(50)); // <= 0.0001
  h.observe(std::chrono::milliseconds(3));  // <= 0.005
  h.observe(std::chrono::seconds(10));      // +Inf
  histogram_sum s;
  s.add(h);
  w.family("d_seconds", "histogram", "Durations.");
  w.histogram("d_seconds", {{"call", "create"}}, s);
  const auto& t = w.text();
  EXPECT_NE(t.find("# HELP x_total Things.\n# TYPE x_total counter\n"),
            std::string::npos);
  EXPECT_NE(t.find("x_total{a=\"q\\\"uo\\\\te\\nd\"} 3\n"), std::string::npos)
    << t;
  EXPECT_NE(t.find("x_total 0.25\n"), std::string::npos);
  EXPECT_NE(t.find("d_seconds_bucket{call=\"create\",le=\"0.0001\"} 1\n"),
            std::string::npos)
    << t;
  EXPECT_NE(t.find("d_seconds_bucket{call=\"create\",le=\"0.005\"} 2\n"),
            std::string::npos);
  EXPECT_NE(t.find("d_seconds_bucket{call=\"create\",le=\"2.5\"} 2\n"),
            std::string::npos);
  EXPECT_NE(t.find("d_seconds_bucket{call=\"create\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(t.find("d_seconds_count{call=\"create\"} 3\n"), std::string::npos);
  EXPECT_NE(t.find("d_seconds_sum{call=\"create\"} 10.00305"),
            std::string::npos)
    << t;
}
