#include <gtest/gtest.h>

#include "api/bbb_answers.hpp"
#include "net/meeting_xml.hpp"

using namespace gw;
using namespace gw::api;

TEST(BbbAnswers, RendersAGatewayFailureWithItsKey) {
  auto x = render_create(
    create_result::fail(ec::not_enough_connections, "Only 3 free."));
  EXPECT_EQ(net::element_text(x, "returncode"), "FAILED");
  EXPECT_EQ(net::element_text(x, "messageKey"), "notEnoughConnections");
  EXPECT_EQ(net::element_text(x, "message"), "Only 3 free.");
}

TEST(BbbAnswers, RendersTheNodesAnswerInTheClientsIds) {
  create_result r;
  r.node_answer = "<response><returncode>SUCCESS</returncode><meetingID>tX-r"
                  "</meetingID><duration>0</duration></response>";
  r.meeting_id = "r";
  r.node_meeting_id = "tX-r";
  r.client_duration = "120";
  auto x = render_create(r);
  EXPECT_EQ(net::element_text(x, "meetingID"), "r");
  EXPECT_EQ(net::element_text(x, "duration"), "120");
  EXPECT_EQ(x.find("tX-"), std::string::npos);
}

TEST(BbbAnswers, ErrorRedirectCarriesBbbsErrorsAsJson) {
  auto q = *net::query::parse("errorRedirectUrl=https%3A%2F%2Flms%2Ferr%3Fa%"
                              "3D1&logoutURL=https%3A%2F%2Fx");
  auto url = error_redirect(q, "http://gw", "k\"", "m\\ \xff");
  EXPECT_EQ(url.rfind("https://lms/err?a=1&errors=", 0), 0u);
  auto errors = url.substr(url.find("errors=") + 7);
  auto decoded = *net::query::parse("e=" + errors);
  // Quotes and backslashes escaped, invalid UTF-8 replaced: valid JSON.
  EXPECT_EQ(*decoded.get("e"),
            "[{\"key\":\"k\\\"\",\"message\":\"m\\\\ \xef\xbf\xbd\"}]");
  auto fallback = *net::query::parse("meetingID=x");
  EXPECT_EQ(error_redirect(fallback, "http://gw", "k", "m")
              .rfind("http://gw?errors=", 0),
            0u);
}

TEST(BbbAnswers, OnlyAbsoluteHttpUrlsAreRedirectTargets) {
  for (const char* bad :
       {"javascript%3Aalert(1)", "javascript%3A%2F%2Falert(1)", "%2Frelative",
        "https%3A%2F%2Flms%2Fx%0D%0ASet-Cookie%3A%20a%3Db",
        "ftp%3A%2F%2Fx%2F"}) {
    auto q = *net::query::parse(std::string("errorRedirectUrl=") + bad);
    EXPECT_EQ(error_redirect(q, "http://gw", "k", "m").rfind("http://gw?", 0),
              0u)
      << bad;
  }
  // A bad errorRedirectUrl falls back to a good logoutURL.
  auto q = *net::query::parse(
    "errorRedirectUrl=javascript%3Ax&logoutURL=https%3A%2F%2Flms%2Fbye");
  EXPECT_EQ(
    error_redirect(q, "http://gw", "k", "m").rfind("https://lms/bye?", 0), 0u);
}
