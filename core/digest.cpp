#include "core/digest.hpp"

#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace gw {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

const EVP_MD* md_for(digest_algo algo) {
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

} // namespace

std::optional<digest_algo> algo_for_length(std::size_t length) {
  switch (length) {
  case 40:
    return digest_algo::sha1;
  case 64:
    return digest_algo::sha256;
  case 96:
    return digest_algo::sha384;
  case 128:
    return digest_algo::sha512;
  default:
    return std::nullopt;
  }
}

std::optional<digest_algo> parse_algo(std::string_view name) {
  if (name == "sha1")
    return digest_algo::sha1;
  if (name == "sha256")
    return digest_algo::sha256;
  if (name == "sha384")
    return digest_algo::sha384;
  if (name == "sha512")
    return digest_algo::sha512;
  return std::nullopt;
}

std::size_t digest_hex(digest_algo algo,
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

std::string hex_digest(digest_algo algo, std::string_view a, std::string_view b,
                       std::string_view c) {
  char hex[max_hex_digest];
  auto n = digest_hex(algo, {a, b, c}, hex);
  return std::string{hex, n};
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

} // namespace gw
