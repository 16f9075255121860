#include "net/xml.hpp"

#include <array>
#include <cstdint>

#include "core/ids.hpp"

namespace gw::net {

void xml_escape_to(std::string& out, std::string_view text) {
  // Whatever it is given, the output is well-formed XML text: the five
  // special characters escaped, characters XML forbids (controls other
  // than tab, LF and CR; U+FFFE, U+FFFF) dropped, invalid UTF-8 replaced
  // by U+FFFD.
  // Runs of plain ASCII (most of any text) are appended at once.
  static constexpr auto plain = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c)
      t[static_cast<std::size_t>(c)] =
        c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
    t['\t'] = t['\n'] = t['\r'] = true;
    return t;
  }();
  for (std::size_t i = 0; i < text.size();) {
    auto run = i;
    while (run < text.size() && plain[static_cast<unsigned char>(text[run])])
      ++run;
    if (run != i) {
      out.append(text.data() + i, run - i);
      i = run;
      continue;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t len = 1;
      auto cp = utf8_decode(text, i, len);
      if (cp < 0)
        out.append("\xEF\xBF\xBD");
      else if (cp != 0xFFFE && cp != 0xFFFF)
        out.append(text.data() + i, len);
      i += len;
      continue;
    }
    ++i;
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
      out += "&apos;";
      break;
    default:
      if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
        out.push_back(static_cast<char>(c));
    }
  }
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  xml_escape_to(out, text);
  return out;
}

xml_writer& xml_writer::open(std::string_view name) {
  out_.push_back('<');
  out_.append(name);
  out_.push_back('>');
  return *this;
}

xml_writer& xml_writer::close(std::string_view name) {
  out_.append("</");
  out_.append(name);
  out_.push_back('>');
  return *this;
}

xml_writer& xml_writer::elem(std::string_view name, std::string_view text) {
  open(name);
  xml_escape_to(out_, text);
  return close(name);
}

xml_writer& xml_writer::elem(std::string_view name, bool value) {
  return elem(name, std::string_view{value ? "true" : "false"});
}

xml_writer& xml_writer::elem(std::string_view name, long long value) {
  return elem(name, std::string_view{std::to_string(value)});
}

xml_writer& xml_writer::empty(std::string_view name) {
  out_.push_back('<');
  out_.append(name);
  out_.append("/>");
  return *this;
}

xml_writer& xml_writer::raw(std::string_view xml) {
  out_.append(xml);
  return *this;
}

std::string failed_xml(std::string_view key, std::string_view message) {
  xml_writer w;
  w.open("response")
    .elem("returncode", std::string_view{"FAILED"})
    .elem("messageKey", key)
    .elem("message", message)
    .close("response");
  return w.take();
}

std::string_view find_element(std::string_view xml, std::string_view name) {
  std::string open = "<" + std::string{name} + ">";
  auto begin = xml.find(open);
  if (begin == std::string_view::npos)
    return {};
  begin += open.size();
  std::string close = "</" + std::string{name} + ">";
  auto end = xml.find(close, begin);
  if (end == std::string_view::npos)
    return {};
  return xml.substr(begin, end - begin);
}

namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

} // namespace

std::string xml_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    auto semi = text.find(';', i);
    if (semi == std::string_view::npos) {
      out.push_back('&');
      continue;
    }
    auto ent = text.substr(i + 1, semi - i - 1);
    if (ent == "amp")
      out.push_back('&');
    else if (ent == "lt")
      out.push_back('<');
    else if (ent == "gt")
      out.push_back('>');
    else if (ent == "quot")
      out.push_back('"');
    else if (ent == "apos")
      out.push_back('\'');
    else if (ent.size() > 1 && ent[0] == '#') {
      uint32_t cp = 0;
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      for (std::size_t k = hex ? 2 : 1; k < ent.size(); ++k) {
        char c = ent[k];
        uint32_t d = 0;
        if (c >= '0' && c <= '9')
          d = static_cast<uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
          d = static_cast<uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F')
          d = static_cast<uint32_t>(c - 'A' + 10);
        cp = cp * (hex ? 16u : 10u) + d;
      }
      append_utf8(out, cp);
    } else {
      out.append(text.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

} // namespace gw::net
