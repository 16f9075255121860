#include "net/jwt.hpp"

#include <array>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/digest.hpp"

namespace gw::net {

namespace {

constexpr char b64url[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const EVP_MD* md_of(jwt_alg alg) {
  switch (alg) {
  case jwt_alg::hs384:
    return EVP_sha384();
  case jwt_alg::hs512:
    return EVP_sha512();
  default:
    return EVP_sha256();
  }
}

std::string mac(jwt_alg alg, std::string_view secret, std::string_view input) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  HMAC(md_of(alg), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(),
       out.data(), &len);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

std::optional<jwt_alg> alg_of(std::string_view name) {
  if (name == "HS256")
    return jwt_alg::hs256;
  if (name == "HS384")
    return jwt_alg::hs384;
  if (name == "HS512")
    return jwt_alg::hs512;
  return std::nullopt;
}

/// The header JSON object's algorithm, or nullopt.
std::optional<jwt_alg> header_alg(const std::string& header) {
  auto doc = nlohmann::json::parse(header, nullptr, false);
  if (!doc.is_object())
    return std::nullopt;
  auto it = doc.find("alg");
  if (it == doc.end() || !it->is_string())
    return std::nullopt;
  return alg_of(it->get<std::string>());
}

struct parts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
};

std::optional<parts> split(std::string_view token) {
  auto a = token.find('.');
  if (a == std::string_view::npos)
    return std::nullopt;
  auto b = token.find('.', a + 1);
  if (b == std::string_view::npos
      || token.find('.', b + 1) != std::string_view::npos)
    return std::nullopt;
  return parts{token.substr(0, a), token.substr(a + 1, b - a - 1),
               token.substr(b + 1)};
}

} // namespace

std::string_view jwt_alg_name(jwt_alg alg) {
  switch (alg) {
  case jwt_alg::hs384:
    return "HS384";
  case jwt_alg::hs512:
    return "HS512";
  default:
    return "HS256";
  }
}

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<unsigned>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += b64url[(v >> 18) & 63];
    out += b64url[(v >> 12) & 63];
    out += b64url[(v >> 6) & 63];
    out += b64url[v & 63];
  }
  if (i + 1 == bytes.size()) {
    unsigned v = byte(i) << 16;
    out += b64url[(v >> 18) & 63];
    out += b64url[(v >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    unsigned v = byte(i) << 16 | byte(i + 1) << 8;
    out += b64url[(v >> 18) & 63];
    out += b64url[(v >> 12) & 63];
    out += b64url[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=')
    text.remove_suffix(1);
  if (text.size() % 4 == 1)
    return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    unsigned v;
    if (c >= 'A' && c <= 'Z')
      v = static_cast<unsigned>(c - 'A');
    else if (c >= 'a' && c <= 'z')
      v = static_cast<unsigned>(c - 'a' + 26);
    else if (c >= '0' && c <= '9')
      v = static_cast<unsigned>(c - '0' + 52);
    else if (c == '-')
      v = 62;
    else if (c == '_')
      v = 63;
    else
      return std::nullopt;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

std::string jwt_sign(std::string_view payload, std::string_view secret,
                     jwt_alg alg) {
  std::string header = std::string{"{\"alg\":\""}
                       + std::string{jwt_alg_name(alg)} + "\",\"typ\":\"JWT\"}";
  std::string input =
    base64url_encode(header) + "." + base64url_encode(payload);
  auto sig = mac(alg, secret, input);
  return input + "." + base64url_encode(sig);
}

std::optional<jwt_token> jwt_verify(std::string_view token,
                                    std::string_view secret,
                                    std::optional<int64_t> now_seconds) {
  auto p = split(token);
  if (!p)
    return std::nullopt;
  auto header = base64url_decode(p->header);
  auto payload = base64url_decode(p->payload);
  auto sig = base64url_decode(p->signature);
  if (!header || !payload || !sig)
    return std::nullopt;
  auto alg = header_alg(*header);
  if (!alg)
    return std::nullopt;
  auto signing_input =
    token.substr(0, p->header.size() + 1 + p->payload.size());
  if (!constant_time_equal(mac(*alg, secret, signing_input), *sig))
    return std::nullopt;
  auto claims = nlohmann::json::parse(*payload, nullptr, false);
  if (!claims.is_object())
    return std::nullopt;
  if (now_seconds) {
    auto exp = claims.find("exp");
    if (exp != claims.end()) {
      if (!exp->is_number())
        return std::nullopt;
      if (exp->get<double>() <= static_cast<double>(*now_seconds))
        return std::nullopt;
    }
  }
  return jwt_token{*alg, std::move(*header), std::move(*payload)};
}

std::optional<jwt_alg> jwt_header_alg(std::string_view token) {
  auto p = split(token);
  if (!p)
    return std::nullopt;
  auto header = base64url_decode(p->header);
  if (!header)
    return std::nullopt;
  return header_alg(*header);
}

} // namespace gw::net
