#include "api/console_cookie.hpp"

namespace gw::api {

namespace {

std::string attributes(bool secure) {
  return std::string{"; Path=/console; HttpOnly; SameSite=Strict"}
         + (secure ? "; Secure" : "");
}

} // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    auto part = header.substr(0, semi);
    while (!part.empty() && part.front() == ' ')
      part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name)
      return std::string{part.substr(eq + 1)};
    if (semi == std::string_view::npos)
      break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

std::string session_cookie(const std::string& token, long long max_age_s,
                           bool secure) {
  return std::string{console_cookie_name} + "=" + token
         + "; Max-Age=" + std::to_string(max_age_s) + attributes(secure);
}

std::string ended_session_cookie(bool secure) {
  return std::string{console_cookie_name} + "=; Max-Age=0" + attributes(secure);
}

} // namespace gw::api
