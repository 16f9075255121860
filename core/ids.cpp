#include "core/ids.hpp"

#include "core/digest.hpp"

namespace gw {

std::string tenant_prefix(std::string_view tenant_id) {
  return "t"
         + hex_digest(digest_algo::sha1, "bbbgate-tenant:", tenant_id)
             .substr(0, 8)
         + "-";
}

std::string_view prefix_of(std::string_view nid) {
  constexpr std::size_t len = 10;
  if (nid.size() <= len || nid[0] != 't' || nid[len - 1] != '-')
    return {};
  for (std::size_t i = 1; i < len - 1; ++i) {
    char c = nid[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return {};
  }
  return nid.substr(0, len);
}

std::string node_meeting_id(std::string_view prefix, std::string_view id) {
  if (utf8_length(prefix) + utf8_length(id) <= 256)
    return std::string{prefix}.append(id);
  return std::string{prefix} + "h" + hex_digest(digest_algo::sha256, id);
}

std::string meeting_key(std::string_view tenant, std::string_view id) {
  std::string out;
  out.reserve(tenant.size() + 1 + id.size());
  out.append(tenant).push_back('/');
  out.append(id);
  return out;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++n;
  return n;
}

long utf8_decode(std::string_view s, std::size_t i, std::size_t& len) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  len = 1;
  auto c = b(0);
  if (c < 0x80)
    return c;
  std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size())
    return -1;
  long cp = c & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80)
      return -1;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  // Overlong forms, surrogates, beyond U+10FFFF.
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF
      || (cp >= 0xD800 && cp <= 0xDFFF))
    return -1;
  len = n;
  return cp;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    if (static_cast<unsigned char>(s[i]) >= 0x80 && utf8_decode(s, i, len) < 0)
      return false;
    i += len;
  }
  return true;
}

} // namespace gw
