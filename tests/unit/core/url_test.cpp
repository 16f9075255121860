#include <gtest/gtest.h>

#include "core/url.hpp"

using namespace gw;

TEST(Url, ParsesHostPortAndPath) {
  url_parts u;
  ASSERT_TRUE(parse_url("http://127.0.0.1:9001/bigbluebutton", u));
  EXPECT_FALSE(u.tls);
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, "9001");
  EXPECT_EQ(u.path, "/bigbluebutton/");
  ASSERT_TRUE(parse_url("https://bbb.example.org/bigbluebutton/", u));
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.port, "443");
  ASSERT_TRUE(parse_url("http://[::1]:8080/", u));
  EXPECT_EQ(u.host, "::1");
}

TEST(Url, RejectsMalformed) {
  url_parts u;
  EXPECT_FALSE(parse_url("ftp://x/", u));
  EXPECT_FALSE(parse_url("http:///x", u));
  EXPECT_FALSE(parse_url("http://h:12a/", u));
  EXPECT_FALSE(parse_url("http://h/x?y=1", u));
}

TEST(Url, SplitsHostPort) {
  std::string host;
  uint16_t port = 0;
  ASSERT_TRUE(split_host_port("127.0.0.1:8080", host, port));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8080);
  EXPECT_FALSE(split_host_port("127.0.0.1", host, port));
  EXPECT_FALSE(split_host_port("h:99999", host, port));
  EXPECT_FALSE(split_host_port("a b:80", host, port));
  EXPECT_FALSE(split_host_port("[zz]:80", host, port));
  ASSERT_TRUE(split_host_port("[::1]:80", host, port));
  EXPECT_EQ(host, "::1");
  url_parts u;
  ASSERT_TRUE(parse_url("http://h:0080/", u));
  EXPECT_EQ(u.port, "80");
}

TEST(Url, IsStrict) {
  url_parts u;
  // No credentials in a node URL, no control characters or spaces.
  EXPECT_FALSE(parse_url("http://user:pass@h/", u));
  EXPECT_FALSE(parse_url("http://h/a\r\nX-Evil: 1/", u));
  EXPECT_FALSE(parse_url("http://h /x/", u));
  EXPECT_FALSE(parse_url(std::string("http://h/\0/", 10), u));
  // A host is a name or an IPv6 literal; a port is 1-65535.
  EXPECT_FALSE(parse_url("http://?", u));
  EXPECT_FALSE(parse_url("http://h$x/", u));
  EXPECT_FALSE(parse_url("http://h:/", u));
  EXPECT_FALSE(parse_url("http://h:0/", u));
  EXPECT_FALSE(parse_url("http://h:65536/", u));
  EXPECT_FALSE(parse_url("http://[zz::1]/", u));
  EXPECT_FALSE(parse_url("http://[::1]:/", u));
  EXPECT_TRUE(parse_url("http://[::1]:8080/b/", u));
  EXPECT_TRUE(parse_url("https://bbb-1.example.org:65535/bigbluebutton/", u));
  std::string target;
  EXPECT_FALSE(parse_target_url("javascript://alert(1)", u, target));
  EXPECT_FALSE(
    parse_target_url("http://lms/x?a=1\r\nSet-Cookie: a=b", u, target));
  EXPECT_TRUE(parse_target_url("https://lms/x?a=1", u, target));
  EXPECT_EQ(target, "/x?a=1");
}
