#pragma once

#include <string>
#include <string_view>

namespace gw::api {

/// The console's session cookie.
constexpr std::string_view console_cookie_name = "bbbgate_console";

/// The value of cookie `name` in a Cookie header, or empty.
std::string cookie_value(std::string_view header, std::string_view name);

/// The Set-Cookie value of a new session: HttpOnly, SameSite=Strict, path
/// /console, `max_age_s` seconds, Secure when the console is served over
/// https.
std::string session_cookie(const std::string& token, long long max_age_s,
                           bool secure);

/// The Set-Cookie value that ends the session in the browser.
std::string ended_session_cookie(bool secure);

} // namespace gw::api
