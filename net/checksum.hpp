#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::net {

/// The checksum algorithms BBB accepts, chosen by the checksum's length.
enum class checksum_algo { sha1, sha256, sha384, sha512 };

/// Returns the algorithm for a hex checksum of `length` characters.
std::optional<checksum_algo> algo_for_length(std::size_t length);

/// Parses `sha1`, `sha256`, `sha384` or `sha512`.
std::optional<checksum_algo> parse_algo(std::string_view name);

/// Returns the configuration name of `algo`.
const char* algo_name(checksum_algo algo);

/// Returns the lowercase hex digest of `a + b + c` under `algo`.
std::string hex_digest(checksum_algo algo, std::string_view a,
                       std::string_view b = {}, std::string_view c = {});

/// Removes the checksum parameter from a raw query string exactly as bbb-web
/// does: plain substitution of `&checksum=V`, then `checksum=V&`, then
/// `checksum=V`.
std::string strip_checksum(std::string_view raw_query,
                           std::string_view checksum);

/// What checking a call's checksum found.
enum class checksum_result { ok, missing, mismatch };

/// Verifies the checksum of `call` with query `raw_query` against each of
/// `secrets`, accepting only algorithms in `allowed`, with a constant-time
/// compare. A missing, empty or repeated `checksum` parameter fails.
checksum_result verify_checksum(std::string_view call,
                                std::string_view raw_query,
                                const std::vector<std::string>& secrets,
                                const std::vector<checksum_algo>& allowed);

/// Returns `n` random bytes from OpenSSL's CSPRNG as lowercase hex.
std::string random_hex(std::size_t n);

/// Compares two strings in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

/// Returns `query` with `checksum=<hex>` appended, signed for `call`.
std::string sign_query(std::string_view call, std::string_view query,
                       std::string_view secret, checksum_algo algo);

} // namespace gw::net
