#include <gtest/gtest.h>

#include "net/jwt.hpp"

namespace gw::net {
namespace {

// RFC 7515 appendix A.1: HS256 with a JWK key (CRLFs in the JSON texts).
constexpr const char* rfc_token =
  "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
  "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNv"
  "bS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr const char* rfc_key_b64 =
  "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTw"
  "jAzZr1Z9CAow";

TEST(Jwt, VerifiesTheRfc7515Example) {
  auto key = base64url_decode(rfc_key_b64);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 64u);
  auto t = jwt_verify(rfc_token, *key, std::nullopt);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->alg, jwt_alg::hs256);
  EXPECT_EQ(t->payload, "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n "
                        "\"http://example.com/is_root\":true}");
  // Its exp (2011) is past: refused once the time is checked.
  EXPECT_FALSE(jwt_verify(rfc_token, *key, int64_t{1700000000}));
  EXPECT_TRUE(jwt_verify(rfc_token, *key, int64_t{1300819379}));
}

TEST(Jwt, SignsAsEveryLibraryDoes) {
  // The well-known HS256 example (header {"alg":"HS256","typ":"JWT"}).
  EXPECT_EQ(jwt_sign("{\"sub\":\"1234567890\",\"name\":\"John Doe\","
                     "\"iat\":1516239022}",
                     "your-256-bit-secret"),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2Mj"
            "M5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
  // HS512 with exp, as Moodle's analytics bearer (computed with Python).
  EXPECT_EQ(
    jwt_sign("{\"exp\":4102444800,\"meeting_id\":\"m\"}", "s", jwt_alg::hs512),
    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9."
    "eyJleHAiOjQxMDI0NDQ4MDAsIm1lZXRpbmdfaWQiOiJtIn0."
    "zEn_y7yRkoGcDi25HBhDl5ygBRvqhusiaXGnyNYl0y-aRLixxMVx8jTdprVC6iZsLC"
    "n6hVpKiJu1eB6ZLIXrzQ");
}

TEST(Jwt, VerifiesWhatBbbsRecordingScriptSends) {
  // ruby-jwt's JWT.encode(payload, secret): header {"alg":"HS256"} only.
  constexpr const char* token =
    "eyJhbGciOiJIUzI1NiJ9."
    "eyJtZWV0aW5nX2lkIjoicm9vbS0xIiwicmVjb3JkX2lkIjoiMGExYi0xNzAwMDAwMDAwMDAw"
    "In0.SEyvBUV_OFPz5Vz_46MOU3NqdHz-mQWpafu80ciwCVo";
  auto t = jwt_verify(token, "node-secret", int64_t{1700000000});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->payload,
            "{\"meeting_id\":\"room-1\",\"record_id\":\"0a1b-1700000000000\"}");
  EXPECT_EQ(jwt_header_alg(token), jwt_alg::hs256);
  EXPECT_FALSE(jwt_verify(token, "other-secret", std::nullopt));
}

// BBB's learning-analytics callback: `Authorization: Bearer` with an HS512
// token carrying only `exp` (vector from Python's hmac, not from us).
TEST(Jwt, VerifiesWhatBbbsAnalyticsCallbackSends) {
  constexpr const char* token =
    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJleHAiOjIwMDAwMDAwMDB9."
    "68jeF6T0YUllZYE6QVhoysky59TSKZym-54A0ETp8YM2lK24ukLkEUHRRa3YUDc-y9EqTl0"
    "6vYc4w0xR8GEbtQ";
  auto t = jwt_verify(token, "bbb-node-secret", int64_t{1700000000});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->alg, jwt_alg::hs512);
  EXPECT_EQ(t->payload, "{\"exp\":2000000000}");
  // Expired: refused.
  EXPECT_FALSE(jwt_verify(token, "bbb-node-secret", int64_t{2000000001}));
  // Re-signed with a tenant's secret, same algorithm and claims.
  auto relayed = jwt_sign(t->payload, "tenant-secret", t->alg);
  EXPECT_EQ(relayed.substr(0, relayed.rfind('.')),
            std::string{token}.substr(0, std::string{token}.rfind('.')));
  EXPECT_TRUE(jwt_verify(relayed, "tenant-secret", int64_t{1700000000}));
}

TEST(Jwt, RoundTripsEachAlgorithm) {
  for (auto alg : {jwt_alg::hs256, jwt_alg::hs384, jwt_alg::hs512}) {
    auto token = jwt_sign("{\"a\":1}", "k", alg);
    auto t = jwt_verify(token, "k", int64_t{0});
    ASSERT_TRUE(t) << jwt_alg_name(alg);
    EXPECT_EQ(t->alg, alg);
    EXPECT_EQ(t->payload, "{\"a\":1}");
  }
}

TEST(Jwt, RefusesForgeries) {
  auto good = jwt_sign("{\"record_id\":\"r\"}", "k");
  // A changed payload, a changed signature, a cut token.
  auto dot = good.find('.');
  auto forged = good.substr(0, dot + 1)
                + base64url_encode("{\"record_id\":\"x\"}")
                + good.substr(good.rfind('.'));
  EXPECT_FALSE(jwt_verify(forged, "k", std::nullopt));
  auto flipped = good;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(jwt_verify(flipped, "k", std::nullopt));
  EXPECT_FALSE(jwt_verify(good.substr(0, good.rfind('.')), "k", std::nullopt));
  EXPECT_FALSE(jwt_verify(good + ".x", "k", std::nullopt));
  // alg "none" with an empty signature.
  auto none = base64url_encode("{\"alg\":\"none\"}") + "."
              + base64url_encode("{\"record_id\":\"r\"}") + ".";
  EXPECT_FALSE(jwt_verify(none, "k", std::nullopt));
  EXPECT_FALSE(jwt_verify("", "k", std::nullopt));
  EXPECT_FALSE(jwt_verify("a.b.c", "k", std::nullopt));
  // Not an object, or an exp that is no number.
  EXPECT_FALSE(jwt_verify(jwt_sign("[1]", "k"), "k", std::nullopt));
  EXPECT_FALSE(
    jwt_verify(jwt_sign("{\"exp\":\"soon\"}", "k"), "k", int64_t{1}));
}

TEST(Jwt, Base64UrlEdges) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(base64url_decode("Zg=="), std::string("f"));
  EXPECT_FALSE(base64url_decode("Z"));
  EXPECT_FALSE(base64url_decode("Zm+v"));
}

} // namespace
} // namespace gw::net
