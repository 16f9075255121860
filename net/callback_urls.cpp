#include "net/callback_urls.hpp"

#include <algorithm>

#include "net/bbb_params.hpp"
#include "net/query.hpp"
#include "net/xml.hpp"

namespace gw::net {

namespace {

constexpr std::string_view client_key_prefix = "r.";

bool has_key(const metadata_list& md, const std::string& key) {
  return std::any_of(md.begin(), md.end(),
                     [&](const auto& kv) { return kv.first == key; });
}

} // namespace

bool is_recording_ready_param(std::string_view name) {
  constexpr std::string_view tail = "-recording-ready-url";
  if (name.size() <= 5 + tail.size())
    return false;
  auto lower = ascii_lower(std::string{name});
  return lower.compare(0, 5, "meta_") == 0
         && lower.compare(lower.size() - tail.size(), tail.size(), tail) == 0;
}

bool is_analytics_param(std::string_view name) {
  return ascii_lower(std::string{name}) == "meta_analytics-callback-url";
}

std::string analytics_callback_url(const std::string& public_url,
                                   const std::string& tenant,
                                   const std::string& meeting_id,
                                   const std::string& client_url) {
  return public_url + "/_gw/callback/analytics?t=" + percent_encode(tenant)
         + "&m=" + percent_encode(meeting_id) + "&"
         + std::string{client_key_prefix}
         + "analytics-callback-url=" + percent_encode(client_url);
}

std::string recording_ready_url(const std::string& public_url,
                                const std::string& tenant,
                                const std::string& meeting_id,
                                const metadata_list& client_urls) {
  auto url = public_url + "/_gw/callback/recording?t=" + percent_encode(tenant)
             + "&m=" + percent_encode(meeting_id);
  for (const auto& [k, v] : client_urls)
    url += "&" + std::string{client_key_prefix} + percent_encode(k) + "="
           + percent_encode(v);
  return url;
}

std::optional<gateway_callback>
read_gateway_callback(std::string_view url, std::string_view own_prefix) {
  if (url.substr(0, own_prefix.size()) != own_prefix)
    return std::nullopt;
  auto rest = url.substr(own_prefix.size());
  constexpr std::string_view callback = "callback/";
  if (rest.substr(0, callback.size()) != callback)
    return std::nullopt;
  rest.remove_prefix(callback.size());
  auto qpos = rest.find('?');
  gateway_callback out;
  out.kind = std::string{rest.substr(0, qpos)};
  if (qpos == std::string_view::npos)
    return out;
  auto q = query::parse(rest.substr(qpos + 1));
  if (!q)
    return std::nullopt;
  for (const auto& p : q->params()) {
    if (p.name == "t")
      out.tenant = p.value;
    else if (p.name == "m")
      out.meeting_id = p.value;
    else if (p.name.compare(0, client_key_prefix.size(), client_key_prefix) == 0
             && p.name.size() > client_key_prefix.size() && !p.value.empty())
      out.client_urls.emplace_back(p.name.substr(client_key_prefix.size()),
                                   p.value);
  }
  return out;
}

metadata_list client_metadata(const metadata_list& node_metadata,
                              std::string_view own_prefix) {
  metadata_list out;
  out.reserve(node_metadata.size());
  for (const auto& kv : node_metadata)
    if (kv.second.compare(0, own_prefix.size(), own_prefix) != 0)
      out.push_back(kv);
  // The client's own URLs where the gateway's stood (after the client's
  // other keys: a key the client gave twice is kept once).
  for (const auto& kv : node_metadata) {
    if (kv.second.compare(0, own_prefix.size(), own_prefix) != 0)
      continue;
    if (auto cb = read_gateway_callback(kv.second, own_prefix))
      for (const auto& [k, v] : cb->client_urls)
        if (!has_key(out, k))
          out.emplace_back(k, v);
  }
  return out;
}

std::string restore_client_metadata(std::string body,
                                    std::string_view own_prefix) {
  auto open = body.find("<metadata>");
  if (open == std::string::npos)
    return body;
  auto begin = open + 10;
  auto end = body.find("</metadata>", begin);
  if (end == std::string::npos)
    return body;
  // Metadata children hold text only: <name>text</name>.
  metadata_list md;
  for (auto p = begin; p < end;) {
    if (body[p] != '<')
      return body;
    auto gt = body.find('>', p);
    if (gt == std::string::npos || gt > end)
      return body;
    auto name = body.substr(p + 1, gt - p - 1);
    if (!name.empty() && name.back() == '/') {
      md.emplace_back(name.substr(0, name.size() - 1), "");
      p = gt + 1;
      continue;
    }
    auto close = "</" + name + ">";
    auto c = body.find(close, gt);
    if (c == std::string::npos || c > end)
      return body;
    md.emplace_back(name, xml_unescape(body.substr(gt + 1, c - gt - 1)));
    p = c + close.size();
  }
  auto shown = client_metadata(md, own_prefix);
  std::string inner;
  for (const auto& [k, v] : shown)
    inner += "<" + k + ">" + xml_escape(v) + "</" + k + ">";
  body.replace(begin, end - begin, inner);
  return body;
}

} // namespace gw::net
