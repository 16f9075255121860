#include "net/html.hpp"

namespace gw::net {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

html render_html(std::string_view tmpl,
                 const std::map<std::string, html_value>& values) {
  html out;
  out.text.reserve(tmpl.size() * 2);
  std::size_t at = 0;
  while (at < tmpl.size()) {
    auto open = tmpl.find("{{", at);
    if (open == std::string_view::npos) {
      out.text.append(tmpl.substr(at));
      break;
    }
    auto close = tmpl.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.text.append(tmpl.substr(at));
      break;
    }
    out.text.append(tmpl.substr(at, open - at));
    std::string name{tmpl.substr(open + 2, close - open - 2)};
    if (auto it = values.find(name); it != values.end()) {
      if (const auto* s = std::get_if<std::string>(&it->second))
        out.text += html_escape(*s);
      else
        out.text += std::get<html>(it->second).text;
    }
    at = close + 2;
  }
  return out;
}

} // namespace gw::net
