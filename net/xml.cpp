#include "net/xml.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "core/ids.hpp"

namespace gw::net {

namespace {

/// Escapes `text` for XML through `put(const char*, size)`, the only way
/// it writes. Whatever it is given, the output is well-formed XML text: the
/// five special characters escaped, characters XML forbids (controls other
/// than tab, LF and CR; U+FFFE, U+FFFF) dropped, invalid UTF-8 replaced by
/// U+FFFD. Runs of plain ASCII (most of any text) are written at once.
template <class Put>
void escape_through(Put&& put, std::string_view text) {
  static constexpr auto plain = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c)
      t[static_cast<std::size_t>(c)] =
        c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
    t['\t'] = t['\n'] = t['\r'] = true;
    return t;
  }();
  auto lit = [&put](std::string_view s) { put(s.data(), s.size()); };
  for (std::size_t i = 0; i < text.size();) {
    auto run = i;
    while (run < text.size() && plain[static_cast<unsigned char>(text[run])])
      ++run;
    if (run != i) {
      put(text.data() + i, run - i);
      i = run;
      continue;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t len = 1;
      auto cp = utf8_decode(text, i, len);
      if (cp < 0)
        lit("\xEF\xBF\xBD");
      else if (cp != 0xFFFE && cp != 0xFFFF)
        put(text.data() + i, len);
      i += len;
      continue;
    }
    ++i;
    switch (c) {
    case '&':
      lit("&amp;");
      break;
    case '<':
      lit("&lt;");
      break;
    case '>':
      lit("&gt;");
      break;
    case '"':
      lit("&quot;");
      break;
    case '\'':
      lit("&apos;");
      break;
    default:
      if (c == '\t' || c == '\n' || c == '\r')
        put(text.data() + i - 1, 1);
    }
  }
}

} // namespace

void xml_escape_to(std::string& out, std::string_view text) {
  escape_through([&out](const char* p, std::size_t n) { out.append(p, n); },
                 text);
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  xml_escape_to(out, text);
  return out;
}

xml_writer::xml_writer(std::size_t expected) {
  buf_.resize(expected);
}

std::string xml_writer::take() {
  buf_.resize(len_);
  len_ = 0;
  return std::move(buf_);
}

void xml_writer::grow(std::size_t n) {
  buf_.resize(std::max({len_ + n, 2 * buf_.size(), std::size_t{256}}));
}

namespace {

/// Copies `n` bytes; the short pieces most of a document is made of (tags,
/// numbers, words) with fixed-size moves the compiler inlines rather than a
/// call to memcpy each.
inline void copy_bytes(char* d, const char* p, std::size_t n) {
  if (n >= 8 && n <= 16) {
    std::memcpy(d, p, 8);
    std::memcpy(d + n - 8, p + n - 8, 8);
  } else if (n >= 4 && n < 8) {
    std::memcpy(d, p, 4);
    std::memcpy(d + n - 4, p + n - 4, 4);
  } else if (n < 4) {
    for (std::size_t i = 0; i < n; ++i)
      d[i] = p[i];
  } else {
    std::memcpy(d, p, n);
  }
}

} // namespace

void xml_writer::put(const char* p, std::size_t n) {
  copy_bytes(room(n), p, n);
}

void xml_writer::tag(std::string_view name, bool closing) {
  auto* d = room(name.size() + (closing ? 3 : 2));
  *d++ = '<';
  if (closing)
    *d++ = '/';
  copy_bytes(d, name.data(), name.size());
  d[name.size()] = '>';
}

xml_writer& xml_writer::open(std::string_view name) {
  tag(name, false);
  return *this;
}

xml_writer& xml_writer::close(std::string_view name) {
  tag(name, true);
  return *this;
}

xml_writer& xml_writer::elem(std::string_view name, std::string_view text) {
  tag(name, false);
  escape_through([this](const char* p, std::size_t n) { put(p, n); }, text);
  tag(name, true);
  return *this;
}

xml_writer& xml_writer::elem(std::string_view name, bool value) {
  tag(name, false);
  if (value)
    put("true", 4);
  else
    put("false", 5);
  tag(name, true);
  return *this;
}

xml_writer& xml_writer::elem(std::string_view name, long long value) {
  // Digits need no escaping and no allocation.
  tag(name, false);
  auto* d = room(24);
  auto [end, ec] = std::to_chars(d, d + 24, value);
  (void)ec; // 24 characters hold any long long
  len_ -= static_cast<std::size_t>(d + 24 - end);
  tag(name, true);
  return *this;
}

xml_writer& xml_writer::empty(std::string_view name) {
  put("<", 1);
  put(name.data(), name.size());
  put("/>", 2);
  return *this;
}

xml_writer& xml_writer::raw(std::string_view xml) {
  put(xml.data(), xml.size());
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
