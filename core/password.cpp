#include "core/password.hpp"

#include <cstdint>
#include <vector>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "core/digest.hpp"

namespace gw {

namespace {

constexpr std::size_t hash_bytes = 32;

std::string to_hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 0xf];
  }
  return out;
}

bool from_hex(std::string_view s, std::vector<unsigned char>& out) {
  if (s.size() % 2 != 0)
    return false;
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    return -1;
  };
  out.clear();
  for (std::size_t i = 0; i < s.size(); i += 2) {
    int hi = val(s[i]);
    int lo = val(s[i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

bool scrypt(std::string_view password, const std::vector<unsigned char>& salt,
            scrypt_cost c, unsigned char* out) {
  // 128 * N * r bytes of memory, and some room.
  uint64_t max_mem = 128 * c.n * c.r + (uint64_t{1} << 20);
  return EVP_PBE_scrypt(password.data(), password.size(), salt.data(),
                        salt.size(), c.n, c.r, c.p, max_mem, out, hash_bytes)
         == 1;
}

bool parse_u64(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 10)
    return false;
  out = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9')
      return false;
    out = out * 10 + static_cast<uint64_t>(ch - '0');
  }
  return true;
}

} // namespace

std::string hash_password(std::string_view password, scrypt_cost cost) {
  std::vector<unsigned char> salt;
  if (!from_hex(random_hex(16), salt))
    return {};
  unsigned char out[hash_bytes];
  if (!scrypt(password, salt, cost, out))
    return {};
  return "scrypt$" + std::to_string(cost.n) + "$" + std::to_string(cost.r) + "$"
         + std::to_string(cost.p) + "$" + to_hex(salt.data(), salt.size()) + "$"
         + to_hex(out, hash_bytes);
}

bool verify_password(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto d = stored.find('$', start);
    parts.push_back(stored.substr(
      start, d == std::string_view::npos ? std::string_view::npos : d - start));
    if (d == std::string_view::npos)
      break;
    start = d + 1;
  }
  if (parts.size() != 6 || parts[0] != "scrypt")
    return false;
  scrypt_cost c;
  if (!parse_u64(parts[1], c.n) || !parse_u64(parts[2], c.r)
      || !parse_u64(parts[3], c.p))
    return false;
  // Refuse costs no hash of ours has (a tampered row must not make a
  // sign-in take a gigabyte).
  if (c.n < 2 || c.n > (uint64_t{1} << 20) || (c.n & (c.n - 1)) != 0 || c.r < 1
      || c.r > 32 || c.p < 1 || c.p > 16)
    return false;
  std::vector<unsigned char> salt;
  std::vector<unsigned char> want;
  if (!from_hex(parts[4], salt) || !from_hex(parts[5], want)
      || want.size() != hash_bytes)
    return false;
  unsigned char got[hash_bytes];
  if (!scrypt(password, salt, c, got))
    return false;
  return constant_time_equal(
    std::string_view{reinterpret_cast<const char*>(got), hash_bytes},
    std::string_view{reinterpret_cast<const char*>(want.data()), hash_bytes});
}

} // namespace gw
