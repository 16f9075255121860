#include "core/url.hpp"

namespace gw {

bool parse_url(std::string_view url, url_parts& out) {
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
  if (authority.empty())
    return false;
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return false;
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':')
        return false;
      port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.rfind(':');
             colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty())
    return false;
  for (char c : port)
    if (c < '0' || c > '9')
      return false;
  out.host = std::string{host};
  out.port = port.empty() ? (out.tls ? "443" : "80") : std::string{port};
  return true;
}

bool parse_target_url(std::string_view url, url_parts& ep,
                      std::string& target) {
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
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned long value = 0;
  for (char c : in.substr(colon + 1)) {
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + static_cast<unsigned long>(c - '0');
    if (value > 65535)
      return false;
  }
  port = static_cast<uint16_t>(value);
  return true;
}

} // namespace gw
