#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "net/query.hpp"

namespace gw::net {

/// The checksum algorithms BBB accepts (hashing lives in core/digest).
using checksum_algo = digest_algo;
using gw::algo_for_length;
using gw::constant_time_equal;
using gw::hex_digest;
using gw::parse_algo;
using gw::random_hex;

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

/// True for `application/x-www-form-urlencoded` (parameters may be sent as
/// such a POST body).
bool is_form_type(std::string_view content_type);

/// Encodes like Java's URLEncoder (UTF-8, space as `+`, `.-*_` kept).
std::string java_url_encode(std::string_view in);

/// The string bbb-web 2.x checksums for a POST form with an empty query:
/// the parameters sorted by name (the first of repeated ones), `checksum`
/// skipped, values encoded with java_url_encode, joined with `&`.
std::string sorted_form_string(const query& params);

/// Returns `query` with `checksum=<hex>` appended, signed for `call`.
std::string sign_query(std::string_view call, std::string_view query,
                       std::string_view secret, checksum_algo algo);

} // namespace gw::net
