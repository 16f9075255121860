#pragma once

#include <string>
#include <string_view>

namespace gw {

/// Cost of a console password hash (scrypt: N, r, p). About 16 MiB and
/// 50 ms on one core: run it off the io threads (actors/password_actor).
struct scrypt_cost {
  uint64_t n = 16384;
  uint64_t r = 8;
  uint64_t p = 1;
};

/// Hashes a password with scrypt and a random 16-byte salt:
/// `scrypt$<N>$<r>$<p>$<salt hex>$<hash hex>`. Empty on failure.
std::string hash_password(std::string_view password, scrypt_cost cost = {});

/// True when `password` matches `stored` (a hash_password() result); the
/// comparison takes constant time. A malformed `stored` never matches.
bool verify_password(std::string_view password, std::string_view stored);

} // namespace gw
