#include "net/http_types.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

namespace gw::net {

namespace http = boost::beast::http;

http_response make_response(unsigned status, std::string content_type,
                            std::string body) {
  http_response res{static_cast<http::status>(status), 11};
  res.set(http::field::server, "bbbgate");
  if (!content_type.empty())
    res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http_response xml_response(std::string body) {
  auto res = make_response(200, "text/xml;charset=utf-8", std::move(body));
  res.set(http::field::cache_control, "no-cache");
  return res;
}

http_response redirect_response(std::string location) {
  auto res = make_response(302, "", "");
  res.set(http::field::location, location);
  return res;
}

} // namespace gw::net
