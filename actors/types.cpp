#include "actors/types.hpp"

namespace gw {

std::shared_ptr<const node_info> make_node_info(const config::node_config& c) {
  auto info = std::make_shared<node_info>();
  info->id = c.id;
  info->url = c.url;
  net::parse_url(c.url, info->ep);
  info->secret = c.secret;
  info->live = std::make_shared<snapshot_slot<node_live>>();
  info->api_path = info->ep.path + "api/";
  info->base_url = c.url;
  if (info->base_url.empty() || info->base_url.back() != '/')
    info->base_url.push_back('/');
  return info;
}

} // namespace gw
