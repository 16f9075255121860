#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

#include "net/http_types.hpp"

using namespace gw::net;

TEST(HttpTypes, NoHeaderValueCanSplitTheHead) {
  // Whoever builds a response, CR, LF and NUL never reach the wire.
  auto res = redirect_response("https://lms/err\r\nSet-Cookie: sid=evil");
  res.set("X-Test", std::string("a\0b\nc", 5));
  std::string head;
  serialize_head(res, head);
  EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos) << head;
  EXPECT_NE(head.find("Location: https://lms/errSet-Cookie: sid=evil\r\n"),
            std::string::npos)
    << head;
  EXPECT_NE(head.find("X-Test: abc\r\n"), std::string::npos);
  // One blank line, at the end.
  EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4);
}
