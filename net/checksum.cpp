#include "net/checksum.hpp"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace gw::net {

namespace {

const EVP_MD* md_for(checksum_algo algo) {
  switch (algo) {
  case checksum_algo::sha1:
    return EVP_sha1();
  case checksum_algo::sha256:
    return EVP_sha256();
  case checksum_algo::sha384:
    return EVP_sha384();
  case checksum_algo::sha512:
    return EVP_sha512();
  }
  return EVP_sha1();
}

/// Finds the raw value of the first `checksum` parameter and counts them,
/// without a full parse (the hot path verifies every call).
std::size_t find_checksum(std::string_view raw, std::string_view& value,
                          std::size_t* pair_pos = nullptr,
                          std::size_t* pair_len = nullptr) {
  std::size_t n = 0;
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    auto amp = raw.find('&', pos);
    if (amp == std::string_view::npos)
      amp = raw.size();
    auto pair = raw.substr(pos, amp - pos);
    constexpr std::string_view key = "checksum";
    if (pair.substr(0, key.size()) == key
        && (pair.size() == key.size() || pair[key.size()] == '=')) {
      if (n++ == 0) {
        value = pair.size() > key.size() ? pair.substr(key.size() + 1)
                                         : std::string_view{};
        if (pair_pos != nullptr) {
          *pair_pos = pos;
          *pair_len = pair.size();
        }
      }
    }
    pos = amp + 1;
  }
  return n;
}

/// One digest context per thread, freed when the thread ends.
struct digest_ctx {
  digest_ctx() : ctx(EVP_MD_CTX_new()) {}
  ~digest_ctx() {
    EVP_MD_CTX_free(ctx);
  }
  digest_ctx(const digest_ctx&) = delete;
  digest_ctx& operator=(const digest_ctx&) = delete;
  EVP_MD_CTX* ctx;
};

void replace_all(std::string& s, const std::string& what) {
  if (what.empty())
    return;
  std::size_t pos = 0;
  while ((pos = s.find(what, pos)) != std::string::npos)
    s.erase(pos, what.size());
}

} // namespace

std::optional<checksum_algo> algo_for_length(std::size_t length) {
  switch (length) {
  case 40:
    return checksum_algo::sha1;
  case 64:
    return checksum_algo::sha256;
  case 96:
    return checksum_algo::sha384;
  case 128:
    return checksum_algo::sha512;
  default:
    return std::nullopt;
  }
}

std::optional<checksum_algo> parse_algo(std::string_view name) {
  if (name == "sha1")
    return checksum_algo::sha1;
  if (name == "sha256")
    return checksum_algo::sha256;
  if (name == "sha384")
    return checksum_algo::sha384;
  if (name == "sha512")
    return checksum_algo::sha512;
  return std::nullopt;
}

const char* algo_name(checksum_algo algo) {
  switch (algo) {
  case checksum_algo::sha1:
    return "sha1";
  case checksum_algo::sha256:
    return "sha256";
  case checksum_algo::sha384:
    return "sha384";
  case checksum_algo::sha512:
    return "sha512";
  }
  return "sha1";
}

std::string hex_digest(checksum_algo algo, std::string_view a,
                       std::string_view b, std::string_view c) {
  static constexpr char digits[] = "0123456789abcdef";
  thread_local digest_ctx holder;
  auto* ctx = holder.ctx;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestInit_ex(ctx, md_for(algo), nullptr);
  EVP_DigestUpdate(ctx, a.data(), a.size());
  EVP_DigestUpdate(ctx, b.data(), b.size());
  EVP_DigestUpdate(ctx, c.data(), c.size());
  EVP_DigestFinal_ex(ctx, md, &len);
  std::string out(len * 2, '0');
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = digits[md[i] >> 4];
    out[2 * i + 1] = digits[md[i] & 0x0F];
  }
  return out;
}

std::string strip_checksum(std::string_view raw_query,
                           std::string_view checksum) {
  std::string qs{raw_query};
  std::string value{checksum};
  replace_all(qs, "&checksum=" + value);
  replace_all(qs, "checksum=" + value + "&");
  replace_all(qs, "checksum=" + value);
  return qs;
}

namespace {

/// strip_checksum for a query with exactly one checksum pair at `pos` (as
/// verify_checksum has established): the same bytes bbb-web's substitution
/// leaves, built with one allocation.
std::string strip_single(std::string_view raw, std::size_t pos,
                         std::size_t len) {
  std::string qs;
  qs.reserve(raw.size());
  if (pos > 0) {
    // "&checksum=V" goes, with the '&' before it.
    qs.append(raw.substr(0, pos - 1));
    qs.append(raw.substr(pos + len));
  } else {
    // "checksum=V&" (or the whole query).
    auto rest = raw.substr(len);
    if (!rest.empty() && rest.front() == '&')
      rest.remove_prefix(1);
    qs.append(rest);
  }
  return qs;
}

} // namespace

checksum_result verify_checksum(std::string_view call,
                                std::string_view raw_query,
                                const std::vector<std::string>& secrets,
                                const std::vector<checksum_algo>& allowed) {
  std::string_view raw_value;
  std::size_t pair_pos = 0;
  std::size_t pair_len = 0;
  auto n = find_checksum(raw_query, raw_value, &pair_pos, &pair_len);
  if (n == 0 || raw_value.empty())
    return checksum_result::missing;
  if (n > 1)
    return checksum_result::mismatch;
  auto algo = algo_for_length(raw_value.size());
  if (!algo
      || std::find(allowed.begin(), allowed.end(), *algo) == allowed.end())
    return checksum_result::mismatch;
  // A value containing "checksum=V" elsewhere is impossible in a
  // well-formed query ('&' and '=' inside values are encoded), so removing
  // the one pair equals bbb-web's substitution; otherwise fall back to it.
  auto qs =
    raw_query.find("checksum=", pair_pos + pair_len) == std::string_view::npos
        && raw_query.substr(0, pair_pos).find("checksum=")
             == std::string_view::npos
      ? strip_single(raw_query, pair_pos, pair_len)
      : strip_checksum(raw_query, raw_value);
  bool match = false;
  for (const auto& secret : secrets) {
    auto expected = hex_digest(*algo, call, qs, secret);
    // Every secret is tried, so timing does not reveal which one matched.
    if (CRYPTO_memcmp(expected.data(), raw_value.data(), expected.size()) == 0)
      match = true;
  }
  return match ? checksum_result::ok : checksum_result::mismatch;
}

std::string random_hex(std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::vector<unsigned char> bytes(n);
  RAND_bytes(bytes.data(), static_cast<int>(n));
  std::string out;
  out.reserve(2 * n);
  for (auto b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0F]);
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size()
         && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string sign_query(std::string_view call, std::string_view query,
                       std::string_view secret, checksum_algo algo) {
  std::string out{query};
  auto sum = hex_digest(algo, call, query, secret);
  if (!out.empty())
    out.push_back('&');
  out.append("checksum=");
  out.append(sum);
  return out;
}

} // namespace gw::net
