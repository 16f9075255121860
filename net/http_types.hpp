#pragma once

#include <functional>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace gw::net {

/// An inbound or outbound HTTP request with its whole body in memory.
using http_request =
  boost::beast::http::request<boost::beast::http::string_body>;

/// An HTTP response with its whole body in memory.
using http_response =
  boost::beast::http::response<boost::beast::http::string_body>;

/// Sends the response for one request. Call exactly once, from any thread.
/// A response with status 0 closes the connection without an answer (the
/// simulator uses it to play a dead server).
using responder = std::function<void(http_response&&)>;

/// Returns a response with `status`, `content_type` and `body`.
http_response make_response(unsigned status, std::string content_type,
                            std::string body);

/// Returns a 200 `text/xml;charset=utf-8` response, as BBB answers API calls.
http_response xml_response(std::string body);

/// Returns a 302 response to `location`.
http_response redirect_response(std::string location);

/// Writes the status line and header fields of `res` as they go on the wire
/// (ending with the empty line) into `out`, replacing its contents. CR, LF
/// and NUL are dropped from every field name and value. A
/// `Content-Length` is added when neither it nor `Transfer-Encoding` is set.
void serialize_head(const http_response& res, std::string& out);

} // namespace gw::net
