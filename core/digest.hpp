#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace gw {

/// The hash algorithms BBB checksums use, chosen by the checksum's length.
enum class digest_algo { sha1, sha256, sha384, sha512 };

/// Returns the algorithm for a hex digest of `length` characters.
std::optional<digest_algo> algo_for_length(std::size_t length);

/// Parses `sha1`, `sha256`, `sha384` or `sha512`.
std::optional<digest_algo> parse_algo(std::string_view name);

/// The longest hex digest (SHA-512) in characters.
constexpr std::size_t max_hex_digest = 128;

/// Hashes the concatenation of `parts` under `algo` into `hex` (lowercase,
/// room for max_hex_digest characters); returns the characters written.
/// One digest context per thread, digests fetched once (OpenSSL 3 looks an
/// implicitly fetched EVP_sha1() up again on every init).
std::size_t digest_hex(digest_algo algo,
                       std::initializer_list<std::string_view> parts,
                       char* hex);

/// Returns the lowercase hex digest of `a + b + c` under `algo`.
std::string hex_digest(digest_algo algo, std::string_view a,
                       std::string_view b = {}, std::string_view c = {});

/// Returns `n` random bytes from OpenSSL's CSPRNG as lowercase hex.
std::string random_hex(std::size_t n);

/// Compares two strings in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace gw
