#include <gtest/gtest.h>

#include "net/checksum.hpp"

using namespace gw::net;

namespace {

const std::vector<checksum_algo> all{checksum_algo::sha1, checksum_algo::sha256,
                                     checksum_algo::sha384,
                                     checksum_algo::sha512};

} // namespace

// Reference vectors computed with sha1sum / sha256sum / sha384sum /
// sha512sum over "getMeetings" + "" + "secret".
TEST(Checksum, KnownVectorsForAllAlgorithms) {
  EXPECT_EQ(hex_digest(checksum_algo::sha1, "getMeetings", "", "secret"),
            "867e6596b930651c0cd4dd1912bec902fae56d5a");
  EXPECT_EQ(hex_digest(checksum_algo::sha256, "getMeetings", "", "secret"),
            "433f7e299bfebb264ee4ac11afeaf2e83475b7bbf38ce7913aa675576bc61ea5");
  EXPECT_EQ(hex_digest(checksum_algo::sha384, "getMeetings", "", "secret"),
            "4980473aae693d753ff6bc7ca5abf11d291a9bbf77cf5e2147e4692e37673000e"
            "acf2d2d37bf81cf6256153bf22cbbe6");
  EXPECT_EQ(hex_digest(checksum_algo::sha512, "getMeetings", "", "secret"),
            "e12a1bc77700eb4ad09dcfcf6b70d5f27a832c007e3c686c52c46a97813caba2b"
            "047574c84f2d51c7a2ae426a5f207b04c686db792a109fa033474399a784f47");
}

TEST(Checksum, AlgorithmByLength) {
  EXPECT_EQ(algo_for_length(40), checksum_algo::sha1);
  EXPECT_EQ(algo_for_length(64), checksum_algo::sha256);
  EXPECT_EQ(algo_for_length(96), checksum_algo::sha384);
  EXPECT_EQ(algo_for_length(128), checksum_algo::sha512);
  EXPECT_FALSE(algo_for_length(50));
}

TEST(Checksum, StripsLikeBbbWeb) {
  EXPECT_EQ(strip_checksum("a=1&checksum=x&b=2", "x"), "a=1&b=2");
  EXPECT_EQ(strip_checksum("checksum=x&a=1", "x"), "a=1");
  EXPECT_EQ(strip_checksum("a=1&checksum=x", "x"), "a=1");
  EXPECT_EQ(strip_checksum("&checksum=x", "x"), "");
}

TEST(Checksum, VerifiesEveryAlgorithmAndPosition) {
  std::string qs = "meetingID=abc&name=Hi+there";
  for (auto algo : all) {
    auto sum = hex_digest(algo, "create", qs, "s3cret");
    EXPECT_EQ(
      verify_checksum("create", qs + "&checksum=" + sum, {"s3cret"}, all),
      checksum_result::ok);
    EXPECT_EQ(
      verify_checksum("create", "checksum=" + sum + "&" + qs, {"s3cret"}, all),
      checksum_result::ok);
    EXPECT_EQ(verify_checksum(
                "create", "meetingID=abc&checksum=" + sum + "&name=Hi+there",
                {"s3cret"}, all),
              checksum_result::ok);
  }
}

TEST(Checksum, RejectsWrongCasingCallAlgorithmAndEncoding) {
  std::string qs = "name=a%20b";
  auto sum = hex_digest(checksum_algo::sha1, "create", qs, "s");
  std::string upper = sum;
  for (auto& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(verify_checksum("create", qs + "&checksum=" + upper, {"s"}, all),
            checksum_result::mismatch);
  EXPECT_EQ(verify_checksum("join", qs + "&checksum=" + sum, {"s"}, all),
            checksum_result::mismatch);
  EXPECT_EQ(verify_checksum("create", qs + "&checksum=" + sum, {"s"},
                            {checksum_algo::sha512}),
            checksum_result::mismatch);
  // Signed over %20 but sent with '+': the raw bytes differ.
  EXPECT_EQ(verify_checksum("create", "name=a+b&checksum=" + sum, {"s"}, all),
            checksum_result::mismatch);
  EXPECT_EQ(verify_checksum("create",
                            qs + "&checksum=" + sum.substr(0, 39) + "0", {"s"},
                            all),
            checksum_result::mismatch);
}

TEST(Checksum, MissingEmptyAndRepeated) {
  EXPECT_EQ(verify_checksum("getMeetings", "", {"s"}, all),
            checksum_result::missing);
  EXPECT_EQ(verify_checksum("getMeetings", "checksum=", {"s"}, all),
            checksum_result::missing);
  auto sum = hex_digest(checksum_algo::sha1, "getMeetings", "", "s");
  EXPECT_EQ(verify_checksum("getMeetings", "checksum=" + sum, {"s"}, all),
            checksum_result::ok);
  EXPECT_EQ(verify_checksum("getMeetings",
                            "checksum=" + sum + "&checksum=" + sum, {"s"}, all),
            checksum_result::mismatch);
}

TEST(Checksum, TriesEverySecret) {
  auto sum = hex_digest(checksum_algo::sha256, "getMeetings", "", "new");
  EXPECT_EQ(
    verify_checksum("getMeetings", "checksum=" + sum, {"old", "new"}, all),
    checksum_result::ok);
}

TEST(Checksum, SignAppendsChecksumLast) {
  auto q = sign_query("end", "meetingID=x", "k", checksum_algo::sha1);
  EXPECT_EQ(q, "meetingID=x&checksum="
                 + hex_digest(checksum_algo::sha1, "end", "meetingID=x", "k"));
  EXPECT_EQ(verify_checksum("end", q, {"k"}, all), checksum_result::ok);
}

TEST(Checksum, SingleAndFallbackStripAgreeWithBbbWeb) {
  // Each position, plus the ?&checksum= form and a value that mentions
  // "checksum=" in encoded form.
  for (std::string qs : {"a=1&b=2", "", "x=checksum%3Dab&y=1"}) {
    for (auto algo : {checksum_algo::sha1, checksum_algo::sha512}) {
      auto sum = hex_digest(algo, "getMeetings", qs, "k");
      std::vector<std::string> variants{
        qs.empty() ? "checksum=" + sum : qs + "&checksum=" + sum,
        "checksum=" + sum + (qs.empty() ? "" : "&" + qs), "&checksum=" + sum};
      for (const auto& v : variants) {
        if (v.rfind("&checksum", 0) == 0 && !qs.empty())
          continue;
        EXPECT_EQ(verify_checksum("getMeetings", v, {"k"}, all),
                  checksum_result::ok)
          << v;
      }
    }
  }
}
