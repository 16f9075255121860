// The nodes' callbacks to the gateway: the end callback (released at once,
// relayed to the client's own URL with the client's meetingID).
#include <boost/beast/http/verb.hpp>
#include <caf/send.hpp>

#include "api/bbb_common.hpp"
#include "core/digest.hpp"
#include "net/http_client.hpp"

namespace gw::api {

namespace http = boost::beast::http;

void bbb_api::end_callback(std::string_view raw_query,
                           const net::request_info& info,
                           net::responder respond) const {
  // A node calls this when a meeting ends: t=tenant, m=meetingID, n=nonce,
  // then BBB's own meetingID (the node's) and recordingmarks.
  auto q = net::query::parse(raw_query);
  auto param = [&q](const char* name) {
    auto v = q ? q->get(name) : nullptr;
    return v ? *v : std::string{};
  };
  auto t = tenants_->by_id.find(param("t"));
  if (!q || t == tenants_->by_id.end())
    return respond(net::make_response(404, "text/plain", "unknown callback\n"));
  auto view = t->second->env->view->load();
  auto found = view->find(param("m"));
  if (!found || !constant_time_equal((*found)->callback_nonce, param("n")))
    return respond(net::make_response(404, "text/plain", "unknown callback\n"));
  auto row = *found;
  caf::anon_send(t->second->actor(), atom::vanished_v, row->meeting_id,
                 row->node_id);
  respond(net::make_response(200, "text/plain", "ok\n"));
  if (row->client_end_callback.empty())
    return;
  // Relay to the client's own callback, as BBB would have called it.
  url_parts ep;
  std::string target;
  if (!parse_target_url(row->client_end_callback, ep, target))
    return;
  target += (target.find('?') == std::string::npos ? "?" : "&");
  target += "meetingID=" + net::percent_encode(row->meeting_id);
  auto marks = param("recordingmarks");
  target += "&recordingmarks=" + (marks.empty() ? "false" : marks);
  info.shard->client->request(ep, http::verb::get, target, "", "", node_timeout,
                              [](net::client_response&&) {});
}

} // namespace gw::api
