#include "core/node.hpp"

namespace gw {

std::optional<node_state> parse_node_state(std::string_view s) {
  if (s == "enabled")
    return node_state::enabled;
  if (s == "cordoned")
    return node_state::cordoned;
  if (s == "draining")
    return node_state::draining;
  if (s == "disabled")
    return node_state::disabled;
  return std::nullopt;
}

const char* node_state_name(node_state s) {
  switch (s) {
  case node_state::enabled:
    return "enabled";
  case node_state::cordoned:
    return "cordoned";
  case node_state::draining:
    return "draining";
  case node_state::disabled:
    return "disabled";
  }
  return "enabled";
}

node_spec spec_of(const node_config& c) {
  return {c.id,       c.url,        c.secret,
          c.capacity, c.overcommit, node_state_name(c.state)};
}

std::shared_ptr<node_info> make_node_info(const std::string& id,
                                          const std::string& url,
                                          const std::string& secret) {
  auto info = std::make_shared<node_info>();
  info->id = id;
  info->url = url;
  parse_url(url, info->ep);
  info->secret = secret;
  info->live = std::make_shared<snapshot_slot<node_live>>();
  info->api_path = info->ep.path + "api/";
  info->base_url = url;
  if (info->base_url.empty() || info->base_url.back() != '/')
    info->base_url.push_back('/');
  return info;
}

bool node_usable(const node_info& node) {
  auto live = node.live->load();
  return live->online && live->state != node_state::disabled;
}

bool node_usable(const node_directory& nodes, const std::string& node_id) {
  auto it = nodes.find(node_id);
  return it != nodes.end() && node_usable(*it->second);
}

} // namespace gw
