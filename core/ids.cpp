#include "core/ids.hpp"

#include "core/digest.hpp"

namespace gw {

std::string tenant_prefix(std::string_view tenant_id) {
  return "t"
         + hex_digest(digest_algo::sha1, "bbbgate-tenant:", tenant_id)
             .substr(0, 8)
         + "-";
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

} // namespace gw
