// The console's session cookie (api/console_cookie.hpp): the flags design.md
// §8 asks for, Secure under https, and reading it back from a Cookie header.
#include <gtest/gtest.h>

#include "api/console_cookie.hpp"

using namespace gw::api;

TEST(ConsoleCookie, CarriesTheFlagsAndSecureUnderHttps) {
  auto plain = session_cookie("abc", 3600, false);
  EXPECT_EQ(plain, "bbbgate_console=abc; Max-Age=3600; Path=/console; "
                   "HttpOnly; SameSite=Strict");
  auto tls = session_cookie("abc", 60, true);
  EXPECT_NE(tls.find("; Secure"), std::string::npos);
  EXPECT_NE(tls.find("HttpOnly"), std::string::npos);
  EXPECT_EQ(ended_session_cookie(true),
            "bbbgate_console=; Max-Age=0; Path=/console; HttpOnly; "
            "SameSite=Strict; Secure");
}

TEST(ConsoleCookie, ReadsItsValueAmongOthers) {
  EXPECT_EQ(cookie_value("a=1; bbbgate_console=tok; b=2", console_cookie_name),
            "tok");
  EXPECT_EQ(cookie_value("bbbgate_console=tok", console_cookie_name), "tok");
  EXPECT_EQ(cookie_value("xbbbgate_console=tok", console_cookie_name), "");
  EXPECT_EQ(cookie_value("", console_cookie_name), "");
  EXPECT_EQ(cookie_value("a=1;b=2", console_cookie_name), "");
}
