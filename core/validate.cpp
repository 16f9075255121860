#include "core/validate.hpp"

namespace gw {

bool is_valid_id(std::string_view id, bool allow_dot) {
  if (id.empty() || id.size() > 64)
    return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '-' || c == '_'
              || (allow_dot && c == '.');
    if (!ok)
      return false;
  }
  return true;
}

std::optional<field_error> validate_node(const node_spec& spec,
                                         node_config& out) {
  if (!is_valid_id(spec.id, true))
    return field_error{"id", "must be 1-64 letters, digits, '.', '-' or '_'"};
  url_parts parts;
  if (!parse_url(spec.url, parts))
    return field_error{"url",
                       "must be an http:// or https:// URL without query"};
  if (spec.secret.empty() || spec.secret.size() > max_secret_length)
    return field_error{"secret", "must be 1-"
                                   + std::to_string(max_secret_length)
                                   + " characters"};
  for (char c : spec.secret) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u == 0x7F)
      return field_error{"secret",
                         "must not contain spaces or control characters"};
  }
  if (spec.capacity < 1 || spec.capacity > max_capacity)
    return field_error{"capacity", "must be 1-" + std::to_string(max_capacity)};
  if (!(spec.overcommit > 0) || spec.overcommit > max_overcommit)
    return field_error{"overcommit",
                       "must be greater than 0 and at most "
                         + std::to_string(static_cast<int>(max_overcommit))};
  auto state = parse_node_state(spec.state);
  if (!state)
    return field_error{"state",
                       "must be enabled, cordoned, draining or disabled"};
  out.id = spec.id;
  out.url = spec.url;
  out.secret = spec.secret;
  out.capacity = spec.capacity;
  out.overcommit = spec.overcommit;
  out.state = *state;
  return std::nullopt;
}

} // namespace gw
