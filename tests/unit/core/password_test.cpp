// Console passwords (core/password.hpp): scrypt with a random salt, checked
// in constant time; a malformed or tampered stored form never matches.
#include <gtest/gtest.h>

#include "core/password.hpp"

using namespace gw;

namespace {

// Cheap parameters keep the test fast; the format is the same.
constexpr scrypt_cost cheap{1024, 8, 1};

} // namespace

TEST(Password, HashesWithASaltAndVerifies) {
  auto a = hash_password("correct horse", cheap);
  auto b = hash_password("correct horse", cheap);
  ASSERT_EQ(a.rfind("scrypt$1024$8$1$", 0), 0u) << a;
  EXPECT_NE(a, b); // salted
  EXPECT_EQ(a.find("correct"), std::string::npos);
  EXPECT_TRUE(verify_password("correct horse", a));
  EXPECT_TRUE(verify_password("correct horse", b));
  EXPECT_FALSE(verify_password("correct horsE", a));
  EXPECT_FALSE(verify_password("", a));
}

TEST(Password, TheDefaultCostIsScryptsInteractiveOne) {
  auto h = hash_password("pw");
  EXPECT_EQ(h.rfind("scrypt$16384$8$1$", 0), 0u);
  EXPECT_TRUE(verify_password("pw", h));
}

TEST(Password, MalformedOrTamperedFormsNeverMatch) {
  auto h = hash_password("pw", cheap);
  EXPECT_FALSE(verify_password("pw", ""));
  EXPECT_FALSE(verify_password("pw", "pw"));
  EXPECT_FALSE(verify_password("pw", "scrypt$1024$8$1$zz$zz"));
  auto flipped = h;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_FALSE(verify_password("pw", flipped));
  // A cost no hash of ours has (a gigabyte of memory) is refused unread.
  auto costly = h;
  costly.replace(7, 4, "1073741824");
  EXPECT_FALSE(verify_password("pw", costly));
  auto odd = h;
  odd.replace(7, 4, "1000");
  EXPECT_FALSE(verify_password("pw", odd));
}
