#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::net {

/// The JWT algorithms BBB's scripts and its clients use (HMAC only).
enum class jwt_alg { hs256, hs384, hs512 };

/// "HS256", "HS384" or "HS512".
std::string_view jwt_alg_name(jwt_alg alg);

/// Base64url without padding (RFC 7515 section 2).
std::string base64url_encode(std::string_view bytes);

/// Decodes base64url (padding tolerated); nullopt on any other byte.
std::optional<std::string> base64url_decode(std::string_view text);

/// A compact JWS whose signature verified.
struct jwt_token {
  jwt_alg alg = jwt_alg::hs256;
  /// The JSON texts as sent (not re-serialised: a relay keeps the claims
  /// exactly as the node wrote them).
  std::string header;
  std::string payload;
};

/// Signs `payload` (a JSON object text) as a compact JWS with the header
/// `{"alg":"HS256","typ":"JWT"}` (or the algorithm given).
std::string jwt_sign(std::string_view payload, std::string_view secret,
                     jwt_alg alg = jwt_alg::hs256);

/// Verifies a compact JWS signed with `secret` by HS256, HS384 or HS512
/// (the header names which; "none" and every other algorithm are refused).
/// With `now_seconds`, an `exp` claim in the past (or not a number) is
/// refused too. Header and payload must be JSON objects.
std::optional<jwt_token> jwt_verify(std::string_view token,
                                    std::string_view secret,
                                    std::optional<int64_t> now_seconds);

/// Reads the header's algorithm without verifying anything (to re-sign a
/// relayed token the same way); nullopt for anything but HS256/384/512.
std::optional<jwt_alg> jwt_header_alg(std::string_view token);

} // namespace gw::net
