#include "api/bbb_answers.hpp"

#include <nlohmann/json.hpp>

#include "core/url.hpp"
#include "net/meeting_xml.hpp"
#include "net/xml.hpp"

namespace gw::api {

void answer_failed(const net::responder& respond, std::string_view key,
                   std::string_view message) {
  respond(net::xml_response(net::failed_xml(key, message)));
}

void answer_failed(const net::responder& respond, const net::api_error& e) {
  answer_failed(respond, e.key, e.message);
}

void answer_failed(const net::responder& respond, const failure& f) {
  answer_failed(respond, message_key(f.code), f.message);
}

std::string error_redirect(const net::query& q, const std::string& fallback,
                           std::string_view key, std::string_view message) {
  // Only an absolute http(s) URL is a redirect target (no `javascript:`,
  // no relative path, no control characters); else the default page.
  auto usable = [](const std::string* v) {
    url_parts ep;
    std::string target;
    return v != nullptr && !v->empty() && parse_target_url(*v, ep, target);
  };
  std::string base = fallback;
  if (const auto* v = q.get("errorRedirectUrl"); usable(v))
    base = *v;
  else if (const auto* l = q.get("logoutURL"); usable(l))
    base = *l;
  auto errors = nlohmann::json::array(
    {{{"key", std::string{key}}, {"message", std::string{message}}}});
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "errors="
         + net::percent_encode(errors.dump(
           -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace gw::api
