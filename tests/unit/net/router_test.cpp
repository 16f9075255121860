#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

#include "net/router.hpp"

using namespace gw::net;

namespace {

std::string route_of(const router& r, std::string target) {
  http_request req;
  req.target(target);
  std::string got;
  r.handle(std::move(req), request_info{},
           [&](http_response&& res) { got = res.body(); });
  return got;
}

request_handler answer(std::string text) {
  return [text](http_request&&, const request_info&, responder respond) {
    respond(make_response(200, "text/plain", text));
  };
}

} // namespace

TEST(Router, ExactBeatsPrefixAndLongestPrefixWins) {
  router r;
  r.add(router::match::prefix, "/admin/", answer("admin"))
    .add(router::match::prefix, "/admin/tenants", answer("tenants"))
    .add(router::match::exact, "/admin/ping", answer("ping"))
    .add(router::match::exact, "/healthz", answer("health"))
    .fallback(answer("api"));
  EXPECT_EQ(route_of(r, "/healthz"), "health");
  EXPECT_EQ(route_of(r, "/healthz?x=1"), "health");
  EXPECT_EQ(route_of(r, "/healthz/x"), "api");
  EXPECT_EQ(route_of(r, "/admin/nodes"), "admin");
  EXPECT_EQ(route_of(r, "/admin/tenants/a"), "tenants");
  EXPECT_EQ(route_of(r, "/admin/ping"), "ping");
  EXPECT_EQ(route_of(r, "/acme/bigbluebutton/api/create"), "api");
  EXPECT_EQ(r.routes().size(), 4u);
}

TEST(Router, WithoutFallbackAnswers404) {
  router r;
  http_request req;
  req.target("/nowhere");
  unsigned status = 0;
  r.handle(std::move(req), request_info{},
           [&](http_response&& res) { status = res.result_int(); });
  EXPECT_EQ(status, 404u);
}

TEST(Router, SplitsTargets) {
  EXPECT_EQ(target_path("/a/b?c=d"), "/a/b");
  EXPECT_EQ(target_query("/a/b?c=d"), "c=d");
  EXPECT_EQ(target_query("/a/b"), "");
}

TEST(Router, AbsoluteFormTargetsAreServed) {
  std::string authority;
  EXPECT_EQ(origin_form("http://gw.example:8080/acme/bigbluebutton/api/x?a=1",
                        &authority),
            "/acme/bigbluebutton/api/x?a=1");
  EXPECT_EQ(authority, "gw.example:8080");
  EXPECT_EQ(origin_form("HTTPS://gw"), "/");
  EXPECT_EQ(origin_form("http://gw?a=1"), "/?a=1");
  EXPECT_EQ(origin_form("/plain?x"), "/plain?x");
  router r;
  std::string host;
  r.add(router::match::exact, "/healthz",
        [&](http_request&& req, const request_info&, responder respond) {
          host = std::string{req[boost::beast::http::field::host]};
          respond(make_response(200, "text/plain", "health"));
        });
  http_request req;
  req.target("http://Gw.Example./healthz");
  req.set(boost::beast::http::field::host, "other");
  std::string got;
  r.handle(std::move(req), request_info{},
           [&](http_response&& res) { got = res.body(); });
  EXPECT_EQ(got, "health");
  EXPECT_EQ(host, "Gw.Example."); // the target's authority is the Host
}

TEST(Router, HostsCompareWithoutCasePortOrTrailingDot) {
  EXPECT_EQ(normalize_host("BBB.Acme.Example.:443"), "bbb.acme.example");
  EXPECT_EQ(normalize_host("bbb.acme.example"), "bbb.acme.example");
  EXPECT_EQ(normalize_host("[::1]:80"), "[::1]");
}
