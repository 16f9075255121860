#include "net/recording_params.hpp"

#include "net/bbb_params.hpp"

namespace gw::net {

std::vector<std::string> split_id_list(const std::string* value) {
  std::vector<std::string> out;
  if (value == nullptr)
    return out;
  auto decoded = percent_decode(*value, false).value_or(*value);
  std::size_t pos = 0;
  while (pos <= decoded.size()) {
    auto comma = decoded.find(',', pos);
    if (comma == std::string::npos)
      comma = decoded.size();
    if (comma > pos)
      out.push_back(decoded.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

namespace {

/// A non-negative number of at most 9 digits, or -1.
long long small_number(const std::string* v) {
  if (v == nullptr || v->empty() || v->size() > 9 || !is_digits(*v))
    return -1;
  return std::stoll(*v);
}

} // namespace

recording_query parse_recording_query(const query& q) {
  recording_query out;
  out.record_ids = split_id_list(q.get("recordID"));
  if (out.record_ids.empty())
    out.meeting_ids = split_id_list(q.get("meetingID"));
  out.states = split_id_list(q.get("state"));
  for (const auto& p : q.params()) {
    if (p.name.size() <= 5 || ascii_lower(p.name.substr(0, 5)) != "meta_")
      continue;
    auto name = ascii_lower(p.name.substr(5));
    bool seen = false;
    for (const auto& m : out.meta)
      seen = seen || m.first == name;
    if (!seen) // the first of repeated filters, as for every parameter
      out.meta.emplace_back(name, p.value);
  }
  auto limit = small_number(q.get("limit"));
  auto offset = small_number(q.get("offset"));
  if (limit >= 1 && limit <= 100) {
    out.limit = limit;
    out.offset = offset >= 0 ? offset : 0;
  } else if (offset >= 0 && q.get("limit") == nullptr) {
    out.offset = offset;
  }
  return out;
}

} // namespace gw::net
