#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "net/query.hpp"

namespace gw::net {

/// A BBB error: its messageKey and human-readable message.
struct api_error {
  std::string key;
  std::string message;
};

using gw::is_valid_utf8;
using gw::utf8_length;

/// Returns `s` with control characters removed and surrounding white space
/// trimmed, as bbb-web sanitises parameters.
std::string sanitize(std::string_view s);

/// Checks a meetingID as bbb-web 2.7+ does (present, 2-256 characters, no
/// comma, unchanged by sanitising).
std::optional<api_error> check_meeting_id(const std::string* id);

/// Checks an optional password parameter (2-64 characters when non-empty).
std::optional<api_error> check_password(const std::string* pw);

/// Returns true for `true`, `false`, `0` or `1` in any case.
bool is_bbb_boolean(std::string_view s);

/// Returns true when `s` is case-insensitively `true`.
bool is_true(std::string_view s);

/// Returns true when `s` is one or more ASCII digits.
bool is_digits(std::string_view s);

/// Returns true when `name` (after `meta_`) is kept by bbb-web.
bool is_valid_meta_name(std::string_view name);

/// Returns `s` in ASCII lowercase.
std::string ascii_lower(std::string_view s);

/// Validates the parameters of `create` that bbb-web validates itself.
std::optional<api_error> validate_create(const query& q);

/// Validates the parameters of `join` up to the meeting lookup.
std::optional<api_error> validate_join(const query& q);

/// The checksum error, as the validation framework words it.
api_error checksum_error(bool missing);

/// The meeting-not-found error of end and getMeetingInfo.
api_error not_found_error();

} // namespace gw::net
