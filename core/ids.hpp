#pragma once

#include <string>
#include <string_view>

namespace gw {

/// Returns the opaque, stable prefix of a tenant's meeting IDs on the
/// nodes (`t` + 8 hex digits + `-`): two tenants may use the same
/// meetingID, and a node-side ID names its tenant to nobody.
std::string tenant_prefix(std::string_view tenant_id);

/// Returns the tenant prefix a node meeting ID starts with (`t` + 8 hex
/// digits + `-`), or nothing when it has none (not a gateway's meeting).
std::string_view prefix_of(std::string_view node_meeting_id);

/// Returns the node meeting ID for a tenant's meetingID: the prefix plus the
/// ID, or the prefix plus a hash when that would exceed BBB's 256 chars.
std::string node_meeting_id(std::string_view prefix, std::string_view id);

/// Returns the key of a meeting across tenants (`tenant/meetingID`), as the
/// node actors and the store know it.
std::string meeting_key(std::string_view tenant, std::string_view id);

/// Returns the number of Unicode code points in UTF-8 `s`.
std::size_t utf8_length(std::string_view s);

/// Returns true when `s` is well-formed UTF-8 (no overlong forms, no
/// surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// Decodes the UTF-8 sequence at `s[i]`: returns its code point and sets
/// `len` to its length, or returns -1 (and `len` 1) for an invalid byte.
long utf8_decode(std::string_view s, std::size_t i, std::size_t& len);

} // namespace gw
