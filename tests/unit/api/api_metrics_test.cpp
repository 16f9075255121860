// The API's counters: answers classified by returncode (and a create's by
// outcome), added up over the io threads.
#include <gtest/gtest.h>

#include "api/api_metrics.hpp"

using namespace gw;

namespace {

net::http_response xml(const std::string& body, unsigned status = 200) {
  return net::make_response(status, "text/xml", body);
}

} // namespace

TEST(ApiMetrics, ClassifiesAnswers) {
  using api::api_metrics;
  EXPECT_EQ(api_metrics::returncode_of(
              xml("<response><returncode>SUCCESS</returncode></response>")),
            0u);
  EXPECT_EQ(api_metrics::returncode_of(
              xml("<response><returncode>FAILED</returncode></response>")),
            1u);
  EXPECT_EQ(api_metrics::returncode_of(xml("", 302)), 2u);
  EXPECT_EQ(api_metrics::returncode_of(xml("<html>404</html>", 404)), 3u);
  EXPECT_EQ(api_metrics::create_outcome_of(
              xml("<response><returncode>SUCCESS</returncode><messageKey>"
                  "duplicateWarning</messageKey></response>")),
            1u);
  auto refused = api_metrics::create_outcome_of(
    xml("<response><returncode>FAILED</returncode><messageKey>"
        "notEnoughConnections</messageKey></response>"));
  EXPECT_EQ(api::create_outcomes[refused], "notEnoughConnections");
  auto odd = api_metrics::create_outcome_of(
    xml("<response><returncode>FAILED</returncode><messageKey>"
        "somethingNew</messageKey></response>"));
  EXPECT_EQ(api::create_outcomes[odd], "other");
  EXPECT_EQ(api::counted_calls[api_metrics::call_index("nope")], "other");
}

TEST(ApiMetrics, CountsPerShardAndAddsUp) {
  api::api_metrics m(2);
  int answered = 0;
  auto inner = [&answered](net::http_response&&) { ++answered; };
  m.counting(inner, 0, "create")(
    xml("<response><returncode>SUCCESS</returncode></response>"));
  m.counting(inner, 1, "create")(
    xml("<response><returncode>FAILED</returncode><messageKey>"
        "notEnoughConnections</messageKey></response>"));
  m.counting(inner, 1, "join")(xml("", 302));
  EXPECT_EQ(answered, 3);
  auto t = m.totals();
  auto create = api::api_metrics::call_index("create");
  auto join = api::api_metrics::call_index("join");
  EXPECT_EQ(t.answers[create][0], 1u);
  EXPECT_EQ(t.answers[create][1], 1u);
  EXPECT_EQ(t.answers[join][2], 1u);
  EXPECT_EQ(t.duration[create].count, 2u);
  EXPECT_EQ(t.creates[0], 1u);
}
