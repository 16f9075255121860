#include "core/hook.hpp"

#include <algorithm>
#include <cctype>

#include "core/digest.hpp"

namespace gw {

bool hook_wants(const hook& h, std::string_view meeting_id,
                std::string_view event_id) {
  if (!h.meeting_id.empty() && h.meeting_id != meeting_id)
    return false;
  if (h.event_ids.empty())
    return true;
  std::string lower{event_id};
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(h.event_ids.begin(), h.event_ids.end(), lower)
         != h.event_ids.end();
}

std::vector<std::string> parse_event_ids(std::string_view param) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty())
      out.push_back(std::move(cur));
    cur.clear();
  };
  for (char c : param) {
    if (c == ',')
      flush();
    else
      cur.push_back(
        static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  flush();
  return out;
}

std::string join_event_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty())
      out.push_back(',');
    out += id;
  }
  return out;
}

std::string new_uuid() {
  // 32 random hex digits; the version nibble 4 and the variant bits 10.
  auto h = random_hex(16);
  h[12] = '4';
  static constexpr char variant[] = "89ab";
  auto v =
    static_cast<unsigned>(std::stoul(std::string(1, h[16]), nullptr, 16));
  h[16] = variant[v & 3u];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-"
         + h.substr(16, 4) + "-" + h.substr(20);
}

} // namespace gw
