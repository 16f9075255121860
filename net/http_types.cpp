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

namespace {

/// Appends a header value without CR, LF or NUL: no value can end the head
/// early or inject a header, whoever built it (checked here, where heads
/// are written, so no caller can forget).
void append_field_value(std::string& out, std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3))
      == std::string_view::npos) {
    out.append(value.data(), value.size());
    return;
  }
  for (char c : value)
    if (c != '\r' && c != '\n' && c != '\0')
      out.push_back(c);
}

} // namespace

void serialize_head(const http_response& res, std::string& out) {
  out.clear();
  out.append(res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  char code[4] = {static_cast<char>('0' + res.result_int() / 100 % 10),
                  static_cast<char>('0' + res.result_int() / 10 % 10),
                  static_cast<char>('0' + res.result_int() % 10), ' '};
  out.append(code, sizeof(code));
  auto reason = res.reason();
  out.append(reason.data(), reason.size());
  out.append("\r\n");
  bool has_length = false;
  for (const auto& f : res) {
    auto name = f.name_string();
    auto value = f.value();
    if (f.name() == http::field::content_length
        || f.name() == http::field::transfer_encoding)
      has_length = true;
    append_field_value(out, name);
    out.append(": ");
    append_field_value(out, value);
    out.append("\r\n");
  }
  if (!has_length) {
    out.append("Content-Length: ");
    out.append(std::to_string(res.body().size()));
    out.append("\r\n");
  }
  out.append("\r\n");
}

} // namespace gw::net
