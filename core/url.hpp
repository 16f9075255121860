#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gw {

/// A parsed `http://host:port/path/` URL.
struct url_parts {
  bool tls = false;
  std::string host;
  std::string port;
  /// The path, always ending in `/` (e.g. `/bigbluebutton/`).
  std::string path;
};

/// Parses an http or https URL without query; returns false when malformed.
/// Strict: no control characters or spaces, no userinfo (`user@`), a host
/// of letters, digits, `.-_~` (or a bracketed IPv6 literal), a port of
/// 1-65535 when given.
bool parse_url(std::string_view url, url_parts& out);

/// Parses a full URL that may carry a query (a callback URL): `ep` gets
/// scheme, host and port, `target` the path and query to request.
bool parse_target_url(std::string_view url, url_parts& ep, std::string& target);

/// Splits `HOST:PORT` (`[v6]:PORT` too; port 0 means any free port);
/// returns false when malformed (the host as strict as in parse_url).
bool split_host_port(const std::string& in, std::string& host, uint16_t& port);

} // namespace gw
