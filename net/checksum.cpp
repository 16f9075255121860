#include "net/checksum.hpp"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace gw::net {

namespace {

/// The digest implementations, fetched once: OpenSSL 3 looks an
/// implicitly fetched algorithm (EVP_sha1()) up again on every init, which
/// costs as much as hashing a short query.
const EVP_MD* md_for(checksum_algo algo) {
  struct fetched {
    fetched()
      : md{EVP_MD_fetch(nullptr, "SHA1", nullptr),
           EVP_MD_fetch(nullptr, "SHA256", nullptr),
           EVP_MD_fetch(nullptr, "SHA384", nullptr),
           EVP_MD_fetch(nullptr, "SHA512", nullptr)} {}
    ~fetched() {
      for (auto* m : md)
        EVP_MD_free(m);
    }
    fetched(const fetched&) = delete;
    fetched& operator=(const fetched&) = delete;
    EVP_MD* md[4];
  };
  static const fetched all;
  return all.md[static_cast<int>(algo)];
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

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

/// Hashes the concatenation of `parts` under `algo` into `hex` (lowercase,
/// at most 128 characters); returns the number of characters written.
std::size_t digest_hex(checksum_algo algo,
                       std::initializer_list<std::string_view> parts,
                       char* hex) {
  thread_local digest_ctx holder;
  auto* ctx = holder.ctx;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestInit_ex(ctx, md_for(algo), nullptr);
  for (auto part : parts)
    EVP_DigestUpdate(ctx, part.data(), part.size());
  EVP_DigestFinal_ex(ctx, md, &len);
  for (unsigned int i = 0; i < len; ++i) {
    hex[2 * i] = hex_digits[md[i] >> 4];
    hex[2 * i + 1] = hex_digits[md[i] & 0x0F];
  }
  return 2 * static_cast<std::size_t>(len);
}

} // namespace

std::string hex_digest(checksum_algo algo, std::string_view a,
                       std::string_view b, std::string_view c) {
  char hex[2 * EVP_MAX_MD_SIZE];
  auto n = digest_hex(algo, {a, b, c}, hex);
  return std::string{hex, n};
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
/// leaves, as two pieces of the raw query (nothing is copied).
std::pair<std::string_view, std::string_view>
strip_single(std::string_view raw, std::size_t pos, std::size_t len) {
  if (pos > 0) // "&checksum=V" goes, with the '&' before it.
    return {raw.substr(0, pos - 1), raw.substr(pos + len)};
  // "checksum=V&" (or the whole query).
  auto rest = raw.substr(len);
  if (!rest.empty() && rest.front() == '&')
    rest.remove_prefix(1);
  return {rest, {}};
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
  std::string fallback;
  std::pair<std::string_view, std::string_view> qs;
  if (raw_query.find("checksum=", pair_pos + pair_len) == std::string_view::npos
      && raw_query.substr(0, pair_pos).find("checksum=")
           == std::string_view::npos) {
    qs = strip_single(raw_query, pair_pos, pair_len);
  } else {
    fallback = strip_checksum(raw_query, raw_value);
    qs = {fallback, {}};
  }
  bool match = false;
  char expected[2 * EVP_MAX_MD_SIZE];
  for (const auto& secret : secrets) {
    auto len = digest_hex(*algo, {call, qs.first, qs.second, secret}, expected);
    // Every secret is tried, so timing does not reveal which one matched.
    if (len == raw_value.size()
        && CRYPTO_memcmp(expected, raw_value.data(), len) == 0)
      match = true;
  }
  return match ? checksum_result::ok : checksum_result::mismatch;
}

std::string random_hex(std::size_t n) {
  std::vector<unsigned char> bytes(n);
  RAND_bytes(bytes.data(), static_cast<int>(n));
  std::string out;
  out.reserve(2 * n);
  for (auto b : bytes) {
    out.push_back(hex_digits[b >> 4]);
    out.push_back(hex_digits[b & 0x0F]);
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size()
         && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string sign_query(std::string_view call, std::string_view query,
                       std::string_view secret, checksum_algo algo) {
  char sum[2 * EVP_MAX_MD_SIZE];
  auto n = digest_hex(algo, {call, query, secret}, sum);
  std::string out;
  out.reserve(query.size() + 10 + n);
  out.append(query);
  if (!out.empty())
    out.push_back('&');
  out.append("checksum=");
  out.append(sum, n);
  return out;
}

} // namespace gw::net
