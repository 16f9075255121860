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
}
