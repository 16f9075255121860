#include "core/url.hpp"

#include <string>

namespace gw {

namespace {

/// Control characters, space and DEL have no place in a URL (a CR or LF in
/// one could split an HTTP head it is written into).
bool has_forbidden_bytes(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F)
      return true;
  }
  return false;
}

bool is_reg_name(std::string_view host) {
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'
              || c == '~';
    if (!ok)
      return false;
  }
  return true;
}

bool is_ipv6_literal(std::string_view host) {
  if (host.find(':') == std::string_view::npos)
    return false;
  for (char c : host) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    if (!ok)
      return false;
  }
  return true;
}

} // namespace

bool parse_url(std::string_view url, url_parts& out) {
  if (has_forbidden_bytes(url))
    return false;
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    out.tls = false;
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    out.tls = true;
    rest = url.substr(8);
  } else {
    return false;
  }
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  out.path =
    slash == std::string_view::npos ? "/" : std::string{rest.substr(slash)};
  if (out.path.find_first_of("?#") != std::string::npos)
    return false;
  if (out.path.back() != '/')
    out.path.push_back('/');
  // No userinfo (`user:pass@host`): credentials never go into a node URL.
  if (authority.empty() || authority.find('@') != std::string_view::npos)
    return false;
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return false;
    host = authority.substr(1, close - 1);
    if (!is_ipv6_literal(host))
      return false;
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':')
        return false;
      port = authority.substr(close + 2);
      if (port.empty())
        return false;
    }
  } else if (auto colon = authority.rfind(':');
             colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty() || !is_reg_name(host))
      return false;
  } else if (!is_reg_name(host)) {
    return false;
  }
  if (host.empty())
    return false;
  unsigned long value = 0;
  for (char c : port) {
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + static_cast<unsigned long>(c - '0');
    if (value > 65535)
      return false;
  }
  if (!port.empty() && value == 0)
    return false;
  out.host = std::string{host};
  // The number, not the digits given (`0080` is port 80).
  out.port = port.empty() ? (out.tls ? "443" : "80") : std::to_string(value);
  return true;
}

bool parse_target_url(std::string_view url, url_parts& ep,
                      std::string& target) {
  if (has_forbidden_bytes(url))
    return false;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos)
    return false;
  auto path_start = url.find_first_of("/?#", scheme_end + 3);
  auto base = url.substr(0, path_start);
  if (!parse_url(base, ep))
    return false;
  std::string_view rest =
    path_start == std::string_view::npos ? "/" : url.substr(path_start);
  rest = rest.substr(0, rest.find('#'));
  target = rest.empty() || rest.front() != '/' ? "/" + std::string{rest}
                                               : std::string{rest};
  return true;
}

bool split_host_port(const std::string& in, std::string& host, uint16_t& port) {
  auto colon = in.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= in.size())
    return false;
  host = in.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (!is_ipv6_literal(host))
      return false;
  } else if (!is_reg_name(host)) {
    return false;
  }
  unsigned long value = 0;
  for (char c : in.substr(colon + 1)) {
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + static_cast<unsigned long>(c - '0');
    if (value > 65535)
      return false;
  }
  port = static_cast<uint16_t>(value); // 0: any free port (tests, bench)
  return true;
}

} // namespace gw
